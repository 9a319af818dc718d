package nl.covenanthub.hub.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.TopicFollower;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Which recipients received what of which case ({@link CaseDisclosures}), and which withdrawal
 * notices they acknowledged: what a withdrawal, an erasure or the end of a retention must reach.
 *
 * <p>Kept on the compacted topic {@value #TOPIC}, written in the listener's transaction with the
 * decisions it follows from (so it knows a recipient exactly when the disclosure committed), and
 * followed by every hub instance from the beginning. A case's entry is written only by the owner of
 * the case's outbox partition; an acknowledgement is a record of its own (key {@code ack/<notice
 * id>}), written by the owner of the acknowledging partner's outbox, so two instances never write
 * one key. Within a batch, what it wrote counts at once for that batch; for others only once it
 * committed.
 */
@Component
public class DisclosureIndex implements SmartLifecycle {
  public static final String TOPIC = "hub.disclosure-index";
  private static final Logger log = LoggerFactory.getLogger(DisclosureIndex.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CATCH_UP = Duration.ofMinutes(2);
  private static final String CASE = "case/";
  private static final String ACK = "ack/";

  /** A recipient confirmed the erasure a notice asked for (epoch milliseconds). */
  public record Acknowledgement(String noticeId, String by, String eventId, long at) {}

  private final Map<String, CaseDisclosures> cases = new ConcurrentHashMap<>();
  private final Map<String, Acknowledgement> acknowledgements = new ConcurrentHashMap<>();
  private final Map<String, String> caseOfNotice = new ConcurrentHashMap<>();
  private final ThreadLocal<Map<String, Object>> pending = ThreadLocal.withInitial(HashMap::new);
  private final KafkaTemplate<String, byte[]> kafka;
  private final TopicFollower follower;

  public DisclosureIndex(
      KafkaTemplate<String, byte[]> kafka, ConsumerFactory<?, ?> consumers, KafkaAdmin admin) {
    this.kafka = kafka;
    admin.createOrModifyTopics(topic());
    this.follower = new TopicFollower(TOPIC, consumers, this::take);
  }

  /** One partition (every instance reads all of it), compacted: the last entry per key counts. */
  static NewTopic topic() {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .build();
  }

  public Optional<CaseDisclosures> caseOf(String caseKey) {
    Object mine = pending.get().get(CASE + caseKey);
    return Optional.ofNullable(mine != null ? (CaseDisclosures) mine : cases.get(caseKey));
  }

  /** Writes {@code entry} as the case's next revision, in the current transaction. */
  public void put(String caseKey, CaseDisclosures entry) {
    CaseDisclosures next = entry.nextRevision();
    send(CASE + caseKey, next);
  }

  /** The case a notice was about, and its key. */
  public Optional<Map.Entry<String, CaseDisclosures>> caseOfNotice(String noticeId) {
    String caseKey = caseOfNotice.get(noticeId);
    if (caseKey == null) {
      // Sent by another instance, maybe just now: what committed before this call counts.
      follower.catchUp(CATCH_UP);
      caseKey = caseOfNotice.get(noticeId);
    }
    if (caseKey == null) {
      return Optional.empty();
    }
    String key = caseKey;
    return caseOf(key).map(entry -> Map.entry(key, entry));
  }

  public Optional<Acknowledgement> acknowledgement(String noticeId) {
    Object mine = pending.get().get(ACK + noticeId);
    return Optional.ofNullable(
        mine != null ? (Acknowledgement) mine : acknowledgements.get(noticeId));
  }

  public void acknowledged(Acknowledgement acknowledgement) {
    send(ACK + acknowledgement.noticeId(), acknowledgement);
  }

  /** Every case whose recipients were told to erase it. */
  public List<CaseDisclosures> withNotices() {
    return cases.values().stream()
        .filter(c -> c.recipients().values().stream().anyMatch(r -> r.notice() != null))
        .toList();
  }

  /** Before a hub works on partitions it was given: what their previous owner committed is read. */
  public void catchUp() {
    follower.catchUp(CATCH_UP);
  }

  public void afterCommit() {
    pending.get().forEach(this::apply);
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  private void send(String key, Object value) {
    try {
      kafka.send(TOPIC, 0, key, JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    pending.get().put(key, value);
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      if (record.key().startsWith(CASE)) {
        apply(record.key(), JSON.readValue(record.value(), CaseDisclosures.class));
      } else if (record.key().startsWith(ACK)) {
        apply(record.key(), JSON.readValue(record.value(), Acknowledgement.class));
      }
    } catch (IOException e) {
      log.warn("{}@{} is not an index entry; ignored", TOPIC, record.offset());
    }
  }

  private void apply(String key, Object value) {
    if (value instanceof CaseDisclosures entry) {
      String caseKey = key.substring(CASE.length());
      cases.merge(caseKey, entry, (old, now) -> now.revision() > old.revision() ? now : old);
      entry.recipients().values().stream()
          .filter(r -> r.notice() != null)
          .forEach(r -> caseOfNotice.put(r.notice().id(), caseKey));
    } else if (value instanceof Acknowledgement acknowledgement) {
      acknowledgements.putIfAbsent(acknowledgement.noticeId(), acknowledgement);
    }
  }

  @Override
  public void start() {
    follower.start();
  }

  @Override
  public void stop() {
    follower.stop();
  }

  @Override
  public boolean isRunning() {
    return follower.isRunning();
  }
}
