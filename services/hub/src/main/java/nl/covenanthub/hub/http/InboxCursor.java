package nl.covenanthub.hub.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
   * The positions in {@code topic} that {@code cursor} names; throws {@link
   * IllegalArgumentException} when it is not a cursor.
   */
  static Map<TopicPartition, Long> parse(String cursor, String topic) {
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
      int partition = Integer.parseInt(pair[0]);
      long offset = Long.parseLong(pair[1]);
      if (partition < 0 || offset < 0 || partition > 10_000) {
        throw new IllegalArgumentException("not a cursor");
      }
      positions.put(new TopicPartition(topic, partition), offset);
    }
    return positions;
  }
}
