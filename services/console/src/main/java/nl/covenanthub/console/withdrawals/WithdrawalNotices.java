package nl.covenanthub.console.withdrawals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.console.GrouplessConsumers;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The withdrawal notices the hub sent and whether each recipient acknowledged in time, read from
 * the hub's disclosure index ({@code hub.disclosure-index}: facts {@code notice/<id>} and {@code
 * ack/<id>}, docs/case-lifecycle.md) when the page is asked for. Ids, pseudonyms, the sender's case
 * reference and times: no content.
 */
@Component
public class WithdrawalNotices {
  static final String TOPIC = "hub.disclosure-index";
  private static final Logger log = LoggerFactory.getLogger(WithdrawalNotices.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  public enum State {
    NOTIFIED,
    ACKNOWLEDGED,
    OVERDUE
  }

  /** One recipient told to erase one case. */
  public record Notice(
      String noticeId,
      String reason,
      String sender,
      String caseReference,
      String recipient,
      String subjectPseudonym,
      Instant notifiedAt,
      Instant acknowledgeBy,
      Instant acknowledgedAt,
      State state) {}

  /** The notices, newest first, or why they could not be read. */
  public record Read(List<Notice> notices, String unreadable) {}

  private final KafkaProperties kafka;
  private final Clock clock;

  public WithdrawalNotices(KafkaProperties kafka, Clock clock) {
    this.kafka = kafka;
    this.clock = clock;
  }

  public Read all() {
    Map<String, JsonNode> notices = new HashMap<>();
    Map<String, Instant> acknowledged = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = GrouplessConsumers.of(kafka)) {
      TopicSnapshot.read(consumer, TOPIC, TIMEOUT, record -> take(record, notices, acknowledged));
    } catch (KafkaException e) {
      // The class name only: a broker's message may quote what it could not read.
      log.warn("The withdrawal notices were not read: {}", e.getClass().getName());
      return new Read(List.of(), e.getClass().getSimpleName());
    }
    Instant now = clock.instant();
    List<Notice> all = new ArrayList<>();
    for (JsonNode n : notices.values()) {
      String id = n.path("noticeId").asText();
      Instant by = Instant.ofEpochMilli(n.path("acknowledgeBy").asLong());
      Instant acknowledgedAt = acknowledged.get(id);
      State state =
          acknowledgedAt != null
              ? State.ACKNOWLEDGED
              : now.isAfter(by) ? State.OVERDUE : State.NOTIFIED;
      all.add(
          new Notice(
              id,
              n.path("reason").asText(),
              n.path("sender").asText(),
              n.path("caseReference").asText(null),
              n.path("recipient").asText(),
              n.path("subject").asText(null),
              Instant.ofEpochMilli(n.path("at").asLong()),
              by,
              acknowledgedAt,
              state));
    }
    all.sort(Comparator.comparing(Notice::notifiedAt).reversed());
    return new Read(all, null);
  }

  /** The notices about the data subject with one of these pseudonyms (comma-separated). */
  public List<Notice> about(String subjectPseudonyms) {
    List<String> pseudonyms = List.of(subjectPseudonyms.split(","));
    return all().notices().stream()
        .filter(n -> n.subjectPseudonym() != null && pseudonyms.contains(n.subjectPseudonym()))
        .toList();
  }

  private static void take(
      ConsumerRecord<String, byte[]> record,
      Map<String, JsonNode> notices,
      Map<String, Instant> acknowledged) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    try {
      if (record.key().startsWith("notice/")) {
        JsonNode notice = JSON.readTree(record.value());
        notices.put(notice.path("noticeId").asText(), notice);
      } else if (record.key().startsWith("ack/")) {
        JsonNode ack = JSON.readTree(record.value());
        acknowledged.putIfAbsent(
            ack.path("noticeId").asText(), Instant.ofEpochMilli(ack.path("at").asLong()));
      }
    } catch (IOException e) {
      log.warn("{}@{} is not an index fact; left out", TOPIC, record.offset());
    }
  }
}
