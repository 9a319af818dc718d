package nl.covenanthub.demo;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Simulated partner systems for the local hub: the Lokaal Zorgnetwerk, the police, Veilig Thuis and
 * the RIEC each publish case events to their outbox and print what arrives in their inbox; the
 * hub's dead letters and wholly withheld events are printed too.
 *
 * <pre>
 * java -jar services/demo/target/demo-0.1.0-SNAPSHOT.jar [--count N] [--interval-ms 2000] [--color]
 * </pre>
 *
 * The broker is {@code KAFKA_BOOTSTRAP_SERVERS} (default localhost:9092); with {@code
 * KAFKA_TOKEN_ENDPOINT} set, each partner logs in to it as itself (see {@link KafkaLogins}).
 * Without {@code --count} it runs until stopped; with it, it publishes N events, waits until the
 * hub has decided each and every delivery and dead letter has been printed, and exits 0 (1 if that
 * took longer than a minute).
 */
public final class DemoPartners {
  /** The partners the demo publishes as. */
  static final List<String> PUBLISHERS = List.of("lzn", "politie", "veilig-thuis", "riec");

  /**
   * The partners whose inboxes the demo prints: the publishers, and odr, which only receives (the
   * municipality's niet-pluis signals, docs/niet-pluis.md).
   */
  static final List<String> PARTNERS = List.of("lzn", "politie", "veilig-thuis", "riec", "odr");

  /** The partner that receives by webhook in the demo too. */
  static final String WEBHOOK_PARTNER = "veilig-thuis";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

  private final Options options;
  private final Console console;
  private final Progress progress = new Progress();
  private final KafkaLogins logins;
  private final List<InboxReader> inboxes = new ArrayList<>();
  private final HubWatcher hub;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, KafkaProducer<String, byte[]>> outboxes = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private WebhookReceiver webhook;

  record Options(KafkaLogins logins, int count, long intervalMillis, boolean colour) {
    static Options parse(String[] args, Map<String, String> env) {
      KafkaLogins logins = new KafkaLogins(env);
      int count = 0;
      long interval = 2000;
      boolean colour = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--count" -> count = Integer.parseInt(value(args, ++i, "--count"));
          case "--interval-ms" -> interval = Long.parseLong(value(args, ++i, "--interval-ms"));
          case "--color", "--colour" -> colour = true;
          case "--help", "-h" -> throw new IllegalArgumentException("");
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (count < 0 || interval < 0) {
        throw new IllegalArgumentException("--count and --interval-ms must not be negative");
      }
      return new Options(logins, count, interval, colour);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  DemoPartners(Options options) {
    this.options = options;
    this.console = new Console(System.out, options.colour());
    this.logins = options.logins();
    for (String partner : PARTNERS) {
      inboxes.add(
          new InboxReader(partner, logins.partner(partner), console, progress, this::acknowledge));
    }
    this.hub = new HubWatcher(logins.operator(), "hub.audit", "hub.deadletter", console, progress);
  }

  /**
   * Veilig Thuis's webhook receiver, when the launcher configured the hub to deliver to it ({@code
   * DEMO_WEBHOOK_PORT} and {@code DEMO_WEBHOOK_SECRET}).
   */
  private void startWebhook(Map<String, String> env) {
    String port = env.get("DEMO_WEBHOOK_PORT");
    String secret = env.get("DEMO_WEBHOOK_SECRET");
    if (port == null || secret == null) {
      return;
    }
    try {
      webhook =
          new WebhookReceiver(
              WEBHOOK_PARTNER, Integer.parseInt(port), List.of(secret.split(",")), console);
      webhook.start();
      console.say(
          WEBHOOK_PARTNER,
          "receives by webhook too, on http://localhost:" + port + "/hooks/" + WEBHOOK_PARTNER);
    } catch (IOException | NumberFormatException e) {
      console.say("demo", "no webhook receiver (" + e.getClass().getSimpleName() + ")");
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("demo: " + e.getMessage());
      }
      System.err.println(
          "usage: DemoPartners [--count N] [--interval-ms MILLIS] [--color]  (broker: KAFKA_BOOTSTRAP_SERVERS;"
              + " logins: KAFKA_TOKEN_ENDPOINT, KAFKA_CLIENT_SECRET_<PARTNER>, KAFKA_ADMIN_*)");
      System.exit(2);
      return;
    }
    AuditHash.trustGeneratedClasses();
    DemoPartners demo;
    try {
      demo = new DemoPartners(options);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.exit(2);
      return;
    }
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (demo.running) { // stopped from outside (Ctrl-C, TERM) while still running
                    demo.running = false;
                    main.interrupt();
                    demo.stop();
                    demo.console.say("demo", "stopped: " + demo.progress.summary());
                  }
                },
                "demo-shutdown"));
    int status = demo.run();
    demo.running = false;
    System.exit(status);
  }

  int run() throws InterruptedException {
    console.say(
        "demo",
        "partners "
            + String.join(", ", PARTNERS)
            + " on "
            + logins.bootstrap()
            + (logins.authenticated() ? ", each logged in as itself" : "")
            + ": waiting for their inboxes…");
    startWebhook(System.getenv());
    start(hub, "hub-watcher");
    inboxes.forEach(inbox -> start(inbox, inbox.topic()));
    if (!awaitReady()) {
      return running ? 1 : 0;
    }
    for (String partner : PUBLISHERS) {
      outboxes.put(partner, producer(partner));
    }
    console.say(
        "demo",
        options.count() > 0
            ? "publishing "
                + options.count()
                + " events, one every "
                + options.intervalMillis()
                + " ms"
            : "publishing an event every " + options.intervalMillis() + " ms; Ctrl-C stops");
    Scenarios scenarios =
        new Scenarios(Clock.systemUTC(), ThreadLocalRandom.current().nextInt(10_000, 99_999));
    try {
      for (int sent = 0; running && (options.count() == 0 || sent < options.count()); sent++) {
        if (sent > 0) {
          Thread.sleep(options.intervalMillis());
        }
        publish(scenarios.next());
      }
      if (options.count() > 0) {
        boolean settled = progress.awaitSettled(SETTLE_TIMEOUT.toMillis());
        console.say("demo", progress.summary());
        if (!settled) {
          console.say(
              "demo",
              "gave up after "
                  + SETTLE_TIMEOUT.toSeconds()
                  + " s waiting for:\n  "
                  + String.join("\n  ", progress.missing()));
          return 1;
        }
      }
      return 0;
    } catch (InterruptedException e) {
      return 0;
    } finally {
      stop();
    }
  }

  private boolean awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    if (!hub.ready().await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      console.say(
          "demo",
          "hub.audit and hub.deadletter did not appear within "
              + READY_TIMEOUT.toSeconds()
              + " s: is the hub running? It creates the topics when it starts.");
      return false;
    }
    for (InboxReader inbox : inboxes) {
      if (!inbox.ready().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        console.say(
            "demo",
            inbox.topic()
                + " was not assigned within "
                + READY_TIMEOUT.toSeconds()
                + " s: does a covenant name this partner?");
        return false;
      }
    }
    return true;
  }

  private void publish(Scenario scenario) throws InterruptedException {
    console.say(
        scenario.publisher(),
        "→ outbox " + scenario.describe() + "  · expected " + scenario.expectation());
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(scenario.topic(), scenario.key(), scenario.bytes());
    try {
      RecordMetadata sent =
          outboxes.get(scenario.publisher()).send(record).get(30, TimeUnit.SECONDS);
      progress.published(
          Progress.source(sent.topic(), sent.partition(), sent.offset()),
          scenario.publisher() + " " + scenario.describe());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      console.say(
          scenario.publisher(), "could not publish to " + scenario.topic() + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      if (running) {
        throw e;
      }
    }
  }

  /** A partner acknowledges a withdrawal notice on its outbox; the hub passes it on. */
  private void acknowledge(String partner, WithdrawalAcknowledgement ack) {
    KafkaProducer<String, byte[]> outbox = outboxes.get(partner);
    if (outbox == null) {
      return; // stopping
    }
    String topic = "partner." + partner + ".outbox";
    console.say(partner, "→ outbox WithdrawalAcknowledgement of notice " + ack.getNoticeId());
    try {
      RecordMetadata sent =
          outbox
              .send(
                  new ProducerRecord<>(
                      topic, ack.getCaseReference(), SingleObjectEncoding.bytes(ack)))
              .get(30, TimeUnit.SECONDS);
      progress.published(
          Progress.source(sent.topic(), sent.partition(), sent.offset()),
          partner + " WithdrawalAcknowledgement");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      console.say(partner, "could not publish to " + topic + ": " + e.getMessage());
    }
  }

  private KafkaProducer<String, byte[]> producer(String partner) {
    Map<String, Object> config = new LinkedHashMap<>(logins.partner(partner));
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "demo-" + partner + "-outbox");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private void start(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private synchronized void stop() {
    if (webhook != null) {
      webhook.close();
    }
    inboxes.forEach(InboxReader::stop);
    hub.stop();
    for (Thread thread : threads) {
      try {
        thread.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    threads.clear();
    outboxes.values().forEach(producer -> producer.close(Duration.ofSeconds(2)));
    outboxes.clear();
  }
}
