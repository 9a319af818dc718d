package nl.covenanthub.console.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nl.covenanthub.console.ConsoleProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Indexes {@code hub.audit} (read_committed) into PostgreSQL, a poll at a time. The database, not
 * Kafka, knows how far the index is: on every assignment the consumer seeks to the offsets stored
 * with the records.
 *
 * <p>Two steps overlap: while a writer thread stores a batch, the listener decodes the next one (on
 * two cores, decoding before each store cost about a sixth of the ingest's rate). Each consumer has
 * its writer, and at most one batch in its hands; it is retried until stored, never skipped, and
 * every assignment or revocation first waits for it, so a batch's records and its positions are
 * stored in order.
 */
@Component
class AuditIngest implements ConsumerSeekAware, DisposableBean {
  /** The listener's id, to stop and start it (tests, maintenance). */
  static final String LISTENER_ID = "audit-ingest";

  private final IngestStore store;
  private final String topic;
  private final BackOff retries;

  /**
   * Each consumer thread ({@code console.ingest-consumers}) has its own writer: its partitions'
   * chains are its own, so the writers never touch the same chain.
   */
  private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(this::newWriter);

  private final List<Writer> allWriters = new CopyOnWriteArrayList<>();

  /** A thread that stores one batch at a time, and the batch in its hands. */
  private static final class Writer {
    final ExecutorService thread;
    Future<?> written = CompletableFuture.completedFuture(null);

    Writer(int number) {
      thread =
          Executors.newSingleThreadExecutor(
              task -> new Thread(task, "audit-ingest-writer-" + number));
    }
  }

  AuditIngest(IngestStore store, ConsoleProperties properties, BackOff ingestRetries) {
    this.store = store;
    this.topic = properties.auditTopic();
    this.retries = ingestRetries;
  }

  // idIsGroup = false: the consumer group is spring.kafka.consumer.group-id (covenant-console,
  // which the ACLs allow), not the listener's id.
  @KafkaListener(
      id = LISTENER_ID,
      idIsGroup = false,
      topics = "${console.audit-topic:hub.audit}",
      // Two consumers, each with its own partitions, chains and COPY stream: PostgreSQL stores with
      // two backends (docs/benchmarks.md). More than hub.audit's partitions would idle.
      concurrency = "${console.ingest-consumers:2}",
      batch = "true")
  void ingest(List<ConsumerRecord<String, byte[]>> polled) {
    AuditBatch batch = AuditBatch.decode(polled);
    awaitWritten();
    Writer writer = writers.get();
    writer.written = writer.thread.submit(() -> storeUntilStored(batch));
  }

  private Writer newWriter() {
    Writer writer = new Writer(allWriters.size() + 1);
    allWriters.add(writer);
    return writer;
  }

  /** Stores the batch, retrying with growing pauses for as long as it fails. */
  private void storeUntilStored(AuditBatch batch) {
    BackOffExecution pauses = retries.start();
    while (true) {
      try {
        store.store(batch); // logs a failure without values
        return;
      } catch (RuntimeException e) {
        long pause = pauses.nextBackOff();
        if (pause == BackOffExecution.STOP) {
          throw e;
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException stopping) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Waits until the batch in the writer's hands is stored. It fails only when the console stops
   * meanwhile; the stored positions then say where to go on.
   */
  private void awaitWritten() {
    try {
      writers.get().written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a batch of hub.audit was stored", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a batch of hub.audit was not stored", e.getCause());
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    awaitWritten(); // the next owner reads the positions this batch stores
  }

  @Override
  public void onPartitionsAssigned(
      Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
    awaitWritten();
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

  /** After the listener has stopped (containers stop before beans are destroyed). */
  @Override
  public void destroy() throws InterruptedException {
    for (Writer writer : allWriters) {
      writer.thread.shutdown();
    }
    for (Writer writer : allWriters) {
      if (!writer.thread.awaitTermination(30, TimeUnit.SECONDS)) {
        writer.thread.shutdownNow();
      }
    }
  }
}
