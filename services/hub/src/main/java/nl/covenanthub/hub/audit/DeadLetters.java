package nl.covenanthub.hub.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.intake.BadInputException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Refused outbox records go, unchanged, to {@code hub.deadletter} with the reason in headers, and
 * are audited as REJECTED, in the listener's transaction: nothing is dropped and the route carries
 * on.
 */
@Component
public class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final Auditor auditor;
  private final HubMetrics metrics;
  private final Clock clock;
  private final String topic;

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
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, source.key(), source.value());
    Headers headers = record.headers();
    source.headers().forEach(headers::add);
    header(headers, "deadletter-reason", why.reason().name());
    header(headers, "deadletter-detail", why.detail());
    header(headers, "deadletter-source-topic", source.topic());
    header(headers, "deadletter-source-partition", Integer.toString(source.partition()));
    header(headers, "deadletter-source-offset", Long.toString(source.offset()));
    kafka.send(record);
    auditor.rejected(source, sender, why, clock.instant());
    metrics.deadLetter(why.reason().name());
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
