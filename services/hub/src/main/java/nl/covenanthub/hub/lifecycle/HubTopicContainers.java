package nl.covenanthub.hub.lifecycle;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import nl.covenanthub.hub.audit.AuditChain;
import nl.covenanthub.hub.audit.HubMetrics;
import nl.covenanthub.hub.disclosure.ViewCodec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Containers that read one of the hub's own topics (retention triggers, match candidates) as the
 * outbox listener reads an outbox: in the hub's consumer group, each batch in one Kafka transaction
 * with its inbox records, audit records (in the topic partition's own chain), chain heads, index
 * facts and offsets; what the batch changed in memory counts once it committed.
 */
@Component
public class HubTopicContainers {
  private final ConcurrentKafkaListenerContainerFactory<Object, Object> factory;
  private final AuditChain chain;
  private final ViewCodec views;
  private final HubMetrics metrics;
  private final DisclosureIndex index;

  public HubTopicContainers(
      ConcurrentKafkaListenerContainerFactory<Object, Object> factory,
      AuditChain chain,
      ViewCodec views,
      HubMetrics metrics,
      DisclosureIndex index) {
    this.factory = factory;
    this.chain = chain;
    this.views = views;
    this.metrics = metrics;
    this.index = index;
  }

  /** What a container does with its batches and its partitions. */
  public interface Reader {
    /** One batch, inside its transaction. */
    void read(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer);

    /** Partitions given to this hub, before their first batch. */
    default void assigned(Consumer<?, ?> consumer) {}

    /** The batch's transaction did not commit. */
    default void rolledBack() {}
  }

  /**
   * The consumer group of the container of {@code topic}: a group of its own, so that its members
   * joining or leaving never rebalance the outboxes' group (whose partitions would be revoked and
   * their failure counts forgotten).
   */
  public static String groupOf(String topic) {
    return "covenant-hub-" + topic.substring(topic.indexOf('.') + 1);
  }

  /** A container of {@code topic}, not started: its owner starts and stops it. */
  public ConcurrentMessageListenerContainer<Object, Object> create(String topic, Reader reader) {
    ConcurrentMessageListenerContainer<Object, Object> container = factory.createContainer(topic);
    container.setBeanName(topic);
    container.getContainerProperties().setGroupId(groupOf(topic));
    container.setAutoStartup(false);
    container.getContainerProperties().setClientId("covenant-hub-" + topic);
    container
        .getContainerProperties()
        .setMessageListener(
            (BatchConsumerAwareMessageListener<String, byte[]>)
                (records, consumer) -> {
                  chain.ensureKnown(consumer, partitions(records));
                  TransactionSynchronizationManager.registerSynchronization(
                      new TransactionSynchronization() {
                        @Override
                        public void afterCompletion(int status) {
                          if (status == STATUS_COMMITTED) {
                            chain.afterCommit();
                            views.afterCommit();
                            metrics.afterCommit();
                            index.afterCommit();
                          } else {
                            chain.afterRollback();
                            views.afterRollback();
                            metrics.afterRollback();
                            index.afterRollback();
                            reader.rolledBack();
                          }
                        }
                      });
                  reader.read(records, consumer);
                  chain.writeHeads();
                });
    // The heads the batch moved go with its offsets (AuditChain), fenced like them.
    container
        .getContainerProperties()
        .setOffsetAndMetadataProvider(
            (metadata, offset) -> new OffsetAndMetadata(offset, chain.offsetMetadata()));
    BiConsumer<Consumer<?, ?>, Collection<TopicPartition>> revoked =
        (consumer, partitions) -> chain.onRevoked(partitions);
    container
        .getContainerProperties()
        .setConsumerRebalanceListener(
            new ConsumerAwareRebalanceListener() {
              @Override
              public void onPartitionsAssigned(
                  Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                chain.onAssigned(consumer, partitions);
                if (!partitions.isEmpty()) {
                  index.catchUp();
                  reader.assigned(consumer);
                }
              }

              @Override
              public void onPartitionsRevokedBeforeCommit(
                  Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                revoked.accept(consumer, partitions);
              }

              @Override
              public void onPartitionsLost(
                  Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                revoked.accept(consumer, partitions);
              }
            });
    return container;
  }

  private static Set<TopicPartition> partitions(List<ConsumerRecord<String, byte[]>> records) {
    Set<TopicPartition> partitions = new LinkedHashSet<>();
    records.forEach(r -> partitions.add(new TopicPartition(r.topic(), r.partition())));
    return partitions;
  }
}
