package nl.covenanthub.hub.disclosure;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.audit.AuditChain;
import nl.covenanthub.hub.audit.DeadLetters;
import nl.covenanthub.hub.audit.HubMetrics;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.DeadLetterReason;
import nl.covenanthub.hub.intake.DuplicateEvents;
import nl.covenanthub.hub.intake.IncomingEvent;
import nl.covenanthub.hub.intake.OutboxIntake;
import nl.covenanthub.hub.lifecycle.DisclosureIndex;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Reads a partner outbox in batches, each batch in one Kafka transaction started by the listener
 * container: the inbox records, the audit records, the dead letters, the chain heads and the
 * consumed offsets commit together or not at all. Each record goes through the Camel route {@link
 * OutboxRoute}.
 *
 * <p>A record whose processing throws aborts its batch, which is redelivered; after {@code
 * hub.max-attempts} failures the record is dead-lettered ({@code PROCESSING_FAILED}) and audited as
 * REJECTED in the next attempt's transaction, and the partition moves on.
 */
@Component
public class OutboxListener implements BatchConsumerAwareMessageListener<String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(OutboxListener.class);

  private final ProducerTemplate camel;
  private final Endpoint route;
  private final AuditChain chain;
  private final ViewCodec views;
  private final HubMetrics metrics;
  private final DeadLetters deadLetters;
  private final FailedRecords failures;
  private final OutboxIntake intake;
  private final DuplicateEvents duplicates;
  private final ActiveCovenants covenants;
  private final CovenantFeed feed;
  private final DisclosureIndex index;

  public OutboxListener(
      ProducerTemplate camel,
      OutboxIntake intake,
      DuplicateEvents duplicates,
      AuditChain chain,
      ViewCodec views,
      HubMetrics metrics,
      DeadLetters deadLetters,
      ActiveCovenants covenants,
      CovenantFeed feed,
      DisclosureIndex index,
      HubProperties properties) {
    this.index = index;
    this.camel = camel;
    this.covenants = covenants;
    this.feed = feed;
    this.intake = intake;
    this.duplicates = duplicates;
    this.route = camel.getCamelContext().getEndpoint(OutboxRoute.ENDPOINT);
    this.chain = chain;
    this.views = views;
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.failures = new FailedRecords(properties.maxAttempts());
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
    chain.ensureKnown(consumer, partitions(records));
    // One covenant set for the whole batch: a new version takes effect between transactions.
    CovenantSet batchCovenants = covenants.current();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED) {
              chain.afterCommit();
              views.afterCommit();
              metrics.afterCommit();
              duplicates.afterCommit();
              index.afterCommit();
              failures.committed(records);
            } else {
              chain.afterRollback();
              views.afterRollback();
              metrics.afterRollback();
              duplicates.afterRollback();
              index.afterRollback();
            }
          }
        });
    for (ConsumerRecord<String, byte[]> record : records) {
      Optional<FailedRecords.Failure> exhausted = failures.exhausted(record);
      if (exhausted.isPresent()) {
        BadInputException refusal = processingFailed(record, exhausted.get());
        refusal.decoded().ifPresent(duplicates::remember);
        deadLetters.reject(record, refusal);
        continue;
      }
      Exchange exchange =
          camel.send(
              route,
              e -> {
                e.getIn().setBody(record);
                e.setProperty(OutboxRoute.COVENANTS, batchCovenants);
              });
      if (exchange.getException() != null) {
        FailedRecords.Failure failure = failures.failed(record, exchange.getException());
        log.warn(
            "Outbox record {}-{}@{} failed ({}), attempt {} of {}: the batch is rolled back",
            record.topic(),
            record.partition(),
            record.offset(),
            failure.cause(),
            failure.attempts(),
            failures.maxAttempts());
        throw withoutValues(record, exchange.getException());
      }
    }
    chain.writeHeads();
  }

  /** For the container's rebalance listener: the partitions' chain heads and recent event ids. */
  public void onAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      feed.catchUp(consumer); // never older versions than the partitions' previous owner used
    }
    chain.onAssigned(consumer, partitions);
    duplicates.onAssigned(consumer, partitions);
    if (!partitions.isEmpty()) {
      index.catchUp(); // what the partitions' previous owner committed, before their next batch
    }
  }

  /** For the container's rebalance listener. */
  public void onRevoked(Collection<TopicPartition> partitions) {
    chain.onRevoked(partitions);
    duplicates.onRevoked(partitions);
    failures.forget(partitions);
  }

  /** The refusal of a record that kept failing, naming its event if it decodes at all. */
  private BadInputException processingFailed(
      ConsumerRecord<String, byte[]> record, FailedRecords.Failure failure) {
    IncomingEvent decoded;
    try {
      decoded = intake.accept(record);
    } catch (BadInputException e) {
      decoded = e.decoded().orElse(null);
    } catch (RuntimeException e) {
      decoded = null; // taking it in is what fails
    }
    return new BadInputException(
        DeadLetterReason.PROCESSING_FAILED,
        "processing failed " + failure.attempts() + " times (" + failure.cause() + ")",
        decoded);
  }

  /**
   * The failure as the container logs it: where, and what kind of exception, with its stack trace,
   * but not its message, which may quote the partner's data (Avro's do).
   */
  private static RuntimeException withoutValues(ConsumerRecord<?, ?> record, Throwable cause) {
    IllegalStateException failure =
        new IllegalStateException(
            "outbox record "
                + record.topic()
                + "-"
                + record.partition()
                + "@"
                + record.offset()
                + " failed with "
                + cause.getClass().getName());
    failure.setStackTrace(cause.getStackTrace());
    return failure;
  }

  private static Collection<TopicPartition> partitions(
      List<ConsumerRecord<String, byte[]>> records) {
    Collection<TopicPartition> partitions = new LinkedHashSet<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      partitions.add(new TopicPartition(record.topic(), record.partition()));
    }
    return partitions;
  }
}
