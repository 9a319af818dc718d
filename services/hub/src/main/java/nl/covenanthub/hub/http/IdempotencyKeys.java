package nl.covenanthub.hub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.TopicFollower;
import nl.covenanthub.hub.WindowedMemory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The {@code Idempotency-Key}s of the partners' HTTP requests (IETF draft "The Idempotency-Key HTTP
 * Header Field"): per partner and key, the fingerprint of the request that first used it and the
 * event id it published. Kept on the compacted topic {@value #TOPIC}, written in the same Kafka
 * transaction as the outbox record (so a key is remembered exactly when its event was published),
 * and followed by every hub instance from the beginning, so a retry to another instance or after a
 * restart gets the first answer. The topic forgets a key after {@code hub.http.idempotency-window}.
 * Keys are stored hashed: they are the partner's text.
 */
@Component
public class IdempotencyKeys implements SmartLifecycle {
  public static final String TOPIC = "hub.idempotency";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the first request with a key published, and when (epoch milliseconds). */
  public record Remembered(String fingerprint, String eventId, long at) {}

  /** What a request with a key may do. */
  public sealed interface Claim {
    /** The key is new: publish, then {@link #remember} in the same transaction. */
    record Fresh(String storeKey) implements Claim {}

    /** The same request again: answer as the first time. */
    record Replay(Remembered first) implements Claim {}

    /** The key was used for another request (draft: 422). */
    record Reused() implements Claim {}

    /** The first request with the key is still being processed (draft: 409). */
    record InProgress() implements Claim {}
  }

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(IdempotencyKeys.class);

  private final WindowedMemory<Remembered> remembered;
  private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  public IdempotencyKeys(
      HubProperties properties, ConsumerFactory<?, ?> consumers, KafkaAdmin admin, Clock clock) {
    Duration window = properties.http().idempotencyWindow();
    this.remembered = new WindowedMemory<>(window, clock, Remembered::at, (key, gone) -> {});
    admin.createOrModifyTopics(topic(window));
    this.follower = new TopicFollower(TOPIC, consumers, this::take);
  }

  /** Compacted (one record per key) and deleted after the window. */
  static NewTopic topic(Duration window) {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete")
        .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(window.toMillis()))
        .build();
  }

  /** Claims {@code key} of {@code partner} for a request with {@code fingerprint}. */
  public Claim claim(String partner, String key, String fingerprint) {
    String storeKey = storeKey(partner, key);
    Optional<Remembered> first = remembered.get(storeKey);
    if (first.isPresent()) {
      return first.get().fingerprint().equals(fingerprint)
          ? new Claim.Replay(first.get())
          : new Claim.Reused();
    }
    return inFlight.putIfAbsent(storeKey, Boolean.TRUE) == null
        ? new Claim.Fresh(storeKey)
        : new Claim.InProgress();
  }

  /** The record that remembers a fresh key: sent in the outbox record's transaction. */
  public ProducerRecord<String, byte[]> record(Claim.Fresh claim, Remembered first) {
    try {
      return new ProducerRecord<>(TOPIC, 0, claim.storeKey(), JSON.writeValueAsBytes(first));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** After the transaction committed: a retry to this instance sees it at once. */
  public void committed(Claim.Fresh claim, Remembered first) {
    remembered.put(claim.storeKey(), first);
    inFlight.remove(claim.storeKey());
  }

  /** The request failed before its transaction committed: the key may be used again. */
  public void released(Claim.Fresh claim) {
    inFlight.remove(claim.storeKey());
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      remembered.remove(record.key());
      return;
    }
    try {
      remembered.put(record.key(), JSON.readValue(record.value(), Remembered.class));
    } catch (IOException e) {
      log.warn("{}@{} is not a remembered key; ignored", TOPIC, record.offset());
    }
  }

  private static String storeKey(String partner, String key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(partner.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
