package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partner without inbound calls pulls its own inbox over HTTPS: the same view and headers as on
 * Kafka, again and again until it acknowledges (at least once), a long poll that answers when a
 * record arrives, and only its own inbox whoever asks.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class InboxPullTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static KafkaProbe kafka;

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;

  @DynamicPropertySource
  static void trustTheTestRealm(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> Keycloak.shared().issuer());
  }

  @BeforeAll
  static void probe(@Autowired EmbeddedKafkaBroker broker) {
    kafka = new KafkaProbe(broker.getBrokersAsString());
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  private static String token(String partner) {
    return Keycloak.shared().clientToken(partner, Keycloak.demoSecret(partner));
  }

  private static CaseSignal send() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    return signal;
  }

  private HttpResponse<String> request(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> pull(String query, String token) {
    return request(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/partner/inbox" + query))
            .timeout(Duration.ofMinutes(1))
            .GET(),
        token);
  }

  private JsonNode page(String query, String token) {
    HttpResponse<String> response = pull(query, token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body());
  }

  private HttpResponse<String> ack(String cursor, String token) {
    return request(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/partner/inbox/ack"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"cursor\": \"" + cursor + "\"}")),
        token);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a pull with {@code token} shows the signal. */
  private void awaitInInbox(CaseSignal signal, String token) {
    await("the signal in the inbox")
        .atMost(WAIT)
        .until(() -> eventIds(page("?wait=PT1S", token)).contains(signal.getEventId()));
  }

  private static List<String> eventIds(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("records").forEach(r -> ids.add(r.path("event").path("eventId").asText()));
    return ids;
  }

  @Test
  void aPartnerPullsItsOwnInboxAgainUntilItAcknowledges() {
    CaseSignal signal = send();
    String lzn = token("lzn");

    awaitInInbox(signal, lzn);
    JsonNode page = page("?wait=PT1S", lzn);
    JsonNode record =
        java.util.stream.StreamSupport.stream(page.path("records").spliterator(), false)
            .filter(r -> r.path("event").path("eventId").asText().equals(signal.getEventId()))
            .findFirst()
            .orElseThrow();
    assertThat(record.path("event").path("narrative").asText())
        .as("the view the covenant allows, as on Kafka")
        .isEqualTo("[opvragen bij de contactpersoon van de politie]");
    assertThat(record.path("event").has("company")).isFalse();
    assertThat(record.path("headers").path("covenant-id").asText())
        .isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
    assertThat(record.path("headers").path("disclosure-id").asText()).isNotBlank();
    assertThat(record.path("headers").path("traceparent").asText()).startsWith("00-");

    assertThat(eventIds(page("?wait=PT1S", token("riec"))))
        .as("another partner pulls its own inbox, not lzn's")
        .doesNotContain(signal.getEventId());
    assertThat(eventIds(page("?wait=PT1S", lzn)))
        .as("not acknowledged: it comes again")
        .contains(signal.getEventId());

    assertThat(ack(page.path("next").asText(), lzn).statusCode()).isEqualTo(204);
    assertThat(eventIds(page("?wait=PT1S", lzn)))
        .as("acknowledged: done")
        .doesNotContain(signal.getEventId());
    assertThat(eventIds(page("?wait=PT1S&after=" + record.path("cursor").asText(), lzn)))
        .as("a cursor is a place to read on from")
        .doesNotContain(signal.getEventId());
  }

  @Test
  void aLongPollAnswersWhenARecordArrives() {
    String lzn = token("lzn");
    // A first signal through the whole path, then everything acknowledged: the poll below starts
    // before the next record exists, on a warm path.
    CaseSignal first = send();
    awaitInInbox(first, lzn);
    JsonNode now = page("?wait=PT1S&max=500", lzn);
    while (now.path("records").size() > 0) {
      ack(now.path("next").asText(), lzn);
      now = page("?wait=PT1S&max=500", lzn);
    }

    CompletableFuture<JsonNode> poll =
        CompletableFuture.supplyAsync(() -> page("?wait=PT30S", lzn));
    CaseSignal signal = send();

    assertThat(eventIds(poll.join()))
        .as("the poll that was waiting answers with the record that arrived")
        .containsExactly(signal.getEventId());
  }

  /**
   * A long poll holds a request thread and a Kafka consumer, which every partner shares: a partner
   * that opens more pulls than {@code hub.http.pulls-at-once} (2) is told to wait, and the other
   * partners pull on.
   */
  @Test
  void aPartnerRunsAtMostTwoPullsAtOnceAndTheOthersPullOn() {
    String riec = token("riec");
    String end = page("?wait=PT0S&max=500", riec).path("next").asText();
    for (JsonNode more = page("?wait=PT0S&max=500&after=" + end, riec);
        more.path("records").size() > 0;
        more = page("?wait=PT0S&max=500&after=" + end, riec)) {
      end = more.path("next").asText();
    }
    String waiting = "?wait=PT30S&after=" + end; // nothing comes for riec here: each waits 30 s
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      List<Future<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(clients.submit(() -> pull(waiting, riec)));
      }
      await("two pulls running").atMost(WAIT).until(() -> pullsRunning("riec") == 2);

      HttpResponse<String> third = pull(waiting, riec);

      assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).contains("1");
      assertThat(third.body()).contains("at most 2 pulls at once");
      assertThat(pull("?wait=PT0S", token("lzn")).statusCode())
          .as("another partner pulls on")
          .isEqualTo(200);
      for (Future<HttpResponse<String>> pull : held) {
        assertThat(pull.get(2, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      }
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    } finally {
      clients.shutdownNow();
    }
    assertThat(pullsRunning("riec")).isZero();
    assertThat(pull("?wait=PT0S", riec).statusCode()).as("and riec may pull again").isEqualTo(200);
  }

  private double pullsRunning(String partner) {
    return registry.get("hub.http.inbox.pulls").tag("partner", partner).gauge().value();
  }

  @Test
  void onlyAPartnerPullsAndOnlyWithACursorOfItsOwn() {
    assertThat(pull("", null).statusCode()).isEqualTo(401);
    assertThat(pull("", Keycloak.shared().userToken("fg", "demo")).statusCode()).isEqualTo(403);
    assertThat(pull("?after=!!not-a-cursor", token("lzn")).statusCode()).isEqualTo(400);
    assertThat(pull("?max=0", token("lzn")).statusCode()).isEqualTo(400);
    assertThat(pull("?wait=PT5M", token("lzn")).statusCode()).isEqualTo(400);
    assertThat(ack("!!", token("lzn")).statusCode()).isEqualTo(400);
  }

  @Test
  void aCursorTheHubCouldNotHaveHandedOutIsRefusedAndNothingIsAcknowledged() {
    String lzn = token("lzn");
    CaseSignal signal = send();
    awaitInInbox(signal, lzn);
    String handedOut = page("?wait=PT1S", lzn).path("records").get(0).path("cursor").asText();

    for (String cursor :
        List.of(
            cursor("99:0"), // a partition the inbox does not have
            cursor("0:999999999"), // beyond the end of the inbox
            cursor("0:-1"),
            cursor("0:1:2"),
            cursor("0:99999999999999999999"),
            cursor("x:1"))) {
      assertThat(pull("?after=" + cursor, lzn).statusCode())
          .as("pull after %s", cursor)
          .isEqualTo(400);
      HttpResponse<String> ack = ack(cursor, lzn);
      assertThat(ack.statusCode()).as("ack %s", cursor).isEqualTo(400);
      assertThat(ack.body()).contains("not a cursor of your inbox").doesNotContain(cursor);
    }
    assertThat(ack(handedOut, lzn).statusCode()).as("a cursor it did hand out").isEqualTo(204);
  }

  private static String cursor(String plain) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
