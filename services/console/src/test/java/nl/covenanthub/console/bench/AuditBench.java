package nl.covenanthub.console.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.console.ConsoleApplication;
import nl.covenanthub.console.audit.AuditRecordTable;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.DisclosurePage;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.report.SubjectReports;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Benchmark of the console's audit index: how fast it ingests {@code hub.audit} into PostgreSQL,
 * against plain COPY of the same rows in the same run and database, and how fast the privacy
 * officer's searches and other calls answer. See docs/benchmarks.md ("Audit index") and
 * bin/bench-audit.
 *
 * <ol>
 *   <li><b>Load.</b> {@link AuditLoad} writes {@code bench.rows} audit records, as the hub writes
 *       them (sealed hash chains per outbox partition, the real covenants' plans, skewed subjects
 *       and cases, decidedAt over months), to {@code hub.audit} (3 partitions) on an embedded KRaft
 *       broker, in producer transactions as the hub does.
 *   <li><b>Baseline.</b> {@link PlainCopy}: the same records, read and written as COPY rows to a
 *       file before the clock starts; timed, plain COPY from that file into a table with {@code
 *       audit_record}'s partitions, key and indexes, in chunks of the console's poll size.
 *   <li><b>Ingest.</b> The real console ({@link ConsoleApplication}: its Kafka listener, {@code
 *       IngestStore}, its Flyway schema, a real embedded PostgreSQL in a temporary directory)
 *       starts with its listener stopped; the clock runs from starting the listener until every
 *       chain's head is stored.
 *   <li><b>Searches.</b> After {@code VACUUM ANALYZE} (what autovacuum does after a bulk load), the
 *       query plans, then {@code bench.queries} searches by subject and as many by case reference,
 *       interleaved, for random subjects and cases that have records, through {@link
 *       SearchForms#toQuery} and {@link AuditSearch#search}, first page of 50, as the FG's page
 *       asks, after {@code bench.warmup-queries} of each. Then the 20 subjects and cases with the
 *       most records.
 *   <li><b>Other calls.</b> {@link OfficerCalls}: every other call of the privacy officer's pages
 *       and API, {@code bench.calls} times each after {@code bench.warmup-calls}.
 * </ol>
 *
 * The last line is {@code rows=<n> ingest_per_s=<n> copy_per_s=<n> copy_ratio=<ingest/copy>
 * subject_p95_ms=<ms> case_p95_ms=<ms> worst_p95_ms=<ms>}, worst being the slowest p95 of all
 * calls.
 */
public final class AuditBench {
  private static final String TOPIC = "hub.audit";
  private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
  private static final int SUBJECTS = Integer.getInteger("bench.subjects", 100_000);
  private static final int CASES = Integer.getInteger("bench.cases", 200_000);
  private static final int QUERIES = Integer.getInteger("bench.queries", 5_000);
  private static final int WARMUP_QUERIES = Integer.getInteger("bench.warmup-queries", 1_000);
  private static final int CALLS = Integer.getInteger("bench.calls", 100);
  private static final int WARMUP_CALLS = Integer.getInteger("bench.warmup-calls", 10);
  private static final int HEAVIEST = 20;
  private static final long SEED = Long.getLong("bench.seed", 20261129L);
  private static final Instant FIRST_DECISION = Instant.parse("2026-05-01T06:00:00Z");
  private static final Duration SPAN = Duration.ofDays(Integer.getInteger("bench.days", 180));
  private static final int PAGE = 50;
  private static final Duration STALL = Duration.ofSeconds(120);

  private final String brokers;
  private final Path covenants;

  private AuditBench(String brokers, Path covenants) {
    this.brokers = brokers;
    this.covenants = covenants;
  }

  public static void main(String[] args) {
    try {
      bench();
    } catch (Throwable e) {
      System.out.flush();
      System.err.println("AuditBench failed:");
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void bench() throws Exception {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback
          .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.ERROR);
      // Transactions v2 brokers log a retriable OutOfOrderSequenceException at ERROR when a
      // transaction's later batches reach a partition before its first one (KAFKA-18202); the
      // producer retries them (as in HubBench).
      logback.getLogger("kafka.server.ReplicaManager").setLevel(ch.qos.logback.classic.Level.OFF);
    }
    AuditHash.trustGeneratedClasses();
    if (System.getenv("COVENANT_KEY_SUBJECT_KEY") == null) {
      System.err.println(
          "AuditBench: set COVENANT_KEY_SUBJECT_KEY (base64 of 32 bytes); bin/bench-audit sets a bench-only key");
      System.exit(2);
    }
    Path covenants =
        Path.of(System.getProperty("bench.covenants", "covenants")).toAbsolutePath().normalize();
    if (!Files.isDirectory(covenants)) {
      throw new IllegalStateException(
          "covenant directory " + covenants + " not found; set -Dbench.covenants");
    }
    Path data = Files.createTempDirectory("bench-audit-postgres-");
    long started = System.nanoTime();
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.brokerProperties(
        Map.of(
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
    String report;
    try {
      broker.addTopics(new NewTopic(TOPIC, 3, (short) 1));
      System.out.printf(
          Locale.ROOT,
          "broker started in %.1f s; PostgreSQL data in %s (removed at the end)%n",
          seconds(started),
          data);
      report = new AuditBench(broker.getBrokersAsString(), covenants).run(data);
    } finally {
      broker.destroy();
      deleteRecursively(data);
      // The password the console generated for it, beside it.
      Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".password"));
    }
    System.out.printf(Locale.ROOT, "%ntotal run time %.0f s%n", seconds(started));
    System.out.print(report);
    System.out.flush();
    System.exit(0);
  }

  private String run(Path data) throws Exception {
    StringBuilder report = new StringBuilder();
    Pseudonymiser pseudonymiser =
        Pseudonymiser.forAuditSubject("subject-key", KeyRing.fromEnvironment());
    AuditLoad load =
        new AuditLoad(covenants, pseudonymiser, SUBJECTS, CASES, ROWS, FIRST_DECISION, SPAN, SEED);
    long rows = produce(load);
    Map<String, Integer> subjects = load.subjectsWithRecords();
    Map<String, Integer> cases = load.casesWithRecords();
    line(
        report,
        "data: %d records in %d chains; %d of %d subjects and %d of %d case references have records;"
            + " decidedAt over %d days from %s",
        rows,
        load.chainLengths().size(),
        subjects.size(),
        SUBJECTS,
        cases.size(),
        CASES,
        SPAN.toDays(),
        FIRST_DECISION);
    line(
        report,
        "records per subject: %s; per case reference: %s",
        distribution(subjects),
        distribution(cases));

    long t = System.nanoTime();
    ConfigurableApplicationContext console =
        new SpringApplicationBuilder(ConsoleApplication.class)
            .run(
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--spring.kafka.listener.auto-startup=false",
                "--console.postgres.data-directory=" + data,
                "--console.postgres.port=0",
                "--console.retention.cron=-",
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                "--logging.level.org.apache.kafka=ERROR");
    try {
      System.out.printf(
          Locale.ROOT,
          "console started in %.1f s (embedded PostgreSQL, Flyway, listener stopped)%n",
          seconds(t));
      JdbcClient db = console.getBean(JdbcClient.class);
      nl.covenanthub.devkit.LocalPostgres postgres =
          console.getBean(nl.covenanthub.devkit.LocalPostgres.class);
      String jdbcUrl = postgres.jdbcUrl() + "?user=postgres&password=" + postgres.password();
      int maxPoll =
          console
              .getEnvironment()
              .getProperty("spring.kafka.consumer.max-poll-records", Integer.class, 500);
      double copyPerSecond =
          baseline(jdbcUrl, rows, maxPoll, data.resolveSibling(data.getFileName() + ".copy"));
      double ingestPerSecond = ingest(console, db, rows, load.chainLengths());
      line(
          report,
          "ingest: console %.0f records/s; plain COPY of the same rows into a table with the same partitions,"
              + " key and indexes %.0f records/s; copy_ratio %.2f",
          ingestPerSecond,
          copyPerSecond,
          ingestPerSecond / copyPerSecond);

      t = System.nanoTime();
      db.sql("VACUUM ANALYZE audit_record").update();
      System.out.printf(Locale.ROOT, "VACUUM ANALYZE audit_record in %.1f s%n", seconds(t));
      line(
          report,
          "table audit_record: %s with indexes (%s heap)",
          db.sql(
                  "SELECT pg_size_pretty(sum(pg_total_relation_size(relid)))"
                      + " FROM pg_partition_tree('audit_record')")
              .query(String.class)
              .single(),
          db.sql(
                  "SELECT pg_size_pretty(sum(pg_relation_size(relid)))"
                      + " FROM pg_partition_tree('audit_record')")
              .query(String.class)
              .single());

      String typicalSubject = median(subjects);
      String heaviestSubject = heaviest(subjects, 1).get(0);
      String typicalCase = median(cases);
      String heaviestCase = heaviest(cases, 1).get(0);
      plans(
          db,
          "subject_pseudonym",
          typicalSubject,
          subjects.get(typicalSubject),
          heaviestSubject,
          subjects.get(heaviestSubject));
      plans(
          db,
          "case_reference",
          typicalCase,
          cases.get(typicalCase),
          heaviestCase,
          cases.get(heaviestCase));

      SearchForms forms = console.getBean(SearchForms.class);
      AuditSearch search = console.getBean(AuditSearch.class);
      Function<String, SearchForm> bySubject =
          s -> new SearchForm(null, s, null, null, null, null, null, null, null, 0, PAGE);
      Function<String, SearchForm> byCase =
          c -> new SearchForm(null, null, c, null, null, null, null, null, null, 0, PAGE);
      Searcher subjectSearch = new Searcher("subject", subjects, bySubject, forms, search);
      Searcher caseSearch = new Searcher("case reference", cases, byCase, forms, search);
      SplittableRandom random = new SplittableRandom(SEED + 1);
      List<String> subjectKeys = List.copyOf(subjects.keySet());
      List<String> caseKeys = List.copyOf(cases.keySet());
      t = System.nanoTime();
      for (int i = 0; i < WARMUP_QUERIES; i++) {
        subjectSearch.search(subjectKeys.get(random.nextInt(subjectKeys.size())));
        caseSearch.search(caseKeys.get(random.nextInt(caseKeys.size())));
      }
      System.out.printf(
          Locale.ROOT,
          "warm-up: %d searches by subject and %d by case reference in %.1f s%n",
          WARMUP_QUERIES,
          WARMUP_QUERIES,
          seconds(t));
      long[] subjectNanos = new long[QUERIES];
      long[] caseNanos = new long[QUERIES];
      t = System.nanoTime();
      long lastProgress = t;
      for (int i = 0; i < QUERIES; i++) {
        subjectNanos[i] = subjectSearch.search(subjectKeys.get(random.nextInt(subjectKeys.size())));
        caseNanos[i] = caseSearch.search(caseKeys.get(random.nextInt(caseKeys.size())));
        if (System.nanoTime() - lastProgress > 10_000_000_000L) {
          lastProgress = System.nanoTime();
          System.out.printf(
              Locale.ROOT, "  searches: %d of %d pairs, %.0f s%n", i + 1, QUERIES, seconds(t));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "measured: %d searches by subject and %d by case reference, interleaved, in %.1f s%n",
          QUERIES,
          QUERIES,
          seconds(t));
      long[] heavySubjectNanos = heavy(subjectSearch, heaviest(subjects, HEAVIEST));
      long[] heavyCaseNanos = heavy(caseSearch, heaviest(cases, HEAVIEST));

      line(report, "");
      line(
          report,
          "search (first page of %d, newest first, with the total)  queries   p50 ms   p95 ms   p99 ms   max ms"
              + "   rows/key mean  max",
          PAGE);
      double subjectP95 =
          latencyLine(report, "by subject, random subject with records", subjectNanos, subjects);
      double caseP95 =
          latencyLine(report, "by case reference, random case with records", caseNanos, cases);
      latencyLine(
          report,
          "by subject, the " + HEAVIEST + " with most records x10",
          heavySubjectNanos,
          top(subjects, HEAVIEST));
      latencyLine(
          report,
          "by case reference, the " + HEAVIEST + " with most records x10",
          heavyCaseNanos,
          top(cases, HEAVIEST));
      line(report, "");
      OfficerCalls calls =
          new OfficerCalls(
              forms,
              search,
              console.getBean(SubjectReports.class),
              console.getBean(IntegrityCheck.class),
              db,
              subjectKeys,
              FIRST_DECISION,
              SPAN);
      double callsWorstP95 = calls.measure(WARMUP_CALLS, CALLS, random, report);
      line(report, "goal: every call's p95 under 100 ms");
      line(
          report,
          "rows=%d ingest_per_s=%.0f copy_per_s=%.0f copy_ratio=%.2f subject_p95_ms=%.1f case_p95_ms=%.1f"
              + " worst_p95_ms=%.1f",
          rows,
          ingestPerSecond,
          copyPerSecond,
          ingestPerSecond / copyPerSecond,
          subjectP95,
          caseP95,
          Math.max(Math.max(subjectP95, caseP95), callsWorstP95));
      quietShutdown();
    } finally {
      console.close();
    }
    return report.toString();
  }

  /**
   * Writes the load to hub.audit in transactions of about 2,000 records, as the hub commits per
   * polled batch.
   */
  private long produce(AuditLoad load) {
    long t = System.nanoTime();
    long lastProgress = t;
    long records = 0;
    long bytes = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "bench-audit-hub",
                ProducerConfig.CLIENT_ID_CONFIG,
                "bench-audit-hub"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      long inTransaction = 0;
      while (records < ROWS) {
        for (AuditLoad.Sealed sealed : load.nextEvent()) {
          producer.send(new ProducerRecord<>(TOPIC, sealed.chainId(), sealed.bytes()));
          records++;
          inTransaction++;
          bytes += sealed.bytes().length;
        }
        if (inTransaction >= 2_000) {
          producer.commitTransaction();
          producer.beginTransaction();
          inTransaction = 0;
        }
        if (System.nanoTime() - lastProgress > 5_000_000_000L) {
          lastProgress = System.nanoTime();
          System.out.printf(
              Locale.ROOT,
              "  load: %d records written to %s, %.0f s%n",
              records,
              TOPIC,
              seconds(t));
        }
      }
      producer.commitTransaction();
    }
    System.out.printf(
        Locale.ROOT,
        "load: %d records (%.0f bytes each on average) written to %s in %.1f s%n",
        records,
        (double) bytes / records,
        TOPIC,
        seconds(t));
    return records;
  }

  /** Starts the console's listener and waits until every chain's head is stored; the records/s. */
  private static double ingest(
      ConfigurableApplicationContext console,
      JdbcClient db,
      long rows,
      Map<String, Long> chainLengths)
      throws InterruptedException {
    MessageListenerContainer listener =
        console.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the console has no Kafka listener"));
    if (listener.isRunning()) {
      throw new IllegalStateException(
          "the console's listener started on its own; the ingest cannot be timed");
    }
    long t = System.nanoTime();
    listener.start();
    long stored = 0;
    long lastStored = -1;
    long lastChange = t;
    long lastProgress = t;
    while (stored < rows) {
      Thread.sleep(200);
      // Each chain's head is its number of records: cheap to sum, unlike count(*) over the table.
      stored =
          db.sql("SELECT coalesce(sum(sequence), 0) FROM chain_head").query(Long.class).single();
      long now = System.nanoTime();
      if (stored != lastStored) {
        lastStored = stored;
        lastChange = now;
      } else if (now - lastChange > STALL.toNanos()) {
        throw new IllegalStateException(
            "the ingest stalled at " + stored + " of " + rows + " records");
      }
      if (now - lastProgress > 5_000_000_000L) {
        lastProgress = now;
        System.out.printf(
            Locale.ROOT,
            "  ingest: %d of %d records, %.0f s, %.0f records/s so far%n",
            stored,
            rows,
            seconds(t),
            stored / seconds(t));
      }
    }
    double perSecond = rows / seconds(t);
    System.out.printf(
        Locale.ROOT, "ingest: %d records in %.1f s, %.0f records/s%n", rows, seconds(t), perSecond);
    long counted = db.sql("SELECT count(*) FROM audit_record").query(Long.class).single();
    long problems = db.sql("SELECT count(*) FROM ingest_problem").query(Long.class).single();
    Map<String, Long> heads = new java.util.HashMap<>();
    db.sql("SELECT chain_id, sequence FROM chain_head")
        .query((rs, i) -> heads.put(rs.getString(1), rs.getLong(2)))
        .list();
    if (counted != rows || problems != 0 || !heads.equals(chainLengths)) {
      throw new IllegalStateException(
          "the index holds "
              + counted
              + " records and "
              + problems
              + " problems, heads "
              + heads
              + "; expected "
              + rows
              + " records, heads "
              + chainLengths);
    }
    return perSecond;
  }

  /**
   * Plain COPY of the same rows ({@link PlainCopy}), before the console's ingest, in the same
   * database; the records/s.
   */
  private double baseline(String jdbcUrl, long rows, int chunk, Path file) throws Exception {
    long t = System.nanoTime();
    PlainCopy copy = PlainCopy.prepare(brokers, TOPIC, rows, chunk, file);
    try {
      System.out.printf(
          Locale.ROOT,
          "baseline: %d records read, decoded and written as COPY rows to %s (%d MB) in %.1f s, untimed%n",
          copy.rows(),
          file,
          Files.size(file) >> 20,
          seconds(t));
      long started = System.nanoTime();
      long[] lastProgress = {started};
      double perSecond =
          copy.run(
              jdbcUrl,
              chunks -> {
                if (System.nanoTime() - lastProgress[0] > 5_000_000_000L) {
                  lastProgress[0] = System.nanoTime();
                  System.out.printf(
                      Locale.ROOT,
                      "  plain COPY: %d of %d chunks of %d rows, %.0f s%n",
                      chunks,
                      copy.chunks(),
                      chunk,
                      seconds(started));
                }
              });
      System.out.printf(
          Locale.ROOT,
          "baseline (plain COPY into a table with audit_record's partitions and its %d indexes, key included,"
              + " %d rows per commit): %d records in %.1f s, %.0f records/s%n",
          copy.indexes(),
          chunk,
          copy.rows(),
          seconds(started),
          perSecond);
      return perSecond;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * The plans of the two statements AuditSearch runs for a filter on {@code column}, for a typical
   * and the heaviest key.
   */
  private static void plans(
      JdbcClient db,
      String column,
      String typical,
      int typicalRows,
      String heaviest,
      int heaviestRows) {
    for (String[] key :
        new String[][] {
          {typical, "typical (median) key, " + typicalRows + " records"},
          {heaviest, "heaviest key, " + heaviestRows + " records"}
        }) {
      String where =
          " FROM audit_record WHERE " + column + " = '" + key[0].replace("'", "''") + "'";
      System.out.printf("%nEXPLAIN ANALYZE, %s = %s:%n", column, key[1]);
      // The same statements as AuditSearch.search with only this filter, first page.
      for (String sql :
          List.of(
              "SELECT count(*)" + where,
              "SELECT "
                  + AuditRecordTable.COLUMNS
                  + where
                  + " ORDER BY decided_at DESC, chain_id, sequence DESC LIMIT "
                  + PAGE
                  + " OFFSET 0")) {
        db.sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            .query(String.class)
            .list()
            .forEach(line -> System.out.println("  " + line));
      }
    }
    System.out.println();
  }

  /**
   * Searches outside the goal whose filters match a large share of the records, where counting the
   * total is the work: 10 each after 2 to warm up.
   */
  private static final class Searcher {
    private final String name;
    private final Map<String, Integer> expected;
    private final Function<String, SearchForm> form;
    private final SearchForms forms;
    private final AuditSearch search;

    Searcher(
        String name,
        Map<String, Integer> expected,
        Function<String, SearchForm> form,
        SearchForms forms,
        AuditSearch search) {
      this.name = name;
      this.expected = expected;
      this.form = form;
      this.forms = forms;
      this.search = search;
    }

    long search(String key) {
      long t = System.nanoTime();
      DisclosurePage page = search.search(forms.toQuery(form.apply(key)));
      long nanos = System.nanoTime() - t;
      int records = expected.get(key);
      boolean totalRight =
          page.totalEstimated()
              ? records > AuditSearch.EXACT_UP_TO && page.total() > AuditSearch.EXACT_UP_TO
              : page.total() == records;
      if (page.items().size() != Math.min(PAGE, records) || !totalRight) {
        throw new IllegalStateException(
            "the search by "
                + name
                + " found "
                + page.items().size()
                + " of "
                + page.total()
                + " records; "
                + records
                + " were written");
      }
      return nanos;
    }
  }

  private static long[] heavy(Searcher searcher, List<String> keys) {
    long[] nanos = new long[keys.size() * 10];
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < keys.size(); i++) {
        nanos[round * keys.size() + i] = searcher.search(keys.get(i));
      }
    }
    return nanos;
  }

  private static double latencyLine(
      StringBuilder report, String what, long[] nanos, Map<String, Integer> rowsPerKey) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double p95 = ms(percentile(sorted, 95));
    line(
        report,
        "%-58s %7d %8.2f %8.2f %8.2f %8.2f   %13.1f %4d",
        what,
        nanos.length,
        ms(percentile(sorted, 50)),
        p95,
        ms(percentile(sorted, 99)),
        ms(sorted[sorted.length - 1]),
        rowsPerKey.values().stream().mapToInt(Integer::intValue).average().orElse(0),
        rowsPerKey.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    return p95;
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String distribution(Map<String, Integer> rowsPerKey) {
    int[] counts = rowsPerKey.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "median %d, p99 %d, max %d",
        counts[counts.length / 2],
        counts[(int) Math.min(counts.length - 1, Math.ceil(0.99 * counts.length) - 1)],
        counts[counts.length - 1]);
  }

  private static String median(Map<String, Integer> rowsPerKey) {
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(rowsPerKey.entrySet());
    entries.sort(Map.Entry.comparingByValue());
    return entries.get(entries.size() / 2).getKey();
  }

  private static List<String> heaviest(Map<String, Integer> rowsPerKey, int n) {
    return rowsPerKey.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(n)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static Map<String, Integer> top(Map<String, Integer> rowsPerKey, int n) {
    Map<String, Integer> top = new java.util.LinkedHashMap<>();
    heaviest(rowsPerKey, n).forEach(key -> top.put(key, rowsPerKey.get(key)));
    return top;
  }

  private static void line(StringBuilder report, String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /**
   * Shutting the console and the broker down logs warnings about connections closing; the report
   * comes last.
   */
  private static void quietShutdown() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
      logback.getLoggerList().forEach(logger -> logger.setLevel(ch.qos.logback.classic.Level.OFF));
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.delete(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
