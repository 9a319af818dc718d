package nl.covenanthub.hub.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * A place in a partner's inbox: the next offset of each partition, as an opaque URL-safe text. A
 * partner may only hand back a cursor of its own inbox, and going back or forth in it only changes
 * what it reads of its own records.
 */
final class InboxCursor {
  private InboxCursor() {}

  static String of(Map<TopicPartition, Long> positions) {
    String plain =
        positions.entrySet().stream()
            .map(e -> e.getKey().partition() + ":" + e.getValue())
            .collect(Collectors.joining(","));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The positions that {@code cursor} names in an inbox whose partitions end at {@code ends} (their
   * last stable offsets). Throws {@link IllegalArgumentException} when it is not a cursor the hub
   * could have handed out: not exactly what {@link #of} makes of some positions (URL-safe Base64 of
   * {@code partition:offset,...}), a partition the inbox does not have, or an offset before its
   * start or beyond its end.
   */
  static Map<TopicPartition, Long> parse(String cursor, Map<TopicPartition, Long> ends) {
    Map<Integer, TopicPartition> byNumber = new HashMap<>();
    ends.keySet().forEach(p -> byNumber.put(p.partition(), p));
    String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    Map<TopicPartition, Long> positions = new LinkedHashMap<>();
    if (plain.isEmpty()) {
      return positions;
    }
    for (String part : plain.split(",", -1)) {
      String[] pair = part.split(":", -1);
      if (pair.length != 2) {
        throw new IllegalArgumentException("not a cursor");
      }
      TopicPartition partition = byNumber.get(Integer.parseInt(pair[0]));
      long offset = Long.parseLong(pair[1]);
      if (partition == null || offset < 0 || offset > ends.get(partition)) {
        throw new IllegalArgumentException("not a cursor");
      }
      positions.put(partition, offset);
    }
    if (!of(positions).equals(cursor)) {
      // Signs, leading zeros, other digits than ASCII, a partition twice, padding: not the hub's.
      throw new IllegalArgumentException("not a cursor");
    }
    return positions;
  }
}
