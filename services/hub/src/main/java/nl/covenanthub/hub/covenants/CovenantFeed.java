package nl.covenanthub.hub.covenants;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Follows {@code hub.covenants} (one partition, compacted) from its beginning, without a consumer
 * group: every instance needs every covenant. It has read the whole topic before the hub's first
 * batch, and an instance that is assigned outbox partitions first reads up to the topic's end as it
 * is then ({@link #catchUp}), so a partition that moves to it is never decided under an older
 * version than its previous owner used.
 */
public final class CovenantFeed implements SmartLifecycle {
  public static final String TOPIC = "hub.covenants";
  private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
  private static final Duration CATCH_UP_WARNING = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(CovenantFeed.class);

  private final ActiveCovenants active;
  private final Consumer<String, byte[]> consumer;
  private volatile boolean running;
  private volatile boolean stopped;
  private Thread thread;

  @SuppressWarnings({"unchecked", "rawtypes"})
  public CovenantFeed(ActiveCovenants active, ConsumerFactory<?, ?> consumers, KafkaAdmin admin) {
    this.active = active;
    admin.createOrModifyTopics(topic());
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        (Consumer<String, byte[]>)
            ((ConsumerFactory) consumers).createConsumer(null, "covenant-feed", "", overrides);
    consumer.assign(List.of(PARTITION));
    consumer.seekToBeginning(List.of(PARTITION));
    long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
    while (consumer.position(PARTITION) < end) {
      consumer.poll(Duration.ofMillis(500)).forEach(active::apply);
      active.readTo(consumer.position(PARTITION));
    }
    log.info("Read {} to offset {}: {}", TOPIC, end, active.current().covenants());
  }

  /** The topic as the hub creates it: one partition, compacted, so it holds one record per id. */
  public static NewTopic topic() {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .build();
  }

  /**
   * Waits until this instance has applied {@code hub.covenants} up to its end as {@code outbox} (an
   * outbox consumer, on its own thread) sees it now; called when outbox partitions are assigned. It
   * never gives up: deciding with versions known to be behind could decide a moved partition under
   * an older version than its previous owner did. While it waits, nothing of those partitions is
   * decided; should it take longer than the consumer's poll interval, the group gives the
   * partitions to another instance.
   */
  public void catchUp(Consumer<?, ?> outbox) {
    Long end = outbox.endOffsets(List.of(PARTITION)).get(PARTITION);
    long warnAt = System.nanoTime() + CATCH_UP_WARNING.toNanos();
    while (end != null && active.position() < end) {
      if (stopped) {
        throw new IllegalStateException(
            "the hub is stopping before it read " + TOPIC + " to its end: nothing is decided");
      }
      if (System.nanoTime() > warnAt) {
        log.warn(
            "{} not yet read to offset {} (at {}): the assigned outbox partitions wait",
            TOPIC,
            end,
            active.position());
        warnAt = System.nanoTime() + CATCH_UP_WARNING.toNanos();
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        // Stopping: not one decision with versions that may be behind.
        throw new InterruptException(e);
      }
    }
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::follow, "covenant-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            active.apply(record);
          }
          active.readTo(consumer.position(PARTITION));
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // The broker away, or a record the core cannot take: the versions in force stay.
          log.warn("Following {} failed ({}); trying again", TOPIC, e.getClass().getName());
          sleepQuietly();
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private static void sleepQuietly() {
    try {
      TimeUnit.SECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    running = false;
    stopped = true;
    consumer.wakeup();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Position of the records this feed has applied, for health. */
  public Map<String, Object> position() {
    return Map.of("topic", TOPIC, "offset", active.position());
  }
}
