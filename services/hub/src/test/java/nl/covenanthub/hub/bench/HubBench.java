package nl.covenanthub.hub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.hub.HubApplication;
import nl.covenanthub.hub.HubProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * End-to-end benchmark of the hub against a raw kafka-clients transactional passthrough, on one
 * embedded KRaft broker in this JVM, in one run. See docs/benchmarks.md ("Hub") and bin/bench-hub.
 *
 * <p>Both sides get the same load: the same pre-encoded police signals (half {@code
 * zorg-en-veiligheid}, half {@code aanpak-ondermijning}) from one producer to an outbox of 3
 * partitions. Both run one consumer thread with the hub's settings, commit one transaction per
 * polled batch and write the same number of records per event (3 or 4: the hub's inbox and audit
 * records). The sides never run at the same time, and the side that goes first alternates between
 * rounds. Per side, each round has
 *
 * <ol>
 *   <li>a throughput phase: {@code bench.events} events sent as fast as the producer goes. Events/s
 *       is their number over the time from the first send until the last event's last output record
 *       is visible to a read_committed consumer;
 *   <li>a latency phase: events at a fixed rate, the same for both sides (half the slower side's
 *       throughput in round 1 unless {@code bench.rate} is set), for {@code bench.paced-seconds}.
 *       An event's latency runs from just before its send until its last output record is visible
 *       to read_committed.
 * </ol>
 *
 * Warm-up: rounds of one throughput phase of {@code bench.warmup} events per side, until the JIT
 * compiler is nearly done (see {@link #warmUp}).
 *
 * <p>With {@code -Dbench.threads=true}, each measured throughput phase also prints the CPU per
 * event of each group of threads (broker, hub, clients) and of the garbage collector's threads, the
 * bytes all Java threads allocated per event, and the broker's requests per 1,000 events by type
 * (from its JMX request metrics), to see where the time goes.
 *
 * <p>System properties {@code bench.hub.<property>=<value>} are handed to the hub as {@code
 * <property>=<value>}, to try a setting without a code change, e.g. {@code
 * -Dbench.hub.hub.outbox-threads=1}.
 *
 * <p>The last line is {@code ratio=<hub/passthrough> hub=<events/s> passthrough=<events/s>
 * hub_p99_ms=<ms>}: the median events/s of each side over the rounds, and the hub's p99 over all
 * its latency phases.
 *
 * <p>The hub reads its pseudonymisation key from {@code COVENANT_KEY_SUBJECT_KEY}; bin/bench-hub
 * sets a bench-only key.
 */
public final class HubBench {
  private static final int WARMUP = Integer.getInteger("bench.warmup", 10_000);
  private static final int WARMUP_PHASES = Integer.getInteger("bench.warmup-phases", 40);
  private static final int MIN_WARMUP_PHASES = Math.min(3, WARMUP_PHASES);

  /** The JIT compiler's largest share of a phase's CPU at which a warm-up counts as settled. */
  private static final double SETTLED_JIT_SHARE = 0.05;

  private static final int EVENTS = Integer.getInteger("bench.events", 20_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  private static final int PACED_SECONDS = Integer.getInteger("bench.paced-seconds", 5);
  private static final int FIXED_RATE = Integer.getInteger("bench.rate", 0);
  private static final boolean THREADS = Boolean.getBoolean("bench.threads");
  private static final int SWITCHES = Integer.getInteger("bench.switches", 0);

  /** Hub instances in one consumer group, in this JVM (docs/scaling.md). */
  private static final int HUBS = Integer.getInteger("bench.hubs", 1);

  private static final String HUB_PROPERTY = "bench.hub.";
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final int PARTITIONS = 3;
  private static final int CAPACITY = 4_000_000;

  private final BenchEvents events = new BenchEvents();
  private final KafkaProducer<String, byte[]> police;
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final AtomicLong nextSeq = new AtomicLong();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

  /** Linux's clock ticks per second, in which /proc gives a thread's CPU time. */
  private static final long TICKS_PER_SECOND = 100;

  private static final Path TASKS = Path.of("/proc/self/task");

  /** G1's threads as /proc names them (workers, marking, refinement) and the VM thread. */
  private static final String GC_THREADS = "GC Thread.*|G1 .*|VM Thread";

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private HubBench(String brokers) {
    this.police =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.CLIENT_ID_CONFIG,
                "bench-police"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /**
   * One side under test: where its events go, how its output is watched, and which threads do its
   * processing (the hub's listener threads, or the passthrough's loop).
   */
  private record Side(
      String name,
      String outbox,
      Meter meter,
      Runnable check,
      Predicate<String> processingThread) {}

  /** One throughput phase. */
  private record Phase(
      int round,
      String side,
      int events,
      double seconds,
      double cpuMicros,
      double threadMicros,
      double outBytes,
      double jitShare) {
    double perSecond() {
      return events / seconds;
    }
  }

  public static void main(String[] args) {
    try {
      bench();
    } catch (Throwable e) {
      System.out.flush();
      System.err.println("HubBench failed:");
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void bench() throws Exception {
    quietLogging();
    if (System.getenv("COVENANT_KEY_SUBJECT_KEY") == null) {
      System.err.println(
          "HubBench: set COVENANT_KEY_SUBJECT_KEY (base64 of 32 bytes); bin/bench-hub sets a bench-only key");
      System.exit(2);
    }
    Path covenants =
        Path.of(System.getProperty("bench.covenants", "covenants")).toAbsolutePath().normalize();
    if (!Files.isDirectory(covenants)) {
      throw new IllegalStateException(
          "covenant directory "
              + covenants
              + " not found; run from the repository root"
              + " or set -Dbench.covenants");
    }
    long started = System.nanoTime();
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
    broker.brokerProperties(
        Map.of(
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
    ConfigurableApplicationContext hub = null;
    List<ConfigurableApplicationContext> moreHubs = new ArrayList<>();
    String report = null;
    try {
      String brokers = broker.getBrokersAsString();
      List<String> properties =
          new ArrayList<>(
              List.of(
                  "spring.kafka.bootstrap-servers=" + brokers,
                  "hub.covenants=" + covenants,
                  "server.port=0",
                  "spring.main.banner-mode=off",
                  "logging.level.root=WARN",
                  // Transactions v2 brokers log a retriable OutOfOrderSequenceException at ERROR
                  // when a transaction's later batches to a partition arrive before its first one
                  // (KAFKA-18202); the producer retries them.
                  "logging.level.kafka.server.ReplicaManager=OFF",
                  // The producers' side of the same, and CONCURRENT_TRANSACTIONS while the previous
                  // transaction's markers are still being written: retried, logged at WARN.
                  "logging.level.org.apache.kafka.clients.producer.internals.Sender=ERROR"));
      Map<String, String> overrides = hubOverrides();
      overrides.forEach((k, v) -> properties.add(k + "=" + v));
      // As command-line arguments, which take precedence over application.yaml (default properties
      // would not).
      String[] arguments = properties.stream().map(p -> "--" + p).toArray(String[]::new);
      hub = new SpringApplicationBuilder(HubApplication.class).run(arguments);
      // Further instances share the consumer group and split the partitions with the first; each
      // has its own transactional ids (a random prefix, as in application.yaml).
      for (int i = 1; i < HUBS; i++) {
        moreHubs.add(new SpringApplicationBuilder(HubApplication.class).run(arguments));
      }
      String bootstrap = hub.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
      if (!brokers.equals(bootstrap)) {
        throw new IllegalStateException(
            "the hub uses brokers " + bootstrap + ", not the benchmark's " + brokers);
      }
      broker.addTopics(
          new NewTopic(Passthrough.OUTBOX, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.INBOX_A, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.INBOX_B, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.AUDIT, PARTITIONS, (short) 1),
          new NewTopic(Passthrough.INDEX, 1, (short) 1),
          new NewTopic(Passthrough.MATCHING, 1, (short) 1));
      Map<String, Object> producer = producerSettings(hub);
      // As many loops as the hub has threads per outbox, unless told otherwise: like for like.
      int hubThreads = hub.getBean(HubProperties.class).outboxThreads();
      int loops = Integer.getInteger("bench.passthrough-threads", hubThreads);
      System.out.printf(
          Locale.ROOT,
          "broker and %d hub instance(s) started in %.1f s%s; producer settings of both sides: %s;"
              + " threads per outbox: hub %d, passthrough %d%n",
          HUBS,
          (System.nanoTime() - started) / 1e9,
          overrides.isEmpty() ? "" : "; hub settings from bench.hub.*: " + overrides,
          producer,
          hubThreads,
          loops);
      report =
          new HubBench(brokers)
              .run(broker, producer, loops, new CovenantSwitches(brokers, covenants, hub));
      // Shutting the hub and the broker down logs warnings about connections closing; the report
      // comes last.
      if (LoggerFactory.getILoggerFactory()
          instanceof ch.qos.logback.classic.LoggerContext logback) {
        logback.addTurboFilter(
            new ch.qos.logback.classic.turbo.TurboFilter() {
              @Override
              public ch.qos.logback.core.spi.FilterReply decide(
                  org.slf4j.Marker marker,
                  ch.qos.logback.classic.Logger logger,
                  ch.qos.logback.classic.Level level,
                  String format,
                  Object[] params,
                  Throwable t) {
                return ch.qos.logback.core.spi.FilterReply.DENY;
              }
            });
      }
    } finally {
      moreHubs.forEach(ConfigurableApplicationContext::close);
      if (hub != null) {
        hub.close();
      }
      broker.destroy();
    }
    System.out.printf(
        Locale.ROOT, "%ntotal run time %.0f s%n", (System.nanoTime() - started) / 1e9);
    System.out.print(report);
    System.out.flush();
    System.exit(0);
  }

  /**
   * The settings of the hub's producer that shape its batches, for the passthrough to use the same.
   */
  private static Map<String, Object> producerSettings(ConfigurableApplicationContext hub) {
    Map<String, Object> all = hub.getBean(KafkaProperties.class).buildProducerProperties();
    Map<String, Object> settings = new TreeMap<>();
    for (String key :
        List.of(
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.LINGER_MS_CONFIG,
            ProducerConfig.BATCH_SIZE_CONFIG)) {
      if (all.containsKey(key)) {
        settings.put(key, all.get(key));
      }
    }
    return settings;
  }

  private static Map<String, String> hubOverrides() {
    Map<String, String> overrides = new TreeMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith(HUB_PROPERTY))
        .forEach(k -> overrides.put(k.substring(HUB_PROPERTY.length()), System.getProperty(k)));
    return overrides;
  }

  private String run(
      EmbeddedKafkaKraftBroker broker,
      Map<String, Object> producerSettings,
      int passthroughLoops,
      CovenantSwitches switches)
      throws Exception {
    String brokers = broker.getBrokersAsString();
    AtomicLong audited = new AtomicLong();
    ToLongFunction<ConsumerRecord<String, byte[]>> hubSeq =
        r -> {
          if (!r.topic().equals("hub.audit")) {
            org.apache.kafka.common.header.Header type = r.headers().lastHeader("event-type");
            if (type != null
                && new String(type.value(), StandardCharsets.UTF_8).equals("MatchNotice")) {
              return Meter.HUB_OWN;
            }
            return BenchEvents.seqOfTraceparent(r.headers());
          }
          if (r.key() != null && r.key().startsWith("hub.")) {
            return Meter.HUB_OWN; // a chain of the hub's own topics (matching checks)
          }
          long seq = BenchEvents.seqOfAuditRecord(r.value());
          if (audited.getAndIncrement() % 1000 == 0) {
            verifyAudit(r.value(), seq);
          }
          return seq;
        };
    try (Meter hubMeter =
            new Meter(
                "hub",
                brokers,
                List.of("partner.lzn.inbox", "partner.riec.inbox", "hub.audit"),
                hubSeq,
                CAPACITY);
        Meter passMeter =
            new Meter(
                "passthrough",
                brokers,
                Passthrough.OUTPUTS,
                r ->
                    Passthrough.MATCHING_CHAIN.equals(r.key())
                        ? Meter.HUB_OWN
                        : BenchEvents.seqOfTraceparent(r.headers()),
                CAPACITY);
        Passthrough passthrough = new Passthrough(brokers, producerSettings, passthroughLoops)) {
      // The listener container names its consumer threads <listener id>-<n>-C-<n>; the hub's
      // listener id is "outbox".
      Side hub =
          new Side(
              "hub",
              BenchEvents.POLICE_OUTBOX,
              hubMeter,
              () -> {},
              name -> name.startsWith("outbox-") && name.contains("-C-"));
      Side pass =
          new Side(
              "passthrough",
              Passthrough.OUTBOX,
              passMeter,
              passthrough::check,
              name -> name.startsWith(Passthrough.THREAD) && !name.endsWith("-matching"));

      System.out.printf(
          Locale.ROOT,
          "load: %d-byte police signals on average, %.1f output records each (inbox + audit);"
              + " warm-up rounds of %d events per side until the JIT takes <= 5%% of the CPU (%d to %d rounds);"
              + " %d rounds of %d events per side at"
              + " full speed and %d s per side at a fixed rate%n",
          Math.round(events.meanSize()),
          (BenchEvents.ZORG_OUTPUTS + BenchEvents.ONDERMIJNING_OUTPUTS) / 2.0,
          WARMUP,
          MIN_WARMUP_PHASES,
          WARMUP_PHASES,
          ROUNDS,
          EVENTS,
          PACED_SECONDS);
      String header =
          String.format(
              Locale.ROOT,
              "%-7s %-12s %7s %8s %9s %12s %14s %11s %5s",
              "phase",
              "side",
              "events",
              "seconds",
              "events/s",
              "cpu us/event",
              "thread us/event",
              "out B/event",
              "jit %");
      System.out.println(header);
      warmUp(List.of(hub, pass));

      List<Phase> phases = new ArrayList<>();
      List<long[]> hubLatencies = new ArrayList<>();
      List<long[]> passLatencies = new ArrayList<>();
      int rate = FIXED_RATE;
      for (int round = 1; round <= ROUNDS; round++) {
        List<Side> order = round % 2 == 1 ? List.of(hub, pass) : List.of(pass, hub);
        for (Side side : order) {
          Phase phase = throughput(round, side, EVENTS);
          phases.add(phase);
          print("round " + round, phase);
        }
        if (rate == 0) {
          double slower = phases.stream().mapToDouble(Phase::perSecond).min().orElseThrow();
          rate = (int) Math.max(100, Math.round(slower / 2 / 100) * 100);
        }
        for (Side side : order) {
          long[] latencies = paced(side, rate, rate * PACED_SECONDS);
          (side == hub ? hubLatencies : passLatencies).add(latencies);
          long[] sorted = latencies.clone();
          Arrays.sort(sorted);
          System.out.printf(
              Locale.ROOT,
              "%-7s %-12s %7d events at %d/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n",
              "round " + round,
              side.name,
              latencies.length,
              rate,
              ms(pct(sorted, 50)),
              ms(pct(sorted, 90)),
              ms(pct(sorted, 99)));
        }
      }
      String switchReport = SWITCHES > 0 ? acrossSwitches(hub, rate, switches) : "";
      checkExactlyOnce(broker, hubMeter, passMeter);
      police.close();
      switches.close();
      return report(phases, concat(hubLatencies), concat(passLatencies), rate) + switchReport;
    }
  }

  /**
   * Warm-up rounds of one throughput phase of {@code bench.warmup} events per side, the sides
   * taking turns as in the measured rounds (they share the broker's and the clients' code, whose
   * compiled form each side's traffic reshapes), until the JIT compiler is nearly done: at least
   * {@link #MIN_WARMUP_PHASES} rounds, then until a round in which the compiler's threads took at
   * most {@value #SETTLED_JIT_SHARE} of the CPU on both sides; at most {@code bench.warmup-phases}
   * rounds. Before 2026-12-07 the warm-up ended when events/s settled, after 3 to 4 phases per
   * side, and the compiler then took 40 to 80 us of CPU per hub event in the measured rounds
   * (docs/benchmarks.md, "Hub"). Events/s is no condition any more: the passthrough's varies by a
   * third from one phase to the next on this machine, compiled or not.
   */
  private void warmUp(List<Side> sides) throws InterruptedException {
    for (int i = 1; i <= WARMUP_PHASES; i++) {
      boolean settled = i >= MIN_WARMUP_PHASES;
      for (Side side : sides) {
        Phase phase = throughput(0, side, WARMUP);
        print("warm-up", phase);
        settled &= phase.jitShare <= SETTLED_JIT_SHARE;
      }
      if (settled) {
        System.out.printf(Locale.ROOT, "warm-up: the JIT settled after %d rounds%n", i);
        return;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "warm-up: the JIT still took over %.0f%% after %d rounds; measuring anyway%n",
        100 * SETTLED_JIT_SHARE,
        WARMUP_PHASES);
  }

  private static void print(String label, Phase p) {
    System.out.printf(
        Locale.ROOT,
        "%-7s %-12s %7d %8.2f %9.0f %12.0f %14.0f %11.0f %5.0f%n",
        label,
        p.side,
        p.events,
        p.seconds,
        p.perSecond(),
        p.cpuMicros,
        p.threadMicros,
        p.outBytes,
        100 * p.jitShare);
  }

  /**
   * The CPU time of the JIT compiler's threads so far: from /proc on Linux (their names start with
   * "C1 CompilerThre" or "C2 CompilerThre"); elsewhere the compilation MXBean's time, which counts
   * a compile's waits for a core too.
   */
  private long jitCpuNanos() {
    if (!Files.isDirectory(TASKS)) {
      return jit.getTotalCompilationTime() * 1_000_000;
    }
    return nativeCpuNanos("C[12] CompilerThre.*");
  }

  /**
   * The CPU time so far of the JVM's own threads whose names (as /proc shows them, 15 characters at
   * most) match {@code name}; 0 where there is no /proc. The JIT's and the GC's threads are not
   * Java threads, so the thread MXBean does not see them.
   */
  private static long nativeCpuNanos(String name) {
    if (!Files.isDirectory(TASKS)) {
      return 0;
    }
    long ticks = 0;
    try (var threadDirs = Files.list(TASKS)) {
      for (Path task : threadDirs.toList()) {
        try {
          if (!Files.readString(task.resolve("comm")).strip().matches(name)) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          // After the name in parentheses: state is field 3, utime 14 and stime 15 (proc(5)).
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ticks * (1_000_000_000 / TICKS_PER_SECOND);
  }

  /** Sends {@code n} events as fast as the producer goes; the time until the last one is done. */
  private Phase throughput(int round, Side side, int n) throws InterruptedException {
    long target = side.meter.completed() + n;
    long first = nextSeq.get();
    long bytes = side.meter.bytes();
    long cpu = os.getProcessCpuTime();
    long jitCpu = jitCpuNanos();
    long threadCpu = threadCpu(side.processingThread);
    Diagnostics before = THREADS && round > 0 ? diagnostics() : null;
    for (int i = 0; i < n; i++) {
      send(side, nextSeq.getAndIncrement());
    }
    long last = nextSeq.get() - 1;
    await(side, target);
    cpu = os.getProcessCpuTime() - cpu;
    jitCpu = jitCpuNanos() - jitCpu;
    threadCpu = threadCpu(side.processingThread) - threadCpu;
    bytes = side.meter.bytes() - bytes;
    if (before != null) {
      printDiagnostics(side.name, before, n);
    }
    long end = 0;
    for (long seq = first; seq <= last; seq++) {
      end = Math.max(end, side.meter.doneNanos(seq));
    }
    return new Phase(
        round,
        side.name,
        n,
        (end - side.meter.sentNanos(first)) / 1e9,
        cpu / 1e3 / n,
        threadCpu / 1e3 / n,
        (double) bytes / n,
        (double) jitCpu / Math.max(1, cpu));
  }

  /**
   * {@code bench.switches} pairs of hub phases at the fixed rate: one steady, one with a new
   * covenant version published halfway. Every event must be decided once (the meter and {@link
   * #checkExactlyOnce} say so) and the switch must have happened; the p99 of both kinds is
   * compared.
   */
  private String acrossSwitches(Side hub, int rate, CovenantSwitches switches)
      throws InterruptedException {
    List<Double> steady = new ArrayList<>();
    List<Double> across = new ArrayList<>();
    int n = rate * PACED_SECONDS;
    for (int i = 1; i <= SWITCHES; i++) {
      steady.add(p99(paced(hub, rate, n)));
      int version = switches.next();
      across.add(p99(paced(hub, rate, n, n / 2, () -> switches.publish(version))));
      switches.awaitInForce(version);
      System.out.printf(
          Locale.ROOT,
          "switch %d hub p99 steady %.1f ms, across the switch to v%d %.1f ms%n",
          i,
          steady.get(i - 1),
          version,
          across.get(i - 1));
    }
    double steadyMedian = medianOf(steady);
    double acrossMedian = medianOf(across);
    return String.format(
        Locale.ROOT,
        "covenant switches: %d pairs of %d events at %d/s, a new version published halfway through"
            + " the second; every event decided once; goal: p99 across <= 2x steady%n"
            + "switch_p99_ratio=%.2f steady_p99_ms=%.1f (%.1f to %.1f) across_p99_ms=%.1f (%.1f to %.1f)%n",
        SWITCHES,
        n,
        rate,
        acrossMedian / steadyMedian,
        steadyMedian,
        steady.stream().mapToDouble(d -> d).min().orElseThrow(),
        steady.stream().mapToDouble(d -> d).max().orElseThrow(),
        acrossMedian,
        across.stream().mapToDouble(d -> d).min().orElseThrow(),
        across.stream().mapToDouble(d -> d).max().orElseThrow());
  }

  private static double p99(long[] latencies) {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return ms(pct(sorted, 99));
  }

  private static double medianOf(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(d -> d).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Sends {@code n} events at {@code rate} per second; each one's latency in nanoseconds. */
  private long[] paced(Side side, int rate, int n) throws InterruptedException {
    return paced(side, rate, n, -1, () -> {});
  }

  /** As above, running {@code action} just before event {@code at} is sent. */
  private long[] paced(Side side, int rate, int n, int at, Runnable action)
      throws InterruptedException {
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
      if (i == at) {
        action.run();
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
    police.send(
        events.record(side.outbox, seq),
        (metadata, e) -> {
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

  /** CPU time so far of the live threads whose names match; ended threads no longer count. */
  private long threadCpu(Predicate<String> name) {
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (name.test(thread.getName())) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
  }

  private Map<Long, Long> cpuByThread() {
    Map<Long, Long> cpu = new TreeMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      cpu.put(thread.getId(), Math.max(0, threads.getThreadCpuTime(thread.getId())));
    }
    return cpu;
  }

  /** What {@code -Dbench.threads=true} compares before and after a phase. */
  private record Diagnostics(
      Map<Long, Long> cpuByThread, long gcCpu, long allocated, Map<String, Long> requests) {}

  private Diagnostics diagnostics() {
    return new Diagnostics(
        cpuByThread(), nativeCpuNanos(GC_THREADS), allocatedBytes(), brokerRequests());
  }

  /** Per event since {@code before}: CPU by thread group and of the GC, allocation, requests. */
  private void printDiagnostics(String side, Diagnostics before, int n) {
    printThreadGroups(side, before.cpuByThread(), n);
    System.out.printf(
        Locale.ROOT,
        "  %s cpu us/event of the garbage collector's threads: %.0f%n",
        side,
        (nativeCpuNanos(GC_THREADS) - before.gcCpu()) / 1e3 / n);
    System.out.printf(
        Locale.ROOT,
        "  %s bytes allocated per event by all Java threads: %.0f%n",
        side,
        (double) (allocatedBytes() - before.allocated()) / n);
    printRequests(side, before.requests(), n);
  }

  /** What the live Java threads allocated so far (HotSpot's thread MXBean). */
  private long allocatedBytes() {
    long total = 0;
    com.sun.management.ThreadMXBean hotspot = (com.sun.management.ThreadMXBean) threads;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      total += Math.max(0, hotspot.getThreadAllocatedBytes(thread.getId()));
    }
    return total;
  }

  /** The broker's requests so far by type, from its {@code RequestsPerSec} meters. */
  private static Map<String, Long> brokerRequests() {
    Map<String, Long> counts = new TreeMap<>();
    try {
      javax.management.MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (javax.management.ObjectName name :
          server.queryNames(
              new javax.management.ObjectName(
                  "kafka.network:type=RequestMetrics,name=RequestsPerSec,*"),
              null)) {
        counts.merge(
            name.getKeyProperty("request"),
            ((Number) server.getAttribute(name, "Count")).longValue(),
            Long::sum);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return counts;
  }

  private static void printRequests(String side, Map<String, Long> before, int n) {
    StringBuilder line = new StringBuilder("  " + side + " broker requests per 1000 events:");
    brokerRequests()
        .forEach(
            (type, count) -> {
              long delta = count - before.getOrDefault(type, 0L);
              if (delta * 1000 / n >= 1) {
                line.append(String.format(Locale.ROOT, " %s %d;", type, delta * 1000 / n));
              }
            });
    System.out.println(line);
  }

  /**
   * CPU per event since {@code before} by thread group (name with its numbers taken out), largest
   * first.
   */
  private void printThreadGroups(String side, Map<Long, Long> before, int n) {
    Map<String, Long> groups = new TreeMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      long now = Math.max(0, threads.getThreadCpuTime(thread.getId()));
      long delta = now - before.getOrDefault(thread.getId(), 0L);
      if (delta > 0) {
        groups.merge(thread.getName().replaceAll("[0-9]+", "#"), delta, Long::sum);
      }
    }
    StringBuilder line = new StringBuilder("  " + side + " cpu us/event by thread:");
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() / 1e3 / n >= 1)
        .forEach(
            e ->
                line.append(
                    String.format(Locale.ROOT, " [%s] %.0f;", e.getKey(), e.getValue() / 1e3 / n)));
    System.out.println(line);
  }

  /**
   * The audit record's trace id as the meter reads it from raw bytes must be what a full decode
   * gives.
   */
  private static void verifyAudit(byte[] value, long seq) {
    AuditRecord record;
    try {
      record = AuditRecord.fromByteBuffer(ByteBuffer.wrap(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String expected = String.format(Locale.ROOT, "%016x%016x", BenchEvents.TRACE_MARK, seq);
    if (seq < 0 || !record.getTraceId().equals(expected) || record.getHash().length() != 64) {
      throw new IllegalStateException(
          "audit record "
              + record.getDisclosureId()
              + " has trace id "
              + record.getTraceId()
              + " and hash '"
              + record.getHash()
              + "'; the meter read event "
              + seq);
    }
  }

  /** No output record twice, none that belongs to no event, and no bench event dead-lettered. */
  private static void checkExactlyOnce(EmbeddedKafkaKraftBroker broker, Meter... meters) {
    for (Meter meter : meters) {
      if (meter.extras() != 0 || meter.strays() != 0) {
        throw new IllegalStateException(
            "output records beyond the expected ones: "
                + meter.extras()
                + " duplicates, "
                + meter.strays()
                + " of no bench event");
      }
    }
    long deadLetters =
        broker.doWithAdminFunction(
            admin -> {
              try {
                return admin
                    .listOffsets(
                        Map.of(new TopicPartition("hub.deadletter", 0), OffsetSpec.latest()))
                    .all()
                    .get()
                    .values()
                    .stream()
                    .mapToLong(o -> o.offset())
                    .sum();
              } catch (Exception e) {
                throw new IllegalStateException("cannot read the end of hub.deadletter", e);
              }
            });
    if (deadLetters != 0) {
      throw new IllegalStateException(deadLetters + " dead letters: the hub refused bench events");
    }
  }

  private static String report(
      List<Phase> phases, long[] hubLatencies, long[] passLatencies, int rate) {
    List<Phase> hubPhases = phases.stream().filter(p -> p.side.equals("hub")).toList();
    List<Phase> passPhases = phases.stream().filter(p -> p.side.equals("passthrough")).toList();
    double hub = median(hubPhases, Phase::perSecond);
    double pass = median(passPhases, Phase::perSecond);
    Arrays.sort(hubLatencies);
    Arrays.sort(passLatencies);
    StringBuilder out = new StringBuilder();
    out.append(
        "Hub vs raw transactional passthrough: same broker, same events, one side at a time\n");
    String format = "%-12s %9s %12s %15s %11s %6s %8s %8s %8s %8s%n";
    out.append(
        String.format(
            Locale.ROOT,
            format,
            "side",
            "events/s",
            "cpu us/event",
            "thread us/event",
            "out B/event",
            "jit %",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms"));
    out.append(row(format, "hub", hubPhases, hubLatencies));
    out.append(row(format, "passthrough", passPhases, passLatencies));
    out.append(
        String.format(
            Locale.ROOT,
            "events/s, cpu (whole JVM: broker, clients, hub) and thread (listener or"
                + " passthrough loop) per event, output bytes per event, the JIT compiler's share of the CPU:"
                + " medians of %d phases of %d events per side;%n"
                + "latency: all %d events per side sent at %d/s; goal: ratio >= 0.8%n",
            hubPhases.size(),
            EVENTS,
            hubLatencies.length,
            rate));
    out.append(
        String.format(
            Locale.ROOT,
            "ratio=%.2f hub=%.0f passthrough=%.0f hub_p99_ms=%.1f%n",
            hub / pass,
            hub,
            pass,
            ms(pct(hubLatencies, 99))));
    return out.toString();
  }

  private static String row(String format, String side, List<Phase> phases, long[] sorted) {
    return String.format(
        Locale.ROOT,
        format,
        side,
        String.format(Locale.ROOT, "%.0f", median(phases, Phase::perSecond)),
        String.format(Locale.ROOT, "%.0f", median(phases, Phase::cpuMicros)),
        String.format(Locale.ROOT, "%.0f", median(phases, Phase::threadMicros)),
        String.format(Locale.ROOT, "%.0f", median(phases, Phase::outBytes)),
        String.format(Locale.ROOT, "%.0f", 100 * median(phases, Phase::jitShare)),
        fmt(pct(sorted, 50)),
        fmt(pct(sorted, 90)),
        fmt(pct(sorted, 99)),
        fmt(sorted[sorted.length - 1]));
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

  private static double median(List<Phase> phases, ToDoubleFunction<Phase> value) {
    double[] values = phases.stream().mapToDouble(value).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static long[] concat(List<long[]> parts) {
    return parts.stream().flatMapToLong(Arrays::stream).toArray();
  }

  /**
   * Before Spring Boot sets up logging (root WARN), the broker would log at DEBUG through logback's
   * defaults.
   */
  private static void quietLogging() {
    setRootLevel(ch.qos.logback.classic.Level.ERROR);
    AuditHash.trustGeneratedClasses();
  }

  private static void setRootLevel(ch.qos.logback.classic.Level level) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(level);
    }
  }
}
