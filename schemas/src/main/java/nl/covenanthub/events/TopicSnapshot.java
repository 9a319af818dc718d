package nl.covenanthub.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads all of a topic that is there at the moment of the call: every partition from its beginning
 * up to its end offset then (with read_committed, the last stable offset). How a compacted topic
 * (view schemas, audit chain heads) is taken in whole, without a consumer group.
 */
public final class TopicSnapshot {
  private static final Duration POLL = Duration.ofMillis(100);

  private TopicSnapshot() {}

  public static <K, V> void read(
      KafkaConsumer<K, V> consumer,
      String topic,
      Duration timeout,
      Consumer<ConsumerRecord<K, V>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
      consumer.poll(POLL).forEach(each);
    }
  }
}
