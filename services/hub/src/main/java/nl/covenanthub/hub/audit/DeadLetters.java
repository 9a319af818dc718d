package nl.covenanthub.hub.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.OutboxIntake;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Refused outbox records go to {@code hub.deadletter} with the reason in headers, and are audited
 * as REJECTED, in the listener's transaction: nothing is dropped and the route carries on.
 *
 * <p>A dead letter copies the original (value and headers) only when the original is within {@code
 * hub.max-event-size}; a larger one becomes an envelope (its coordinates, size and SHA-256), so
 * that no input can make a dead letter the producer or broker refuses, which would stall the
 * partition.
 */
@Component
public class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final Auditor auditor;
  private final HubMetrics metrics;
  private final Clock clock;
  private final String topic;
  private final long maxCopyBytes;

  public DeadLetters(
      KafkaTemplate<String, byte[]> kafka,
      Auditor auditor,
      HubMetrics metrics,
      Clock clock,
      HubProperties properties) {
    this.kafka = kafka;
    this.auditor = auditor;
    this.metrics = metrics;
    this.clock = clock;
    this.topic = properties.topics().deadLetter();
    this.maxCopyBytes = properties.maxEventSize().toBytes();
  }

  public void reject(ConsumerRecord<String, byte[]> source, BadInputException why) {
    String sender = Topics.outboxOwner(source.topic()).orElse("unknown");
    log.warn(
        "Dead-lettered {}-{}@{} from {}: {} ({})",
        source.topic(),
        source.partition(),
        source.offset(),
        sender,
        why.reason(),
        why.detail());
    long size = OutboxIntake.size(source);
    boolean copy = size <= maxCopyBytes;
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, copy ? source.key() : null, copy ? source.value() : null);
    Headers headers = record.headers();
    if (copy) {
      source.headers().forEach(headers::add);
    }
    header(headers, "deadletter-reason", why.reason().name());
    header(headers, "deadletter-detail", why.detail());
    header(headers, "deadletter-source-topic", source.topic());
    header(headers, "deadletter-source-partition", Integer.toString(source.partition()));
    header(headers, "deadletter-source-offset", Long.toString(source.offset()));
    header(headers, "deadletter-original-size", Long.toString(size));
    header(headers, "deadletter-original-copied", Boolean.toString(copy));
    if (!copy) {
      header(headers, "deadletter-original-sha256", sha256(source.value()));
    }
    kafka.send(record);
    auditor.rejected(source, sender, why, clock.instant());
    metrics.deadLetter(why.reason().name());
  }

  private static String sha256(byte[] value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value == null ? new byte[0] : value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
