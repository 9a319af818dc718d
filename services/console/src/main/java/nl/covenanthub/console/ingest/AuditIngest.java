package nl.covenanthub.console.ingest;

import java.util.List;
import java.util.Map;
import nl.covenanthub.console.ConsoleProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Indexes {@code hub.audit} (read_committed) into PostgreSQL, a poll at a time. The database, not
 * Kafka, knows how far the index is: on every assignment the consumer seeks to the offsets stored
 * with the records.
 */
@Component
class AuditIngest implements ConsumerSeekAware {
  /** The listener's id, to stop and start it (tests, maintenance). */
  static final String LISTENER_ID = "audit-ingest";

  private final IngestStore store;
  private final String topic;

  AuditIngest(IngestStore store, ConsoleProperties properties) {
    this.store = store;
    this.topic = properties.auditTopic();
  }

  // idIsGroup = false: the consumer group is spring.kafka.consumer.group-id (covenant-console,
  // which the ACLs allow), not the listener's id.
  @KafkaListener(
      id = LISTENER_ID,
      idIsGroup = false,
      topics = "${console.audit-topic:hub.audit}",
      batch = "true")
  void ingest(List<ConsumerRecord<String, byte[]>> polled) {
    store.store(AuditBatch.decode(polled));
  }

  @Override
  public void onPartitionsAssigned(
      Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
    Map<TopicPartition, Long> stored = store.positions(topic);
    for (TopicPartition partition : assignments.keySet()) {
      Long next = stored.get(partition);
      if (next == null) {
        // Nothing of this partition is indexed (a new database): all of it, whatever Kafka's
        // committed offset says.
        callback.seekToBeginning(partition.topic(), partition.partition());
      } else {
        callback.seek(partition.topic(), partition.partition(), next);
      }
    }
  }
}
