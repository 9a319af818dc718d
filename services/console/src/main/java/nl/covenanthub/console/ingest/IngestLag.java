package nl.covenanthub.console.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.KeptConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How far the index is behind {@code hub.audit}: the gauge {@code console_ingest_lag}, the offsets
 * between what the database says it indexed and the end of what the hub committed, summed over the
 * partitions. Offsets count the hub's transaction markers too, so an index that is caught up shows
 * about one per partition; a growing figure means the privacy officer's searches miss recent
 * disclosures. Measured on a schedule, not on scrape, so a slow broker does not slow the scrape;
 * NaN until the first measurement and when the broker does not answer.
 */
@Component
class IngestLag {
  private static final Logger log = LoggerFactory.getLogger(IngestLag.class);
  private static final Duration ASK_WITHIN = Duration.ofSeconds(30);

  private final IngestStore store;
  private final KeptConsumer consumer;
  private final String topic;
  private volatile double behind = Double.NaN;

  IngestLag(
      IngestStore store,
      KafkaProperties kafka,
      ConsoleProperties properties,
      MeterRegistry registry) {
    this.store = store;
    this.consumer = new KeptConsumer(kafka);
    this.topic = properties.auditTopic();
    Gauge.builder("console.ingest.lag", this, lag -> lag.behind)
        .description(
            "Offsets of hub.audit not yet in the console's index (transaction markers included)")
        .register(registry);
  }

  @Scheduled(
      fixedDelayString = "${console.monitoring.measure-every:30s}",
      initialDelayString = "${console.monitoring.measure-every:30s}")
  void measureOnSchedule() {
    try {
      measure();
    } catch (KafkaException e) {
      behind = Double.NaN;
      log.warn("ingest lag not measured: {}", e.getMessage());
    }
  }

  /**
   * Measures now and returns the offsets behind, with one consumer kept between measurements (it
   * subscribes to nothing, and asks only for offsets).
   */
  long measure() {
    long lag = consumer.use(this::measure);
    behind = lag;
    return lag;
  }

  private long measure(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, ASK_WITHIN).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    // read_committed: the end is the last stable offset, what the index can reach.
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, ASK_WITHIN);
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, ASK_WITHIN);
    Map<TopicPartition, Long> indexed = store.positions(topic);
    long lag = 0;
    for (TopicPartition partition : partitions) {
      long from = indexed.getOrDefault(partition, starts.get(partition));
      lag += Math.max(0, ends.get(partition) - from);
    }
    return lag;
  }

  @PreDestroy
  void close() {
    consumer.close();
  }
}
