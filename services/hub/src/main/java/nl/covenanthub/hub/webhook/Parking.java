package nl.covenanthub.hub.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * its later records are parked behind it, so that a replay delivers them in order. A parked record
 * lasts as long as the inbox keeps a record ({@code hub.lifecycle.inbox-retention}), counted on the
 * hub's clock from when it was parked: then it is no longer listed, replayed or holding its case,
 * and the broker deletes it (the topic has the inbox's retention). It is the inbox's record held
 * for an operator, with the same personal data.
 */
final class Parking {
  static final String REASON_HEADER = "parked-reason";
  private static final String ATTEMPTS_HEADER = "parked-attempts";
  private static final String STATUS_HEADER = "parked-status";
  private static final String AT_HEADER = "parked-at";

  /** On the marker that says a replay delivered the parked record of its disclosure id. */
  private static final String DELIVERED_HEADER = "parked-delivered";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Producer<Object, Object> producer;
  private final java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers;
  private final long keptMillis;
  private final Clock clock;

  /**
   * Per inbox key (one case), the disclosures parked and not yet delivered, with when each was
   * parked. Changed only inside the map's atomic operations on the case.
   */
  private final Map<String, Map<String, Long>> heldCases = new ConcurrentHashMap<>();

  Parking(
      String partner,
      Producer<Object, Object> producer,
      java.util.function.Supplier<KafkaConsumer<String, byte[]>> consumers,
      Duration kept,
      Clock clock) {
    this.topic = topic(partner);
    this.producer = producer;
    this.consumers = consumers;
    this.keptMillis = kept.toMillis();
    this.clock = clock;
    for (ConsumerRecord<String, byte[]> record : parked()) {
      hold(record, parkedAt(record));
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
    long now = clock.millis();
    parked.headers().add(AT_HEADER, Long.toString(now).getBytes(StandardCharsets.UTF_8));
    // Not parked, so not done: the record is not committed and is tried again.
    send(parked, "a webhook delivery could not be parked");
    hold(record, now);
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
    heldCases.computeIfPresent(
        String.valueOf(record.key()),
        (caseKey, held) -> {
          held.values().removeIf(this::ended);
          return held.isEmpty() ? null : held;
        });
    return heldCases.containsKey(String.valueOf(record.key()));
  }

  /** A parked record was delivered (by a replay): its case may go on when nothing else holds it. */
  void delivered(ConsumerRecord<String, byte[]> record) {
    String id = WebhookSender.disclosureId(record);
    ProducerRecord<Object, Object> marker = new ProducerRecord<>(topic, 0, record.key(), null);
    marker.headers().add(WebhookSender.DISCLOSURE_ID, id.getBytes(StandardCharsets.UTF_8));
    marker.headers().add(DELIVERED_HEADER, new byte[0]);
    // Without its marker, the record would be parked again for whoever reads the topic next.
    send(marker, "a replayed webhook delivery could not be marked delivered");
    heldCases.computeIfPresent(
        String.valueOf(record.key()),
        (caseKey, held) -> {
          held.remove(id);
          return held.isEmpty() ? null : held;
        });
  }

  /**
   * Every parked record not delivered since and not older than the inbox's retention, in the order
   * they were parked; a disclosure parked twice (a delivery tried again after a restart) once.
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
            } else if (!ended(parkedAt(record))) {
              parked.putIfAbsent(id, record);
            }
          });
    }
    return new ArrayList<>(parked.values());
  }

  private void hold(ConsumerRecord<String, byte[]> record, long parkedAt) {
    heldCases.compute(
        String.valueOf(record.key()),
        (caseKey, held) -> {
          Map<String, Long> holding = held == null ? new HashMap<>() : held;
          holding.put(WebhookSender.disclosureId(record), parkedAt);
          return holding;
        });
  }

  /**
   * When a record was parked, on the hub's clock (the broker's time for one parked before it said).
   */
  private static long parkedAt(ConsumerRecord<String, byte[]> record) {
    Header at = record.headers().lastHeader(AT_HEADER);
    try {
      return at == null
          ? record.timestamp()
          : Long.parseLong(new String(at.value(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return record.timestamp();
    }
  }

  /** Past the inbox's retention: the broker deletes it, as it deletes the inbox record. */
  private boolean ended(long parkedAt) {
    return parkedAt + keptMillis <= clock.millis();
  }
}
