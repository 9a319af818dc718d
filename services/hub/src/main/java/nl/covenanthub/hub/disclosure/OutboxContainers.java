package nl.covenanthub.hub.disclosure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.audit.AuditChain;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.stereotype.Component;

/**
 * One transactional listener container per partner outbox, each with consumers and threads of its
 * own ({@code hub.outbox-threads}): a partner's backlog, or a record that keeps failing, holds only
 * that partner's events, never the others'. They share the consumer group, so hub instances split
 * every outbox's partitions.
 *
 * <p>Also the instance's readiness ({@code outbox} in the readiness group): ready once every
 * container runs and has its share of partitions, i.e. the instance actually processes.
 */
@Component("outbox")
public class OutboxContainers implements HealthIndicator, SmartLifecycle {
  private final Map<String, ConcurrentMessageListenerContainer<Object, Object>> containers =
      new LinkedHashMap<>();

  /** Per partner, whether each of its container's consumers has its share of the partitions. */
  private final Map<String, Map<Consumer<?, ?>, Boolean>> assigned = new ConcurrentHashMap<>();

  public OutboxContainers(
      ConcurrentKafkaListenerContainerFactory<Object, Object> factory,
      ActiveCovenants covenants,
      OutboxListener listener,
      AuditChain chain,
      HubProperties properties,
      MeterRegistry registry) {
    for (String partner : covenants.partners()) {
      String topic = Topics.outbox(partner);
      ConcurrentMessageListenerContainer<Object, Object> container = factory.createContainer(topic);
      container.setBeanName("outbox-" + partner);
      container.setAutoStartup(false);
      // Threads of their own per partner: while one waits for its commit, another decides.
      container.setConcurrency(properties.outboxThreads());
      container.getContainerProperties().setClientId("covenant-hub-" + partner);
      container.getContainerProperties().setMessageListener(listener);
      // The heads the batch moved go with its offsets (AuditChain), fenced like them.
      container
          .getContainerProperties()
          .setOffsetAndMetadataProvider(
              (metadata, offset) -> new OffsetAndMetadata(offset, chain.offsetMetadata()));
      container.getContainerProperties().setConsumerRebalanceListener(rebalance(partner, listener));
      if (!properties.instanceId().isBlank()) {
        // A static member: a restarted instance takes its partitions back without a rebalance.
        container
            .getContainerProperties()
            .getKafkaConsumerProperties()
            .setProperty(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.instanceId() + "-" + partner);
      }
      containers.put(partner, container);
      assigned.put(partner, new ConcurrentHashMap<>());
      Gauge.builder("hub.outbox.lag", container, c -> lag(c, topic))
          .description("Records in the partner's outbox this instance has yet to decide")
          .tag("partner", partner)
          .register(registry);
    }
  }

  /** Starts every partner's container (once Camel runs, so no record meets a missing route). */
  @Override
  public void start() {
    containers.values().forEach(ConcurrentMessageListenerContainer::start);
  }

  /** Stopped first when the hub shuts down, before the producers the batches commit with. */
  @Override
  public void stop() {
    containers.values().forEach(ConcurrentMessageListenerContainer::stop);
    assigned.values().forEach(Map::clear); // a start makes consumers anew
  }

  @Override
  public boolean isRunning() {
    return containers.values().stream().anyMatch(ConcurrentMessageListenerContainer::isRunning);
  }

  /** Started by Camel's start ({@code KafkaConfiguration}), not by the context's. */
  @Override
  public boolean isAutoStartup() {
    return false;
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean ready = true;
    for (Map.Entry<String, ConcurrentMessageListenerContainer<Object, Object>> e :
        containers.entrySet()) {
      boolean running = e.getValue().isRunning();
      // Every consumer of the container took part in a rebalance (one given no partition too: the
      // group has more consumers than the outbox has partitions) and lost nothing since.
      Map<Consumer<?, ?>, Boolean> consumers = assigned.get(e.getKey());
      boolean inGroup =
          consumers.size() == e.getValue().getConcurrency() && !consumers.containsValue(false);
      details.put(e.getKey(), !running ? "stopped" : inGroup ? "processing" : "joining");
      ready &= running && inGroup;
    }
    return (ready ? Health.up() : Health.outOfService()).withDetails(details).build();
  }

  private ConsumerAwareRebalanceListener rebalance(String partner, OutboxListener listener) {
    return new ConsumerAwareRebalanceListener() {
      @Override
      public void onPartitionsAssigned(
          Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        listener.onAssigned(consumer, partitions);
        assigned.get(partner).put(consumer, true);
      }

      @Override
      public void onPartitionsRevokedBeforeCommit(
          Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        listener.onRevoked(partitions);
        if (!partitions.isEmpty()) {
          assigned.get(partner).put(consumer, false);
        }
      }

      @Override
      public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        listener.onRevoked(partitions);
        assigned.get(partner).put(consumer, false);
      }
    };
  }

  /** The sum of the consumer's lag over the outbox's partitions it reads (records-lag). */
  private static double lag(ConcurrentMessageListenerContainer<?, ?> container, String topic) {
    double lag = 0;
    for (Map<MetricName, ? extends Metric> metrics : container.metrics().values()) {
      for (Map.Entry<MetricName, ? extends Metric> m : metrics.entrySet()) {
        if (m.getKey().name().equals("records-lag")
            && topic.equals(m.getKey().tags().get("topic"))
            && m.getValue().metricValue() instanceof Double value
            && !value.isNaN()) {
          lag += value;
        }
      }
    }
    return lag;
  }
}
