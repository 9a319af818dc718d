package nl.covenanthub.hub.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.HubProperties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Recognises an event a partner publishes twice (a retry after a timeout): the same {@code eventId}
 * among the last {@code hub.duplicate-window} records of the same outbox partition. The second is
 * refused as {@code DUPLICATE} (dead-lettered, audited), never disclosed again. An event id is
 * taken by the first record that carries it and gets past intake, whatever became of it after (a
 * partner that sends a refused event again gives it a new event id).
 *
 * <p>What has been seen is derived from the outbox itself, exactly once with the decisions: on
 * assignment, the window before the partition's committed offset is read back; during a batch, what
 * it adds counts only once the batch commits. So a restart, a rebalance or a rolled-back batch
 * neither forgets an event nor remembers one that was never decided.
 */
@Component
public class DuplicateEvents {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  private final int window;
  private final OutboxIntake intake;
  private final KafkaProperties kafka;
  private final Map<TopicPartition, Window> seen = new ConcurrentHashMap<>();
  private final ThreadLocal<Map<TopicPartition, Map<String, Long>>> pending =
      ThreadLocal.withInitial(HashMap::new);

  public DuplicateEvents(OutboxIntake intake, KafkaProperties kafka, HubProperties properties) {
    this.window = properties.duplicateWindow();
    this.intake = intake;
    this.kafka = kafka;
  }

  /** Refuses {@code event} if its id was already taken in from its partition within the window. */
  public void check(IncomingEvent event) {
    if (window == 0) {
      return;
    }
    ConsumerRecord<String, byte[]> source = event.source();
    TopicPartition partition = new TopicPartition(source.topic(), source.partition());
    Map<String, Long> batch = pendingOf(partition);
    Long first = batch.get(event.eventId());
    Window committed = seen.get(partition);
    if (first == null && committed != null) {
      first = committed.offsetOf(event.eventId());
    }
    if (first != null && first < source.offset()) {
      throw new BadInputException(
          DeadLetterReason.DUPLICATE,
          "event id already taken in at " + partition + "@" + first,
          event);
    }
    batch.putIfAbsent(event.eventId(), source.offset());
  }

  /**
   * Takes {@code event}'s id without a check: it got past intake, and then failed every attempt.
   */
  public void remember(IncomingEvent event) {
    if (window > 0) {
      ConsumerRecord<String, byte[]> source = event.source();
      pendingOf(new TopicPartition(source.topic(), source.partition()))
          .putIfAbsent(event.eventId(), source.offset());
    }
  }

  /** This thread's ids taken in from {@code partition} in its open transaction, in offset order. */
  private Map<String, Long> pendingOf(TopicPartition partition) {
    return pending.get().computeIfAbsent(partition, p -> new LinkedHashMap<>());
  }

  public void afterCommit() {
    pending
        .get()
        .forEach(
            (partition, ids) ->
                seen.computeIfAbsent(partition, p -> new Window(window)).addAll(ids));
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  /** Partitions given to this hub: the window before each one's committed offset, read back. */
  public void onAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (window == 0 || partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new java.util.HashSet<>(partitions), API_TIMEOUT);
    try (KafkaConsumer<String, byte[]> reader = reader()) {
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        Window ids = new Window(window);
        if (offset != null && offset.offset() > 0) {
          readBack(reader, partition, offset.offset(), ids);
        }
        seen.put(partition, ids);
      }
    }
  }

  public void onRevoked(Collection<TopicPartition> partitions) {
    partitions.forEach(seen::remove);
  }

  private void readBack(
      KafkaConsumer<String, byte[]> reader, TopicPartition partition, long end, Window ids) {
    reader.assign(List.of(partition));
    long begin = reader.beginningOffsets(List.of(partition), API_TIMEOUT).get(partition);
    reader.seek(partition, Math.max(begin, end - window));
    while (reader.position(partition, API_TIMEOUT) < end) {
      for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
        if (record.offset() >= end) {
          break;
        }
        try {
          ids.add(intake.accept(record).eventId(), record.offset());
        } catch (BadInputException e) {
          // refused when it came in: it took no event id
        }
      }
    }
  }

  private KafkaConsumer<String, byte[]> reader() {
    Properties props = new Properties();
    props.putAll(kafka.buildConsumerProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** The event ids of a partition's last records, oldest dropped first. */
  private static final class Window {
    private final LinkedHashMap<String, Long> ids;

    Window(int size) {
      this.ids =
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
              return size() > size;
            }
          };
    }

    synchronized Long offsetOf(String eventId) {
      return ids.get(eventId);
    }

    synchronized void add(String eventId, long offset) {
      ids.putIfAbsent(eventId, offset);
    }

    /** {@code batch} in the order its records were taken in, which is their offsets' order. */
    synchronized void addAll(Map<String, Long> batch) {
      batch.forEach(ids::putIfAbsent);
    }
  }
}
