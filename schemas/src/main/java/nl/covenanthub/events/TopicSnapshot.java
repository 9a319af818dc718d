package nl.covenanthub.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads all (or the tail) of a topic that is there at the moment of the call: every partition from
 * its beginning up to its end offset then (with read_committed, the last stable offset). How a
 * compacted topic (view schemas, audit chain heads) is taken in whole, without a consumer group.
 */
public final class TopicSnapshot {
  private static final Duration POLL = Duration.ofMillis(100);

  private TopicSnapshot() {}

  public static <K, V> void read(
      KafkaConsumer<K, V> consumer,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    readFrom(consumer, topic, timeout, (partition, end) -> 0L, each);
  }

  /**
   * Reads the last {@code perPartition} offsets of every partition of {@code topic} up to its end
   * then (fewer records where transaction markers or compaction took offsets). A topic that does
   * not exist has no partitions: nothing is read.
   */
  public static <K, V> void readTail(
      KafkaConsumer<K, V> consumer,
      String topic,
      int perPartition,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    readFrom(consumer, topic, timeout, (partition, end) -> end - perPartition, each);
  }

  /**
   * Reads every partition of {@code topic} from where {@code from} says (its beginning for a
   * partition it does not name) up to its end then, and returns those ends: where to go on from the
   * next time. A partition that now ends before where {@code from} says is not read; the caller
   * sees it in the ends returned (the topic was made again).
   */
  public static <K, V> Map<TopicPartition, Long> readSince(
      KafkaConsumer<K, V> consumer,
      String topic,
      Map<TopicPartition, Long> from,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    return readFrom(
        consumer, topic, timeout, (partition, end) -> from.getOrDefault(partition, 0L), each);
  }

  private static <K, V> Map<TopicPartition, Long> readFrom(
      KafkaConsumer<K, V> consumer,
      String topic,
      Duration timeout,
      BiFunction<TopicPartition, Long, Long> start,
      Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    for (TopicPartition p : partitions) {
      consumer.seek(p, Math.max(beginning.get(p), start.apply(p, end.get(p))));
    }
    while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
      consumer.poll(POLL).forEach(each);
    }
    return end;
  }
}
