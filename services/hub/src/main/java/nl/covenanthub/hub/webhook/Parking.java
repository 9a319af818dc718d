package nl.covenanthub.hub.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.events.TopicSnapshot;
import nl.covenanthub.hub.security.KafkaAcls;
import nl.covenanthub.hub.webhook.DeliveryStates.State;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.config.TopicBuilder;

/**
 * A partner's parked webhook deliveries, on the topic {@code partner.<id>.webhook-parked}: the
 * inbox record as it was (key, value, headers) with why it was parked. An operator lists and
 * replays them. While a case has a parked record, its later records are parked behind it, so that a
 * replay delivers them in order.
 */
final class Parking {
  static final String REASON_HEADER = "parked-reason";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Producer<Object, Object> producer;
  private final java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers;
  private final DeliveryStates states;

  /** Per inbox key (one case), the disclosures parked and not yet delivered. */
  private final Map<String, Set<String>> heldCases = new ConcurrentHashMap<>();

  Parking(
      String partner,
      Producer<Object, Object> producer,
      java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers,
      DeliveryStates states) {
    this.topic = topic(partner);
    this.producer = producer;
    this.consumers = consumers;
    this.states = states;
    for (ConsumerRecord<String, byte[]> record : parked()) {
      hold(record);
    }
  }

  static String topic(String partner) {
    return KafkaAcls.webhookParked(partner);
  }

  static NewTopic newTopic(String partner) {
    return TopicBuilder.name(topic(partner)).partitions(1).build();
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
        .add("parked-attempts", Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
    parked
        .headers()
        .add("parked-status", Integer.toString(status).getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(parked).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Not parked, so not done: the record is not committed and is tried again.
      throw new IllegalStateException("a webhook delivery could not be parked", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    hold(record);
  }

  /** Whether a record of the case of {@code record} is parked and not yet delivered. */
  boolean holdsCaseOf(ConsumerRecord<String, byte[]> record) {
    Set<String> held = heldCases.get(String.valueOf(record.key()));
    return held != null && !held.isEmpty();
  }

  /** A parked record was delivered (by a replay): its case may go on when nothing else holds it. */
  void delivered(ConsumerRecord<String, byte[]> record) {
    Set<String> held = heldCases.get(String.valueOf(record.key()));
    if (held != null) {
      held.remove(WebhookSender.disclosureId(record));
    }
  }

  /** Every parked record not delivered since, in the order they were parked. */
  List<ConsumerRecord<String, byte[]>> parked() {
    List<ConsumerRecord<String, byte[]>> parked = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumers.get()) {
      TopicSnapshot.read(
          consumer,
          topic,
          TIMEOUT,
          record -> {
            String id = WebhookSender.disclosureId(record);
            boolean delivered = states.of(id).map(d -> d.state() == State.DELIVERED).orElse(false);
            if (!delivered) {
              parked.add(record);
            }
          });
    }
    return parked;
  }

  private void hold(ConsumerRecord<String, byte[]> record) {
    heldCases
        .computeIfAbsent(String.valueOf(record.key()), k -> ConcurrentHashMap.newKeySet())
        .add(WebhookSender.disclosureId(record));
  }
}
