package nl.covenanthub.hub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches one side's output topics as a recipient would (read_committed) and notes, per event, when
 * the last of its output records became visible: that is when the event is done, end to end. Also
 * counts output records that belong to no bench event and any beyond an event's expected number
 * (which exactly-once rules out).
 */
final class Meter implements AutoCloseable {
  private final String side;
  private final KafkaConsumer<String, byte[]> consumer;
  private final ToLongFunction<ConsumerRecord<String, byte[]>> seqOf;
  private final long[] sentNanos;
  private final long[] doneNanos;
  private final byte[] seen;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /** What a record maps to when it is the hub's own, not the output of a bench event. */
  static final long HUB_OWN = Long.MIN_VALUE;

  private final AtomicLong strays = new AtomicLong();
  private final AtomicLong extras = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  Meter(
      String side,
      String brokers,
      List<String> topics,
      ToLongFunction<ConsumerRecord<String, byte[]>> seqOf,
      int capacity) {
    this.side = side;
    this.seqOf = seqOf;
    this.sentNanos = new long[capacity];
    this.doneNanos = new long[capacity];
    this.seen = new byte[capacity];
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000,
                // Bounds how long a fetch waits for data; the broker answers sooner as soon as
                // committed data is there.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                10,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "bench-meter-" + side),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      partitions.addAll(partitionsOf(topic));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve now, before any bench event is sent
    this.thread = new Thread(this::run, "bench-meter-" + side);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * A topic just created may not be in the metadata yet: then partitionsFor answers an empty list.
   */
  private List<TopicPartition> partitionsOf(String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<TopicPartition> found =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (!found.isEmpty()) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Call right before sending event {@code seq}. */
  void sent(long seq) {
    if (seq >= sentNanos.length) {
      throw new IllegalStateException(
          "more than " + sentNanos.length + " events in one run; use fewer or shorter phases");
    }
    sentNanos[(int) seq] = System.nanoTime();
  }

  long sentNanos(long seq) {
    return sentNanos[(int) seq];
  }

  /** When event {@code seq} was done; valid once {@link #awaitCompleted} has returned for it. */
  long doneNanos(long seq) {
    return doneNanos[(int) seq];
  }

  long completed() {
    return completed.get();
  }

  /**
   * Waits until {@code target} events in all are done; fails when nothing moves for {@code stall}.
   */
  void awaitCompleted(long target, Duration stall) throws InterruptedException {
    long last = -1;
    long lastProgress = System.nanoTime();
    while (completed.get() < target) {
      if (failure != null) {
        throw new IllegalStateException(side + " meter failed", failure);
      }
      long now = completed.get();
      if (now != last) {
        last = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
        throw new IllegalStateException(
            side
                + ": no event completed for "
                + stall.toSeconds()
                + " s; "
                + now
                + " of "
                + target
                + " done, "
                + records.get()
                + " output records seen, "
                + strays.get()
                + " stray, "
                + extras.get()
                + " beyond the expected count");
      }
      Thread.sleep(2);
    }
  }

  long records() {
    return records.get();
  }

  /** Bytes of key, value and headers of all output records seen. */
  long bytes() {
    return bytes.get();
  }

  private static long size(ConsumerRecord<String, byte[]> record) {
    long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    for (var header : record.headers()) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
  }

  long strays() {
    return strays.get();
  }

  long extras() {
    return extras.get();
  }

  private void run() {
    try {
      while (running) {
        var batch = consumer.poll(Duration.ofMillis(100));
        if (batch.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        long done = 0;
        long size = 0;
        for (ConsumerRecord<String, byte[]> record : batch) {
          records.incrementAndGet();
          size += size(record);
          long seq = seqOf.applyAsLong(record);
          if (seq == HUB_OWN) {
            continue; // the hub's own output (matching checks, notices): counted in bytes only
          }
          if (seq < 0 || seq >= seen.length) {
            strays.incrementAndGet();
            continue;
          }
          int i = (int) seq;
          int count = ++seen[i];
          int expected = BenchEvents.outputs(seq);
          if (count == expected) {
            doneNanos[i] = now;
            done++;
          } else if (count > expected) {
            extras.incrementAndGet();
          }
        }
        bytes.addAndGet(size);
        completed.addAndGet(done); // publishes doneNanos to the thread that waits
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable e) {
      failure = e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
  }
}
