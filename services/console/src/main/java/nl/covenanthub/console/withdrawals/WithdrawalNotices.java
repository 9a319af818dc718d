package nl.covenanthub.console.withdrawals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
  private final TopicPartition partition = new TopicPartition(TOPIC, 0);

  /** What was read so far: the topic grows by one fact per disclosure, so it is read once. */
  private final Map<String, JsonNode> notices = new HashMap<>();

  private final Map<String, Instant> acknowledged = new HashMap<>();
  private KafkaConsumer<String, byte[]> consumer;

  public WithdrawalNotices(KafkaProperties kafka, Clock clock) {
    this.kafka = kafka;
    this.clock = clock;
  }

  /** Every notice, with what was committed up to now. */
  public synchronized Read all() {
    try {
      readToTheEnd();
    } catch (KafkaException e) {
      // The class name only: a broker's message may quote what it could not read.
      log.warn("The withdrawal notices were not read: {}", e.getClass().getName());
      close();
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

  /** Reads on from where it stopped, up to what is committed now. */
  private void readToTheEnd() {
    if (consumer == null) {
      KafkaConsumer<String, byte[]> created = GrouplessConsumers.of(kafka);
      if (created.partitionsFor(TOPIC, TIMEOUT).isEmpty()) {
        created.close();
        return; // no hub wrote it yet
      }
      created.assign(List.of(partition));
      created.seekToBeginning(List.of(partition));
      consumer = created;
    }
    long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consumer.position(partition, TIMEOUT) < end) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException(TOPIC + " not read to its end");
      }
      consumer.poll(Duration.ofMillis(200)).forEach(this::take);
    }
  }

  @PreDestroy
  synchronized void close() {
    if (consumer != null) {
      consumer.close();
      consumer = null;
      notices.clear();
      acknowledged.clear();
    }
  }

  private void take(ConsumerRecord<String, byte[]> record) {
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
