package nl.covenanthub.hub;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Reads a single-partition topic from its beginning and keeps following it on a thread of its own,
 * without a consumer group: every hub instance needs all of it (idempotency keys, delivery states).
 * Only what was committed is read. A record is handed to {@code take} on the follower's thread.
 */
public final class TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  private final String topic;
  private final TopicPartition partition;
  private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
  private final Consumer<ConsumerRecord<String, byte[]>> take;
  private final ConsumerFactory<?, ?> consumers;
  private volatile boolean running;
  private volatile long position;
  private Thread thread;

  /** Reads {@code topic} to its end before it returns. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public TopicFollower(
      String topic,
      ConsumerFactory<?, ?> consumers,
      Consumer<ConsumerRecord<String, byte[]>> take) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.take = take;
    this.consumers = consumers;
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer =
        (org.apache.kafka.clients.consumer.Consumer<String, byte[]>)
            ((ConsumerFactory) consumers).createConsumer(null, topic + "-follower", "", overrides);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    while (consumer.position(partition) < end) {
      consumer.poll(Duration.ofMillis(500)).forEach(take);
    }
    position = consumer.position(partition);
  }

  /**
   * Returns once everything committed to the topic before this call has been taken: the
   * transactions that ended by now, whoever wrote them, up to the oldest one still open. What
   * another writer committed behind an open transaction (a killed instance's stays open until the
   * broker aborts it) is not waited for: see {@link #catchUpThroughOpenTransactions}.
   */
  public void catchUp(Duration timeout) {
    readTo(endOffset("read_committed", timeout), timeout);
  }

  /**
   * Returns once every transaction that wrote to the topic before this call has ended and what of
   * it committed has been taken: also what another writer committed behind a transaction still
   * open, which read_committed readers cannot see until that one ends. Not from inside a
   * transaction that wrote to the topic: it would wait for itself.
   */
  public void catchUpThroughOpenTransactions(Duration timeout) {
    readTo(endOffset("read_uncommitted", timeout), timeout);
  }

  /**
   * The offset after the last record committed now (read_committed: up to the oldest open
   * transaction), or after the last record written (read_uncommitted).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private long endOffset(String isolation, Duration timeout) {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    try (org.apache.kafka.clients.consumer.Consumer<?, ?> probe =
        ((ConsumerFactory) consumers).createConsumer(null, topic + "-end", "", overrides)) {
      return probe.endOffsets(List.of(partition), timeout).get(partition);
    }
  }

  /** Waits until the follower has taken everything before {@code end}. */
  private void readTo(long end, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (position < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            topic + " not read up to offset " + end + " within " + timeout);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading " + topic, e);
      }
    }
  }

  public void start() {
    running = true;
    thread = new Thread(this::follow, topic + "-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running) {
        try {
          consumer.poll(Duration.ofMillis(500)).forEach(take);
          position = consumer.position(partition);
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // The broker away: what was read stays, and reading goes on when it is back.
          log.warn("Following {} failed ({}); trying again", topic, e.getClass().getName());
          TimeUnit.SECONDS.sleep(1);
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  public void stop() {
    running = false;
    if (thread == null) {
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isRunning() {
    return running;
  }
}
