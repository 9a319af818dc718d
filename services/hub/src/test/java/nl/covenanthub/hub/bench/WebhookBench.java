package nl.covenanthub.hub.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import nl.covenanthub.events.WebhookSignatures;
import nl.covenanthub.hub.HubApplication;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Webhook delivery against a plain HTTP client, in one run: a local receiver that answers 204 at
 * once counts what arrives. The hub's side: police reports of domestic violence published to the
 * outbox, decided, and delivered to Veilig Thuis's webhook (one deliverer thread per partner,
 * signed, with its state recorded); throughput from the first publication to the last receipt,
 * latency from each inbox record's time to its receipt. The baseline: one thread of the JDK's
 * HttpClient POSTing the same bodies one after the other to the same receiver. The last line is
 * {@code ratio=<hub/plain> hub_per_s=<n> plain_per_s=<n> added_p50_ms=<ms> added_p99_ms=<ms>}.
 */
public final class WebhookBench {
  private static final int EVENTS = Integer.getInteger("bench.events", 2000);
  private static final int ONE_BY_ONE = Integer.getInteger("bench.latency-events", 200);
  private static final String SECRET = WebhookSignatures.newSecret();

  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

  /** When the webhook of each event arrived, by event id ({@link System#nanoTime}). */
  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

  private final AtomicLong count = new AtomicLong();

  public static void main(String[] args) throws Exception {
    Path covenants =
        Path.of(System.getProperty("bench.covenants", "covenants")).toAbsolutePath().normalize();
    if (!Files.isDirectory(covenants)) {
      throw new IllegalStateException("covenant directory " + covenants + " not found");
    }
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.brokerProperties(
        Map.of(
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1"));
    broker.afterPropertiesSet();
    WebhookBench bench = new WebhookBench();
    HttpServer receiver = bench.receiver();
    int port = receiver.getAddress().getPort();
    String url = "http://localhost:" + port + "/hooks/veilig-thuis";
    ConfigurableApplicationContext hub = null;
    try {
      hub =
          new SpringApplicationBuilder(HubApplication.class)
              .run(
                  "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                  "--hub.covenants=" + covenants,
                  "--server.port=0",
                  "--spring.main.banner-mode=off",
                  "--logging.level.root=WARN",
                  "--hub.webhooks.allow-local=true",
                  "--hub.webhooks.endpoints[veilig-thuis].url=" + url,
                  "--hub.webhooks.endpoints[veilig-thuis].secrets=" + SECRET);
      System.out.println(bench.run(broker.getBrokersAsString(), url));
    } finally {
      if (hub != null) {
        hub.close();
      }
      receiver.stop(0);
      broker.destroy();
    }
    System.exit(0);
  }

  /** Answers 204 at once to every POST, and notes when each webhook id arrived. */
  private HttpServer receiver() throws java.io.IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/hooks/veilig-thuis",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            Matcher event = EVENT_ID.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (event.find()) {
              arrivals.putIfAbsent(event.group(1), System.nanoTime());
            }
            count.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
          }
        });
    server.start();
    return server;
  }

  private String run(String brokers, String url) throws Exception {
    try (KafkaProducer<String, byte[]> police =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            new ByteArraySerializer())) {
      // Warm up both sides, then a burst (throughput) and one event at a time (latency).
      burst(police, 200);
      plainSide(url, 200);
      double hubPerSecond = burst(police, EVENTS);
      double plainPerSecond = EVENTS / plainSide(url, EVENTS).seconds();
      long[] hubLatencies = oneByOne(police, ONE_BY_ONE);
      long[] plainLatencies = plainSide(url, ONE_BY_ONE).latencies();
      return String.format(
          Locale.ROOT,
          "throughput, %d events in a burst: hub %.0f/s, plain HttpClient %.0f/s;"
              + " latency, %d events one at a time: hub (publication to receipt) p50 %.1f ms"
              + " p99 %.1f ms, plain (round trip) p50 %.2f ms p99 %.2f ms%n"
              + "ratio=%.2f hub_per_s=%.0f plain_per_s=%.0f added_p50_ms=%.1f added_p99_ms=%.1f",
          EVENTS,
          hubPerSecond,
          plainPerSecond,
          ONE_BY_ONE,
          ms(hubLatencies, 50),
          ms(hubLatencies, 99),
          ms(plainLatencies, 50),
          ms(plainLatencies, 99),
          hubPerSecond / plainPerSecond,
          hubPerSecond,
          plainPerSecond,
          ms(hubLatencies, 50) - ms(plainLatencies, 50),
          ms(hubLatencies, 99) - ms(plainLatencies, 99));
    }
  }

  private static double ms(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }

  private record Plain(double seconds, long[] latencies) {}

  /** {@code n} reports published at once; events per second until the last webhook arrived. */
  private double burst(KafkaProducer<String, byte[]> police, int n) throws Exception {
    long before = count.get();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      publish(police, report());
    }
    police.flush();
    awaitCount(before + n);
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** {@code n} reports one at a time: from each publication to the arrival of its webhook. */
  private long[] oneByOne(KafkaProducer<String, byte[]> police, int n) throws Exception {
    long[] latencies = new long[n];
    for (int i = 0; i < n; i++) {
      CaseSignal report = report();
      long sent = System.nanoTime();
      publish(police, report);
      police.flush();
      awaitCount(count.get() + 1);
      Long arrived = arrivals.get(report.getEventId());
      while (arrived == null) {
        Thread.sleep(1);
        arrived = arrivals.get(report.getEventId());
      }
      latencies[i] = arrived - sent;
    }
    return latencies;
  }

  private static void publish(KafkaProducer<String, byte[]> police, CaseSignal report) {
    police.send(
        new ProducerRecord<>(
            "partner.politie.outbox",
            report.getCaseReference(),
            SingleObjectEncoding.bytes(report)));
  }

  private void awaitCount(long target) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (count.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + count.get() + " of " + target + " webhooks arrived");
      }
      Thread.sleep(1);
    }
  }

  /** The same kind of bodies, POSTed one after the other by one plain client. */
  private Plain plainSide(String url, int n) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    long[] latencies = new long[n];
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      // About the size of the hub's body: a record's headers and its view as JSON.
      byte[] body =
          ("{\"type\":\"CaseSignal\",\"headers\":{},\"event\":" + report() + "}")
              .getBytes(StandardCharsets.UTF_8);
      String id = "plain-" + UUID.randomUUID();
      long now = Instant.now().getEpochSecond();
      long sent = System.nanoTime();
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/json")
                  .header(WebhookSignatures.ID_HEADER, id)
                  .header(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(now))
                  .header(
                      WebhookSignatures.SIGNATURE_HEADER,
                      WebhookSignatures.sign(id, now, body, List.of(SECRET)))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 204) {
        throw new IllegalStateException("the receiver answered " + response.statusCode());
      }
      latencies[i] = System.nanoTime() - sent;
    }
    return new Plain((System.nanoTime() - start) / 1e9, latencies);
  }

  private static CaseSignal report() {
    return CaseSignal.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender("politie")
        .setCaseReference("PL-" + UUID.randomUUID())
        .setOccurredAt(Instant.parse("2026-12-06T10:00:00Z"))
        .setPurpose("huiselijk-geweld")
        .setSubject(
            Subject.newBuilder()
                .setBsn("999990019")
                .setName("J. de Vries")
                .setAddress(
                    Address.newBuilder()
                        .setStreet("Dorpsstraat")
                        .setHouseNumber("14")
                        .setPostcode("6658 AB")
                        .setCity("Beneden-Leeuwen")
                        .build())
                .build())
        .setConcerns(List.of(Concern.HUISELIJK_GEWELD))
        .setRiskLevel(RiskLevel.HOOG)
        .setNarrative("Melding via 112: ruzie met geweld in de woning; kinderen aanwezig.")
        .setContact(
            Contact.newBuilder().setName("wijkagent R. Jansen").setOrganisation("Politie").build())
        .build();
  }
}
