package nl.covenanthub.hub.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.events.TopicSnapshot;
import nl.covenanthub.hub.security.KafkaAcls;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.config.TopicBuilder;

/**
 * A partner's parked webhook deliveries, on the topic {@code partner.<id>.webhook-parked}: the
 * inbox record as it was (key, value, headers) with why it was parked. An operator lists and
 * replays them; a record a replay delivered is followed on the topic by a marker without a value,
 * so every instance, now or after a restart, knows it is done. While a case has a parked record,
 * its later records are parked behind it, so that a replay delivers them in order. The topic keeps
 * a record as long as the inbox does ({@code hub.lifecycle.inbox-retention}): it is the inbox's
 * record held for an operator, with the same personal data.
 */
final class Parking {
  static final String REASON_HEADER = "parked-reason";
  static final String ATTEMPTS_HEADER = "parked-attempts";
  static final String STATUS_HEADER = "parked-status";

  /** On the marker that says a replay delivered the parked record of its disclosure id. */
  static final String DELIVERED_HEADER = "parked-delivered";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Producer<Object, Object> producer;
  private final java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers;

  /** Per inbox key (one case), the disclosures parked and not yet delivered. */
  private final Map<String, Set<String>> heldCases = new ConcurrentHashMap<>();

  Parking(
      String partner,
      Producer<Object, Object> producer,
      java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers) {
    this.topic = topic(partner);
    this.producer = producer;
    this.consumers = consumers;
    for (ConsumerRecord<String, byte[]> record : parked()) {
      hold(record);
    }
  }

  static String topic(String partner) {
    return KafkaAcls.webhookParked(partner);
  }

  static NewTopic newTopic(String partner, Duration retention) {
    return TopicBuilder.name(topic(partner))
        .partitions(1)
        .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()))
        .build();
  }

  void park(ConsumerRecord<String, byte[]> record, String reason, int attempts, int status) {
    ProducerRecord<Object, Object> parked =
        new ProducerRecord<>(topic, 0, record.key(), record.value());
    for (Header header : record.headers()) {
      parked.headers().add(header);
    }
    parked.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    parked
        .headers()
        .add(ATTEMPTS_HEADER, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
    parked.headers().add(STATUS_HEADER, Integer.toString(status).getBytes(StandardCharsets.UTF_8));
    // Not parked, so not done: the record is not committed and is tried again.
    send(parked, "a webhook delivery could not be parked");
    hold(record);
  }

  private void send(ProducerRecord<Object, Object> record, String failure) {
    try {
      producer.send(record).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(failure, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether a record of the case of {@code record} is parked and not yet delivered. */
  boolean holdsCaseOf(ConsumerRecord<String, byte[]> record) {
    Set<String> held = heldCases.get(String.valueOf(record.key()));
    return held != null && !held.isEmpty();
  }

  /** A parked record was delivered (by a replay): its case may go on when nothing else holds it. */
  void delivered(ConsumerRecord<String, byte[]> record) {
    String id = WebhookSender.disclosureId(record);
    ProducerRecord<Object, Object> marker = new ProducerRecord<>(topic, 0, record.key(), null);
    marker.headers().add(WebhookSender.DISCLOSURE_ID, id.getBytes(StandardCharsets.UTF_8));
    marker.headers().add(DELIVERED_HEADER, new byte[0]);
    // Without its marker, the record would be parked again for whoever reads the topic next.
    send(marker, "a replayed webhook delivery could not be marked delivered");
    Set<String> held = heldCases.get(String.valueOf(record.key()));
    if (held != null) {
      held.remove(WebhookSender.disclosureId(record));
    }
  }

  /**
   * Every parked record not delivered since, in the order they were parked; a disclosure parked
   * twice (a delivery tried again after a restart) once.
   */
  List<ConsumerRecord<String, byte[]>> parked() {
    Map<String, ConsumerRecord<String, byte[]>> parked = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumers.get()) {
      TopicSnapshot.read(
          consumer,
          topic,
          TIMEOUT,
          record -> {
            String id = WebhookSender.disclosureId(record);
            if (record.headers().lastHeader(DELIVERED_HEADER) != null) {
              parked.remove(id);
            } else {
              parked.putIfAbsent(id, record);
            }
          });
    }
    return new ArrayList<>(parked.values());
  }

  private void hold(ConsumerRecord<String, byte[]> record) {
    heldCases
        .computeIfAbsent(String.valueOf(record.key()), k -> ConcurrentHashMap.newKeySet())
        .add(WebhookSender.disclosureId(record));
  }
}
