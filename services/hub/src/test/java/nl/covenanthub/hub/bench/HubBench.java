package nl.covenanthub.hub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.hub.HubApplication;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * End-to-end benchmark of the hub against a raw kafka-clients transactional passthrough, on one embedded KRaft
 * broker, in one run. See docs/benchmarks.md ("Hub") and bin/bench-hub.
 *
 * <p>Both sides get the same load: the same pre-encoded police signals (half {@code zorg-en-veiligheid}, half
 * {@code aanpak-ondermijning}) to an outbox of 3 partitions, from one producer. Both run one consumer thread
 * with the hub's settings and commit one transaction per polled batch, and both write the same number of
 * records per event (3 or 4: the hub's inbox and audit records). The sides never run at the same time. Each
 * round has, per side, (1) a throughput phase: {@code bench.events} events sent as fast as the producer can;
 * events/s is the count divided by the time from the first send to the moment the last event's last output
 * record is visible to a read_committed consumer, and (2) a latency phase: events at a fixed rate, the same for
 * both sides (half the slower side's throughput in round 1, unless {@code bench.rate} is set), for
 * {@code bench.paced-seconds}; an event's latency is from just before its send to the moment its last output
 * record is visible to read_committed. The side that goes first alternates between rounds.
 *
 * <p>The last line is {@code ratio=<hub/passthrough> hub=<events/s> passthrough=<events/s> hub_p99_ms=<ms>},
 * with the median events/s over the rounds and the p99 over all latency phases.
 *
 * <p>The hub reads its pseudonymisation key from {@code COVENANT_KEY_SUBJECT_KEY}; bin/bench-hub sets a
 * bench-only key.
 */
public final class HubBench {
  private static final int WARMUP = Integer.getInteger("bench.warmup", 5_000);
  private static final int EVENTS = Integer.getInteger("bench.events", 20_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
  private static final int PACED_SECONDS = Integer.getInteger("bench.paced-seconds", 5);
  private static final int FIXED_RATE = Integer.getInteger("bench.rate", 0);
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final int PARTITIONS = 3;
  private static final int CAPACITY = 2_000_000;

  private final String brokers;
  private final BenchEvents events = new BenchEvents();
  private final KafkaProducer<String, byte[]> police;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final AtomicLong nextSeq = new AtomicLong();

  private HubBench(String brokers) {
    this.brokers = brokers;
    this.police = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.CLIENT_ID_CONFIG, "bench-police"),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** One side under test: where its events go and how it is watched. */
  private record Side(String name, String outbox, Meter meter, Runnable check) {}

  private record Throughput(int round, String side, int events, double seconds) {
    double perSecond() {
      return events / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    if (System.getenv("COVENANT_KEY_SUBJECT_KEY") == null) {
      System.err.println("HubBench: set COVENANT_KEY_SUBJECT_KEY (base64 of 32 bytes); bin/bench-hub sets a bench-only key");
      System.exit(2);
    }
    Path covenants = Path.of(System.getProperty("bench.covenants", "covenants")).toAbsolutePath().normalize();
    if (!Files.isDirectory(covenants)) {
      throw new IllegalStateException("covenant directory " + covenants + " not found; run from the repository root"
          + " or set -Dbench.covenants");
    }
    long started = System.nanoTime();
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
    broker.brokerProperties(Map.of(
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
    ConfigurableApplicationContext hub = null;
    int status = 1;
    try {
      String brokers = broker.getBrokersAsString();
      hub = new SpringApplicationBuilder(HubApplication.class).properties(
          "spring.kafka.bootstrap-servers=" + brokers,
          "hub.covenants=" + covenants,
          "server.port=0",
          "spring.main.banner-mode=off",
          "logging.level.root=WARN").run();
      broker.addTopics(new NewTopic(Passthrough.OUTBOX, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.INBOX_A, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.INBOX_B, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.AUDIT, PARTITIONS, (short) 1));
      System.out.printf(Locale.ROOT, "broker and hub started in %.1f s%n", (System.nanoTime() - started) / 1e9);
      new HubBench(brokers).run(broker);
      status = 0;
    } finally {
      if (hub != null) {
        hub.close();
      }
      broker.destroy();
      System.out.printf(Locale.ROOT, "total run time %.1f s%n", (System.nanoTime() - started) / 1e9);
    }
    System.exit(status);
  }

  private void run(EmbeddedKafkaKraftBroker broker) throws Exception {
    AtomicLong audited = new AtomicLong();
    ToLongFunction<ConsumerRecord<String, byte[]>> hubSeq = r -> {
      if (!r.topic().equals("hub.audit")) {
        return BenchEvents.seqOfTraceparent(r.headers());
      }
      long seq = BenchEvents.seqOfAuditRecord(r.value());
      if (audited.getAndIncrement() % 1000 == 0) {
        verifyAudit(r.value(), seq);
      }
      return seq;
    };
    try (Meter hubMeter = new Meter("hub", brokers, List.of("partner.lzn.inbox", "partner.riec.inbox", "hub.audit"),
            hubSeq, CAPACITY);
        Meter passMeter = new Meter("passthrough", brokers, Passthrough.OUTPUTS,
            r -> BenchEvents.seqOfTraceparent(r.headers()), CAPACITY);
        Passthrough passthrough = new Passthrough(brokers)) {
      Side hub = new Side("hub", BenchEvents.POLICE_OUTBOX, hubMeter, () -> { });
      Side pass = new Side("passthrough", Passthrough.OUTBOX, passMeter, passthrough::check);

      System.out.printf(Locale.ROOT, "events: %d-byte police signals on average, %.1f output records each;"
          + " warm-up %d, %d per throughput phase, %d rounds%n", Math.round(events.meanSize()),
          (BenchEvents.ZORG_OUTPUTS + BenchEvents.ONDERMIJNING_OUTPUTS) / 2.0, WARMUP, EVENTS, ROUNDS);
      for (Side side : List.of(hub, pass)) {
        Throughput w = throughput(0, side, WARMUP);
        Throughput w2 = throughput(0, side, WARMUP);
        System.out.printf(Locale.ROOT, "warm-up %-11s %6.0f, %6.0f events/s%n", side.name, w.perSecond(), w2.perSecond());
      }

      List<Throughput> throughputs = new ArrayList<>();
      List<long[]> hubLatencies = new ArrayList<>();
      List<long[]> passLatencies = new ArrayList<>();
      int rate = FIXED_RATE;
      for (int round = 1; round <= ROUNDS; round++) {
        List<Side> order = round % 2 == 1 ? List.of(hub, pass) : List.of(pass, hub);
        for (Side side : order) {
          Throughput t = throughput(round, side, EVENTS);
          throughputs.add(t);
          System.out.printf(Locale.ROOT, "round %d %-11s %6d events in %6.2f s: %7.0f events/s%n",
              round, side.name, t.events, t.seconds, t.perSecond());
        }
        if (rate == 0) {
          double slower = throughputs.stream().mapToDouble(Throughput::perSecond).min().orElseThrow();
          rate = (int) Math.max(100, Math.round(slower / 2 / 100) * 100);
          System.out.printf(Locale.ROOT, "latency phases at %d events/s (half the slower side's throughput)%n", rate);
        }
        for (Side side : order) {
          long[] latencies = paced(side, rate, rate * PACED_SECONDS);
          (side == hub ? hubLatencies : passLatencies).add(latencies);
          Arrays.sort(latencies);
          System.out.printf(Locale.ROOT, "round %d %-11s %6d events at %d/s: p50 %6.1f ms, p99 %6.1f ms%n",
              round, side.name, latencies.length, rate, ms(pct(latencies, 50)), ms(pct(latencies, 99)));
        }
      }
      checkExactlyOnce(broker, hubMeter, passMeter);
      report(throughputs, concat(hubLatencies), concat(passLatencies), rate);
    }
    police.close();
  }

  /** Sends {@code n} events as fast as the producer goes; the time until the last one is done. */
  private Throughput throughput(int round, Side side, int n) throws InterruptedException {
    long target = side.meter.completed() + n;
    long first = nextSeq.get();
    for (int i = 0; i < n; i++) {
      send(side, nextSeq.getAndIncrement());
    }
    long last = nextSeq.get() - 1;
    await(side, target);
    long end = 0;
    for (long seq = first; seq <= last; seq++) {
      end = Math.max(end, side.meter.doneNanos(seq));
    }
    return new Throughput(round, side.name, n, (end - side.meter.sentNanos(first)) / 1e9);
  }

  /** Sends {@code n} events at {@code rate} per second; each one's latency in nanoseconds. */
  private long[] paced(Side side, int rate, int n) throws InterruptedException {
    long target = side.meter.completed() + n;
    long first = nextSeq.get();
    long start = System.nanoTime();
    double interval = 1e9 / rate;
    for (int i = 0; i < n; i++) {
      long due = start + (long) (i * interval);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      send(side, nextSeq.getAndIncrement());
    }
    await(side, target);
    long[] latencies = new long[n];
    for (int i = 0; i < n; i++) {
      latencies[i] = side.meter.doneNanos(first + i) - side.meter.sentNanos(first + i);
    }
    return latencies;
  }

  private void send(Side side, long seq) {
    side.meter.sent(seq);
    police.send(events.record(side.outbox, seq), (metadata, e) -> {
      if (e != null) {
        sendFailure.compareAndSet(null, e);
      }
    });
  }

  private void await(Side side, long target) throws InterruptedException {
    police.flush();
    if (sendFailure.get() != null) {
      throw new IllegalStateException("publishing to the outbox failed", sendFailure.get());
    }
    side.meter.awaitCompleted(target, STALL);
    side.check.run();
  }

  /** The audit record's trace id, read from its raw bytes, must be the one a full decode gives; and it must be sealed. */
  private static void verifyAudit(byte[] value, long seq) {
    AuditRecord record;
    try {
      record = AuditRecord.fromByteBuffer(ByteBuffer.wrap(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String expected = String.format(Locale.ROOT, "%016x%016x", BenchEvents.TRACE_MARK, seq);
    if (seq < 0 || !record.getTraceId().equals(expected) || record.getHash().length() != 64) {
      throw new IllegalStateException("audit record " + record.getDisclosureId() + " has trace id "
          + record.getTraceId() + " and hash '" + record.getHash() + "'; the meter read event " + seq);
    }
  }

  private void checkExactlyOnce(EmbeddedKafkaKraftBroker broker, Meter... meters) {
    for (Meter meter : meters) {
      if (meter.extras() != 0 || meter.strays() != 0) {
        throw new IllegalStateException("output records beyond the expected ones: " + meter.extras()
            + " duplicates, " + meter.strays() + " of no bench event");
      }
    }
    long deadLetters = broker.doWithAdminFunction(admin -> {
      try {
        var offsets = admin.listOffsets(Map.of(new TopicPartition("hub.deadletter", 0),
            org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get();
        return offsets.values().stream().mapToLong(o -> o.offset()).sum();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    if (deadLetters != 0) {
      throw new IllegalStateException(deadLetters + " dead letters: the hub refused bench events");
    }
  }

  private static void report(List<Throughput> throughputs, long[] hubLatencies, long[] passLatencies, int rate) {
    double hub = median(throughputs.stream().filter(t -> t.side.equals("hub")).mapToDouble(Throughput::perSecond).toArray());
    double pass = median(throughputs.stream().filter(t -> t.side.equals("passthrough")).mapToDouble(Throughput::perSecond).toArray());
    Arrays.sort(hubLatencies);
    Arrays.sort(passLatencies);
    System.out.println();
    System.out.println("Hub vs raw transactional passthrough, same broker, same events, one side at a time");
    String format = "%-12s %14s %9s %9s %9s %9s%n";
    System.out.printf(Locale.ROOT, format, "side", "events/s (med)", "p50 ms", "p90 ms", "p99 ms", "max ms");
    row(format, "hub", hub, hubLatencies);
    row(format, "passthrough", pass, passLatencies);
    System.out.printf(Locale.ROOT, "events/s: median of %d throughput phases of %d events per side; latency: all %d"
        + " events per side of the phases at %d events/s; goal: ratio >= 0.8%n",
        throughputs.size() / 2, EVENTS, hubLatencies.length, rate);
    System.out.printf(Locale.ROOT, "ratio=%.2f hub=%.0f passthrough=%.0f hub_p99_ms=%.1f%n", hub / pass, hub, pass,
        ms(pct(hubLatencies, 99)));
  }

  private static void row(String format, String side, double perSecond, long[] sorted) {
    System.out.printf(Locale.ROOT, format, side, String.format(Locale.ROOT, "%.0f", perSecond),
        fmt(pct(sorted, 50)), fmt(pct(sorted, 90)), fmt(pct(sorted, 99)), fmt(sorted[sorted.length - 1]));
  }

  private static String fmt(long nanos) {
    return String.format(Locale.ROOT, "%.1f", ms(nanos));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Nearest-rank percentile of sorted values. */
  private static long pct(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static long[] concat(List<long[]> parts) {
    return parts.stream().flatMapToLong(Arrays::stream).toArray();
  }

  /** Before Spring Boot sets up logging (root WARN), the broker would log at DEBUG through logback's defaults. */
  private static void quietLogging() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    AuditHash.trustGeneratedClasses();
  }
}
