package nl.covenanthub.hub.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.TopicFollower;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.WindowedMemory;
import nl.covenanthub.hub.security.KafkaAcls;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The delivery state of each disclosure sent by webhook (delivered, retrying, parked, with its
 * attempts), and which endpoints are disabled: on the compacted topic {@value #TOPIC}, followed by
 * every hub instance, so an operator can ask any of them. Holds no values: ids, counts, statuses.
 *
 * <p>A delivery's state is kept for as long as the inbox keeps the record it delivers ({@code
 * hub.lifecycle.inbox-retention}) after it last changed, then forgotten: in memory, and on the
 * topic by a tombstone (each instance that forgets it writes one; a second is harmless). So memory
 * and the topic hold one retention's deliveries, not every delivery since the hub began.
 */
public final class DeliveryStates {
  public static final String TOPIC = KafkaAcls.WEBHOOK_DELIVERIES;
  private static final String ENDPOINT_KEY = "endpoint/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(DeliveryStates.class);

  /** Where a disclosure's delivery stands. */
  public enum State {
    DELIVERED,
    RETRYING,
    PARKED
  }

  /**
   * @param lastStatus the HTTP status of the last attempt, 0 when it got none (timeout, refused)
   * @param reason why it is retrying or parked, in the hub's words
   * @param at when this state began (epoch milliseconds)
   */
  public record Delivery(
      String partner, State state, int attempts, int lastStatus, String reason, long at) {}

  /** An endpoint the hub stopped calling (410 Gone), until an operator enables it again. */
  public record Disabled(String partner, String reason, long at) {}

  private final WindowedMemory<Delivery> deliveries;

  /** The deliveries retrying or parked, for the gauges: as many as wait, not all there were. */
  private final Map<String, Delivery> unfinished = new ConcurrentHashMap<>();

  private final Map<String, Disabled> disabled = new ConcurrentHashMap<>();
  private final Producer<Object, Object> producer;
  private final Clock clock;
  private final TopicFollower follower;

  DeliveryStates(
      ConsumerFactory<?, ?> consumers,
      ProducerFactory<Object, Object> producers,
      KafkaAdmin admin,
      Duration kept,
      Clock clock) {
    this.clock = clock;
    this.deliveries = new WindowedMemory<>(kept, clock, Delivery::at, this::forgotten);
    admin.createOrModifyTopics(topic());
    this.producer = producers.createNonTransactionalProducer();
    this.follower = new TopicFollower(TOPIC, consumers, this::take);
  }

  static NewTopic topic() {
    return Topics.compactedForgettingSoon(TOPIC).build();
  }

  public Optional<Delivery> of(String disclosureId) {
    return deliveries.get(disclosureId);
  }

  public Optional<Disabled> disabled(String partner) {
    return Optional.ofNullable(disabled.get(partner));
  }

  /**
   * How many of {@code partner}'s disclosures are in {@code state}, as far as this instance knows.
   */
  public long count(String partner, State state) {
    deliveries.forgetEnded();
    return unfinished.values().stream()
        .filter(d -> d.partner().equals(partner) && d.state() == state)
        .count();
  }

  void record(
      String disclosureId, String partner, State state, int attempts, int status, String reason) {
    Delivery delivery = new Delivery(partner, state, attempts, status, reason, clock.millis());
    hold(disclosureId, delivery);
    write(disclosureId, delivery);
  }

  private void hold(String disclosureId, Delivery delivery) {
    deliveries.put(disclosureId, delivery);
    if (delivery.state() == State.DELIVERED) {
      unfinished.remove(disclosureId);
    } else {
      unfinished.put(disclosureId, delivery);
    }
  }

  /** Its time is up here: the topic forgets it too. */
  private void forgotten(String disclosureId, Delivery delivery) {
    unfinished.remove(disclosureId, delivery);
    write(disclosureId, null);
  }

  void disable(String partner, String reason) {
    Disabled off = new Disabled(partner, reason, clock.millis());
    disabled.put(partner, off);
    write(ENDPOINT_KEY + partner, off);
  }

  void enable(String partner) {
    disabled.remove(partner);
    write(ENDPOINT_KEY + partner, null);
  }

  /**
   * Sent without waiting: a state is what an operator reads, not what a delivery rests on (the
   * committed offsets and the parked records are), so a delivery does not wait for the broker.
   */
  private void write(String key, Object value) {
    byte[] bytes;
    try {
      bytes = value == null ? null : JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    producer.send(
        new ProducerRecord<>(TOPIC, 0, key, bytes),
        (metadata, failure) -> {
          if (failure != null) {
            // The state in memory stays; the next change writes again.
            log.warn(
                "A webhook delivery state was not written to {} ({})",
                TOPIC,
                failure.getClass().getName());
          }
        });
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    String key = record.key();
    try {
      if (key.startsWith(ENDPOINT_KEY)) {
        String partner = key.substring(ENDPOINT_KEY.length());
        if (record.value() == null) {
          disabled.remove(partner);
        } else {
          disabled.put(partner, JSON.readValue(record.value(), Disabled.class));
        }
      } else if (record.value() == null) {
        deliveries.remove(key);
        unfinished.remove(key);
      } else {
        hold(key, JSON.readValue(record.value(), Delivery.class));
      }
    } catch (IOException e) {
      log.warn("{}@{} is not a delivery state; ignored", TOPIC, record.offset());
    }
  }

  void start() {
    follower.start();
  }

  void stop() {
    follower.stop();
    producer.close();
  }
}
