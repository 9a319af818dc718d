package nl.covenanthub.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import nl.covenanthub.hub.disclosure.OutboxContainers;
import nl.covenanthub.hub.lifecycle.LifecycleProperties;
import nl.covenanthub.hub.writerschemas.WriterSchemaTopic;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka wiring: a transactional listener container (one transaction per batch), retries of
 * aborted batches with back-off, and the topics the hub needs.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  @Bean
  KafkaTransactionManager<Object, Object> kafkaTransactionManager(
      ProducerFactory<Object, Object> producerFactory) {
    KafkaTransactionManager<Object, Object> transactions =
        new KafkaTransactionManager<>(producerFactory);
    // The audit chain advances its heads only after a commit, which it learns through
    // synchronization.
    transactions.setTransactionSynchronization(
        KafkaTransactionManager.SYNCHRONIZATION_ON_ACTUAL_TRANSACTION);
    return transactions;
  }

  /** How every outbox's container is made ({@link OutboxContainers}: one per partner). */
  @Bean
  ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory(
      ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
      ConsumerFactory<Object, Object> consumerFactory,
      KafkaTransactionManager<Object, Object> transactions) {
    ConcurrentKafkaListenerContainerFactory<Object, Object> factory =
        new ConcurrentKafkaListenerContainerFactory<>();
    configurer.configure(factory, consumerFactory);
    factory.setBatchListener(true);
    factory.getContainerProperties().setKafkaAwareTransactionManager(transactions);
    // An aborted batch is redelivered after a pause that grows to 30 s: a record that keeps failing
    // is dead-lettered after hub.max-attempts (OutboxListener); anything else (the broker away) is
    // waited out, with nothing lost.
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(30_000);
    factory.setAfterRollbackProcessor(new DefaultAfterRollbackProcessor<>(backOff));
    return factory;
  }

  /**
   * Topics of the hub and of every partner in the covenants; set
   * spring.kafka.admin.auto-create=false where operators create them.
   */
  @Bean
  KafkaAdmin.NewTopics topics(
      HubProperties properties, ActiveCovenants covenants, LifecycleProperties lifecycle) {
    List<NewTopic> topics = new ArrayList<>();
    int partitions = properties.topicPartitions();
    // The audit is the record of every disclosure: kept for ever unless hub.audit-retention says
    // otherwise (longer than the console's retention, which removes it from the index).
    Duration auditRetention = properties.auditRetention();
    topics.add(
        TopicBuilder.name(properties.topics().audit())
            .partitions(partitions)
            .config(
                TopicConfig.RETENTION_MS_CONFIG,
                auditRetention == null ? "-1" : Long.toString(auditRetention.toMillis()))
            .build());
    // Dead letters hold whole refused events, special categories included: kept only as long as an
    // operator needs to look at them (docs/hub.md, "Dead letters").
    topics.add(
        TopicBuilder.name(properties.topics().deadLetter())
            .partitions(1)
            .config(
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(properties.deadLetterRetention().toMillis()))
            .build());
    // The published chain heads: compacted soon (small segments), so that a verifier reading them
    // whole reads about one record per chain.
    topics.add(
        TopicBuilder.name(properties.topics().auditChain())
            .partitions(1)
            .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            .config(TopicConfig.SEGMENT_MS_CONFIG, "600000")
            .config(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1")
            .build());
    // View schemas, once each, for every recipient: compacted, so it holds one record per schema.
    topics.add(
        TopicBuilder.name(InboxViews.SCHEMAS_TOPIC)
            .partitions(1)
            .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            .build());
    // Covenant versions published by the console: compacted, one partition (CovenantFeed).
    topics.add(CovenantFeed.topic());
    // Partners' writer schemas, registered through the hub: compacted, one partition
    // (WriterSchemaTopic).
    topics.add(WriterSchemaTopic.topic());
    for (String partner : covenants.partners()) {
      topics.add(TopicBuilder.name(Topics.outbox(partner)).partitions(partitions).build());
      // An inbox is transport, not storage: kept as long as a partner may be away, no longer
      // (docs/case-lifecycle.md); what the partner keeps, it keeps under retain-until.
      topics.add(
          TopicBuilder.name(Topics.inbox(partner))
              .partitions(partitions)
              .config(
                  TopicConfig.RETENTION_MS_CONFIG,
                  Long.toString(lifecycle.inboxRetention().toMillis()))
              .build());
    }
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  /** Starts reading outboxes once Camel runs, so no record meets a route that is not there yet. */
  @Bean
  CamelContextConfiguration startOutboxesWithCamel(OutboxContainers outboxes) {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext camelContext) {}

      @Override
      public void afterApplicationStart(CamelContext camelContext) {
        outboxes.start();
      }
    };
  }
}
