package nl.covenanthub.console.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.logboek.LogboekStandard;
import nl.covenanthub.devkit.Keycloak;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The privacy officer's API over HTTP, with real Keycloak tokens: who may use it, what it answers,
 * what it refuses.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditApiTest extends ConsoleTestBase {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A test BSN (as in the demo), of the subject the searches are about. */
  private static final String BSN = "999991772";

  @LocalServerPort int port;

  AuditTrail politie;
  List<AuditTrail.Sealed> records;

  @BeforeEach
  void audit() {
    politie = AuditTrail.of("politie");
    records = new ArrayList<>();
    records.addAll(
        politie.next(
            3,
            r ->
                r.setSubjectPseudonym(AuditTrail.SUBJECTS.pseudonym(BSN))
                    .setCaseReference("PL0600-2026-179441")));
    records.addAll(politie.next(4));
    records.addAll(
        politie.next(
            2,
            r ->
                r.setDecision(AuditDecision.WITHHELD)
                    .setRecipient("veilig-thuis")
                    .setReason("NO_RULE")
                    .setDisclosedFields(List.of())
                    .setTransformedFields(List.of())));
    ingest(records);
  }

  @Test
  void onlyThePrivacyOfficerMayUseIt() {
    assertThat(get("/api/disclosures", null).statusCode()).as("no token").isEqualTo(401);
    assertThat(get("/api/disclosures", "x.y.z").statusCode()).as("not a token").isEqualTo(401);
    for (String user : List.of("beheerder", "goedkeurder", "operator")) {
      assertThat(get("/api/disclosures", userToken(user)).statusCode()).as(user).isEqualTo(403);
      assertThat(get("/api/integrity", userToken(user)).statusCode()).as(user).isEqualTo(403);
    }
    assertThat(get("/api/disclosures", fg()).statusCode()).as("fg").isEqualTo(200);
  }

  @Test
  void searchesByFiltersNewestFirstAndPaged() {
    JsonNode page = json(get("/api/disclosures?sender=politie&recipient=lzn&size=5&page=0", fg()));
    assertThat(page.get("total").asLong()).isEqualTo(7);
    assertThat(page.get("totalPages").asLong()).isEqualTo(2);
    assertThat(page.get("items")).hasSize(5);
    assertThat(page.get("items").get(0).get("sequence").asLong()).as("newest first").isEqualTo(7);

    JsonNode withheld = json(get("/api/disclosures?decision=withheld", fg()));
    assertThat(withheld.get("total").asLong()).isEqualTo(2);
    JsonNode byCase = json(get("/api/disclosures?caseReference=PL0600-2026-179441", fg()));
    assertThat(byCase.get("total").asLong()).isEqualTo(3);
    JsonNode none = json(get("/api/disclosures?from=2020-01-01&to=2020-12-31", fg()));
    assertThat(none.get("total").asLong()).isZero();
  }

  @Test
  void aTotalAboveTenThousandIsTheDatabasesEstimateAndSaysSo() {
    assertThat(json(get("/api/disclosures?sender=politie", fg())).get("totalEstimated").asBoolean())
        .as("9 records: counted")
        .isFalse();
    AuditTrail lzn = AuditTrail.of("lzn");
    List<AuditTrail.Sealed> many =
        lzn.next(AuditSearch.EXACT_UP_TO + 500, r -> r.setSender("lzn").setRecipient("politie"));
    publish(many);
    // One chain, in order, in one partition: its last record stored, all are.
    awaitStored(many.subList(many.size() - 1, many.size()));
    db.sql("ANALYZE audit_record").update();

    JsonNode page = json(get("/api/disclosures?sender=lzn", fg()));
    assertThat(page.get("totalEstimated").asBoolean()).isTrue();
    assertThat(page.get("total").asLong())
        .as("the planner's estimate, at least what was counted")
        .isGreaterThan(AuditSearch.EXACT_UP_TO)
        .isBetween(AuditSearch.EXACT_UP_TO + 1L, 2L * many.size());
    assertThat(page.get("items")).hasSize(50);
    assertThat(page.get("items").get(0).get("sequence").asLong())
        .as("newest first")
        .isEqualTo(many.size());
    JsonNode narrow = json(get("/api/disclosures?sender=politie", fg()));
    assertThat(narrow.get("totalEstimated").asBoolean()).isFalse();
    assertThat(narrow.get("total").asLong()).isEqualTo(9);
  }

  @Test
  void oneDisclosureInFullOr404() {
    AuditTrail.Sealed first = records.get(0);
    JsonNode disclosure = json(get("/api/disclosures/" + first.record().getDisclosureId(), fg()));
    assertThat(disclosure.get("hash").asString()).isEqualTo(first.record().getHash());
    assertThat(disclosure.get("legalBasis").asString()).isEqualTo("Wpg art. 20; AVG art. 6(1)(e)");
    assertThat(disclosure.get("disclosedFields")).hasSize(5);
    assertThat(disclosure.get("decidedAt").asString())
        .isEqualTo(first.record().getDecidedAt().toString());

    assertThat(get("/api/disclosures/no-such-id", fg()).statusCode()).isEqualTo(404);
  }

  @Test
  void badInputIsA400ThatSaysWhy() {
    assertBadRequest(get("/api/disclosures?from=yesterday", fg()), "from must be an ISO-8601 date");
    assertBadRequest(
        get("/api/disclosures?decision=LEAKED", fg()),
        "decision must be one of DISCLOSED, WITHHELD, REJECTED");
    assertBadRequest(get("/api/disclosures?size=100000", fg()), "size must be between 1 and 200");
    assertBadRequest(
        get("/api/disclosures?from=2026-05-02&to=2026-05-01", fg()), "from must be before to");
    assertBadRequest(get("/api/stats?by=week", fg()), "by must be day or month");
    assertBadRequest(
        post("/api/disclosures/search", "{\"bsn\": \"12345\"}", fg()), "bsn must be nine digits");
    assertBadRequest(
        post("/api/disclosures/search", "{\"bsn\": \"999 991 773\"}", fg()),
        "bsn fails the eleven-test (elfproef)");
    assertBadRequest(
        post("/api/disclosures/search", "{\"bsn\": 9999917", fg()),
        "the body must be a JSON object");
  }

  @Test
  void searchByBsnFindsTheSubjectAndTheBsnIsNeverKept(CapturedOutput output) {
    HttpResponse<String> found =
        post("/api/disclosures/search", "{\"bsn\": \"" + BSN + "\", \"size\": 10}", fg());
    JsonNode page = json(found);
    assertThat(page.get("total").asLong()).isEqualTo(3);
    assertThat(page.get("items").get(0).get("subjectPseudonym").asString())
        .isEqualTo(AuditTrail.SUBJECTS.pseudonym(BSN));
    // Typed with spaces, as people do.
    assertThat(
            json(post("/api/disclosures/search", "{\"bsn\": \"9999 91 772\"}", fg()))
                .get("total")
                .asLong())
        .isEqualTo(3);

    HttpResponse<String> inUrl = get("/api/disclosures?bsn=" + BSN, fg());
    assertThat(inUrl.statusCode()).as("a BSN in a URL is refused").isEqualTo(400);
    HttpResponse<String> malformed =
        post("/api/disclosures/search", "{\"bsn\": " + BSN + "x}", fg());
    assertThat(malformed.statusCode()).isEqualTo(400);

    assertThat(found.body() + inUrl.body() + malformed.body()).as("responses").doesNotContain(BSN);
    assertThat(everythingInTheDatabase())
        .as("the database")
        .doesNotContain(BSN)
        .contains(AuditTrail.SUBJECTS.pseudonym(BSN));
    assertThat(output.getAll()).as("the logs").doesNotContain(BSN);
  }

  @Test
  void everyLookupIsLoggedAppendOnlyForTheOperatorByPseudonymNeverByBsn() {
    String pseudonym = AuditTrail.SUBJECTS.pseudonym(BSN);
    String read = records.get(0).record().getDisclosureId();
    // A moment of this test's own (the log is not emptied between tests), to pick its entries out.
    Instant now =
        Instant.now()
            .truncatedTo(java.time.temporal.ChronoUnit.MICROS)
            .plusNanos(1_000L * java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 999));
    clock.set(now);
    assertThat(post("/api/disclosures/search", "{\"bsn\": \"" + BSN + "\"}", fg()).statusCode())
        .isEqualTo(200);
    assertThat(get("/api/disclosures/" + read, fg()).statusCode()).isEqualTo(200);
    assertThat(get("/api/disclosures/not-" + read, fg()).statusCode()).isEqualTo(404);

    HttpResponse<String> log = get("/api/lookups?limit=1000", userToken("operator"));
    assertThat(log.statusCode()).as("the operator reads the log").isEqualTo(200);
    List<JsonNode> mine = new ArrayList<>();
    JSON.readTree(log.body())
        .forEach(
            entry -> {
              if (Instant.parse(entry.get("lookedUpAt").asString()).equals(now)
                  && entry.get("username").asString().equals("fg")) {
                mine.add(entry);
              }
            });
    assertThat(mine).as("newest first").hasSize(3);
    assertThat(mine.get(2).get("action").asString()).isEqualTo("SEARCH");
    assertThat(mine.get(2).get("subjectPseudonym").asString()).isEqualTo(pseudonym);
    assertThat(mine.get(2).get("filters").asString()).isEqualTo("subject, page 0");
    assertThat(mine.get(2).get("results").asLong()).isEqualTo(3);
    assertThat(mine.get(1).get("action").asString()).isEqualTo("RECORD");
    assertThat(mine.get(1).get("disclosureId").asString()).isEqualTo(read);
    assertThat(mine.get(1).get("results").asLong()).isEqualTo(1);
    assertThat(mine.get(0).get("results").asLong()).as("a record not found").isZero();
    assertThat(log.body()).doesNotContain(BSN);
    assertThat(get("/api/lookups", fg()).statusCode())
        .as("not the privacy officer's own to read")
        .isEqualTo(403);

    for (String change :
        List.of(
            "UPDATE lookup_log SET username = 'someone-else'",
            "DELETE FROM lookup_log",
            "TRUNCATE lookup_log")) {
      assertThatThrownBy(() -> db.sql(change).update())
          .as(change)
          .hasStackTraceContaining("lookup_log is append-only");
    }
    assertThat(
            db.sql("SELECT count(*) FROM lookup_log WHERE username = 'fg'")
                .query(Long.class)
                .single())
        .as("nothing changed")
        .isGreaterThanOrEqualTo(3);
  }

  /**
   * The export in the Logboek Dataverwerkingen shape, checked against the standard's field list
   * ({@link LogboekStandard}).
   */
  @Test
  void theLogboekExportHasTheStandardsFieldsAndNamesTheActivityAndThePseudonym() throws Exception {
    HttpResponse<String> response = get("/api/logboek?size=200", fg());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode export = JSON.readTree(response.body());
    assertThat(export.get("records")).hasSize(records.size());
    export.get("records").forEach(LogboekStandard::assertConforms);
    AuditRecord about = records.get(0).record();
    JsonNode first = null;
    for (JsonNode record : export.get("records")) {
      if (record.get("span_id").asString().equals(about.getSpanId())) {
        first = record;
      }
    }
    assertThat(first).as("the record of the person's first disclosure").isNotNull();
    assertThat(first.get("trace_id").asString()).isEqualTo(about.getTraceId());
    assertThat(first.get("status_code").asString()).isEqualTo("STATUS_CODE_OK");
    assertThat(first.get("attributes").toString())
        .contains(
            "urn:covenant-hub:processing-activity:"
                + about.getCovenantId()
                + ":v"
                + about.getCovenantVersion()
                + ":"
                + about.getPurpose(),
            AuditTrail.SUBJECTS.pseudonym(BSN),
            "dpl.core.data_subject_id_type")
        .doesNotContain(BSN);
  }

  @Test
  void theRegisterOfProcessingActivitiesComesFromTheCovenants() {
    HttpResponse<String> response = get("/api/register", fg());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode register = JSON.readTree(response.body());
    assertThat(register.get("problems")).isEmpty();
    List<String> ids = new ArrayList<>();
    register.get("activities").forEach(a -> ids.add(a.get("id").asString()));
    assertThat(ids)
        .containsExactlyInAnyOrder(
            "urn:covenant-hub:processing-activity:aanpak-ondermijning-west-maas-en-waal:v1:aanpak-ondermijning",
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:zorg-en-veiligheid",
            "urn:covenant-hub:processing-activity:zorg-en-veiligheid-west-maas-en-waal:v1:huiselijk-geweld");
    assertThat(get("/api/register", userToken("operator")).statusCode()).isEqualTo(403);
  }

  @Test
  void countsPerDayAndMonth() {
    JsonNode days = json(get("/api/stats?by=day", fg()));
    String today =
        Instant.now().atZone(java.time.ZoneId.of("Europe/Amsterdam")).toLocalDate().toString();
    assertThat(days).hasSize(2);
    assertThat(days.get(0).get("period").asString()).isEqualTo(today);
    assertThat(days.get(0).get("count").asLong() + days.get(1).get("count").asLong()).isEqualTo(9);
    JsonNode months = json(get("/api/stats?by=month&recipient=lzn", fg()));
    assertThat(months).hasSize(1);
    assertThat(months.get(0).get("period").asString()).isEqualTo(today.substring(0, 7));
    assertThat(months.get(0).get("count").asLong()).isEqualTo(7);
  }

  @Test
  void integrityOverHttp() {
    JsonNode report = json(get("/api/integrity", fg()));
    assertThat(report.get("intact").asBoolean()).isTrue();
    assertThat(report.get("checked").asLong()).isEqualTo(9);
    db.sql("UPDATE audit_record SET recipient = 'riec' WHERE chain_id = ? AND sequence = 2")
        .param(politie.chainId())
        .update();
    JsonNode broken = json(get("/api/integrity?chainId=" + politie.chainId(), fg()));
    assertThat(broken.get("intact").asBoolean()).isFalse();
    assertThat(broken.get("chains").get(0).get("firstBreak").get("kind").asString())
        .isEqualTo("ALTERED");
    assertThat(broken.get("chains").get(0).get("firstBreak").get("sequence").asLong()).isEqualTo(2);
  }

  /** Every row of every table of the console, as text: what a database dump would hold. */
  private String everythingInTheDatabase() {
    StringBuilder dump = new StringBuilder();
    for (String table :
        db.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            .query(String.class)
            .list()) {
      db.sql("SELECT t::text FROM \"" + table + "\" t")
          .query(String.class)
          .list()
          .forEach(dump::append);
    }
    return dump.toString();
  }

  private static void assertBadRequest(HttpResponse<String> response, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains(message);
  }

  private static String fg() {
    return userToken("fg");
  }

  private static String userToken(String user) {
    return Keycloak.shared().userToken(user, "demo");
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET(), token);
  }

  private HttpResponse<String> post(String path, String body, String token) {
    return send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
