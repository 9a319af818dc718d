package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.writerschemas.WriterSchemaProperties;
import nl.covenanthub.hub.writerschemas.WriterSchemaTopic;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A partner changes its writer schema (issue 13): it registers the new schema over HTTP with its
 * own Keycloak token, the hub takes it only when Avro resolves it into the hub's schema, and from
 * then on decodes events written with it; a field the hub's schema does not have never reaches an
 * inbox or the audit. On a real (embedded KRaft) broker, through the running hub, with a real
 * Keycloak.
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
class SchemaEvolutionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OUTBOX = "partner.politie.outbox";

  /** What the partner's new field holds: it must appear nowhere the hub writes to. */
  private static final String SECRET = "informant: buurman K. Pietersen, 06-12345678";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static KafkaProbe kafka;

  @LocalServerPort int port;

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
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aNewOptionalFieldIsRefusedUntilRegisteredThenDecidedAndNeverDisclosed() throws Exception {
    Schema writer = PartnerEvents.caseSignalWith(PartnerEvents.optionalString("secretNote"));
    CaseSignal early =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish(
        OUTBOX,
        early.getCaseReference(),
        PartnerEvents.bytes(writer, early, Map.of("secretNote", SECRET)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(deadLetterReason(early.getCaseReference()))
                    .as("before registration: a schema the hub does not know")
                    .isEqualTo("UNKNOWN_SCHEMA"));

    HttpResponse<String> registered = register(token("politie"), writer.toString(true));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    JsonNode registration = JSON.readTree(registered.body());
    String fingerprint = SingleObjectDecoder.fingerprint(writer);
    assertThat(registration.get("fingerprint").asText()).isEqualTo(fingerprint);
    assertThat(registration.get("eventType").asText())
        .isEqualTo(CaseSignal.getClassSchema().getFullName());
    assertThat(registered.headers().firstValue("Location"))
        .hasValueSatisfying(
            location -> assertThat(location).endsWith("/api/partner/schemas/" + fingerprint));
    assertThat(registration.get("schema").toString())
        .as("the hub keeps the parsing canonical form, the text of the fingerprint")
        .isEqualTo(SchemaNormalization.toParsingForm(writer));
    HttpResponse<String> again = register(token("politie"), writer.toString());
    assertThat(again.statusCode()).as("registered before").isEqualTo(200);
    assertThat(JSON.readTree(again.body()).get("fingerprint").asText()).isEqualTo(fingerprint);
    assertThat(fingerprints(get(token("politie"), "/api/partner/schemas")))
        .containsExactly(fingerprint);

    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish(
        OUTBOX,
        signal.getCaseReference(),
        PartnerEvents.bytes(writer, signal, Map.of("secretNote", SECRET)));

    Map<String, AuditRecord> audit = auditByRecipient(signal.getEventId(), 2);
    assertThat(audit.get("lzn").getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(audit.get("veilig-thuis").getReason()).isEqualTo("NO_RULE");
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(inbox("lzn", signal.getEventId())).hasSize(1));
    ConsumerRecord<String, byte[]> delivered = inbox("lzn", signal.getEventId()).get(0);
    GenericRecord view = kafka.view(delivered);
    assertThat(view.get("narrative").toString())
        .as("decoded whole: the covenant's treatment of a field the hub knows still applies")
        .isEqualTo("[opvragen bij de contactpersoon van de politie]");
    assertThat(view.getSchema().getField("secretNote")).as("default deny").isNull();
    assertThat(raw(delivered)).doesNotContain(SECRET).doesNotContain("secretNote");
    for (AuditRecord record : audit.values()) {
      assertThat(record.toString())
          .as("the audit names no field the hub's schema lacks")
          .doesNotContain("secretNote");
    }
    for (ConsumerRecord<String, byte[]> record : kafka.committed("hub.audit")) {
      assertThat(raw(record)).doesNotContain(SECRET);
    }
    for (ConsumerRecord<String, byte[]> schema : kafka.committed(InboxViews.SCHEMAS_TOPIC)) {
      assertThat(raw(schema)).as("no view schema has the field").doesNotContain("secretNote");
    }
  }

  @Test
  void anIncompatibleSchemaIsRefusedWithItsReasonAndNotKept() throws Exception {
    Schema withoutCaseReference = PartnerEvents.caseSignalWithout("caseReference");
    HttpResponse<String> removed = register(token("politie"), withoutCaseReference.toString());
    assertThat(removed.statusCode()).isEqualTo(422);
    assertThat(removed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(removed.body());
    assertThat(problem.get("code").asText()).isEqualTo("incompatible");
    assertThat(problem.get("eventType").asText()).isEqualTo("nl.covenanthub.events.CaseSignal");
    assertThat(problem.get("problems").get(0).get("kind").asText())
        .isEqualTo("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(problem.get("problems").get(0).get("field").asText()).isEqualTo("caseReference");

    Schema purposeAsNumber =
        PartnerEvents.caseSignalRetyping("purpose", Schema.create(Schema.Type.INT));
    HttpResponse<String> retyped = register(token("politie"), purposeAsNumber.toString());
    assertThat(retyped.statusCode()).isEqualTo(422);
    JsonNode typeProblem = JSON.readTree(retyped.body()).get("problems").get(0);
    assertThat(typeProblem.get("kind").asText()).isEqualTo("TYPE_MISMATCH");
    assertThat(typeProblem.get("field").asText()).isEqualTo("purpose");
    assertThat(typeProblem.get("message").asText()).contains("STRING").contains("INT");

    Schema otherName =
        Schema.createRecord(
            "CaseSignalV2",
            null,
            "nl.covenanthub.events",
            false,
            List.of(new Schema.Field("eventId", Schema.create(Schema.Type.STRING))));
    HttpResponse<String> unknown = register(token("politie"), otherName.toString());
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(unknown.body()).get("code").asText()).isEqualTo("unknown-event-type");
    assertThat(JSON.readTree(unknown.body()).get("eventTypes").toString())
        .contains("nl.covenanthub.events.CaseSignal");

    assertThat(kafka.committed(WriterSchemaTopic.TOPIC))
        .as("nothing refused is kept")
        .noneMatch(
            r ->
                r.key().endsWith(SingleObjectDecoder.fingerprint(withoutCaseReference))
                    || r.key().endsWith(SingleObjectDecoder.fingerprint(purposeAsNumber)));
  }

  @Test
  void aBodyThatIsNoSchemaIsRefusedWithoutQuotingIt() throws Exception {
    String notJson = "{\"type\": \"record\", \"name\": \"BSN 999990019\", oops";
    HttpResponse<String> broken = register(token("politie"), notJson);
    assertThat(broken.statusCode()).isEqualTo(400);
    JsonNode problem = JSON.readTree(broken.body());
    assertThat(problem.get("code").asText()).isEqualTo("not-a-schema");
    assertThat(problem.get("detail").asText()).contains("line 1, column");
    assertThat(broken.body()).doesNotContain("999990019").doesNotContain("oops");

    HttpResponse<String> badName =
        register(
            token("politie"), "{\"type\": \"record\", \"name\": \"J. de Vries\", \"fields\": []}");
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).doesNotContain("de Vries");

    String deep = "{\"type\":\"array\",\"items\":".repeat(2000) + "\"string\"" + "}".repeat(2000);
    assertThat(register(token("politie"), deep).statusCode())
        .as("nested deeper than the JSON parser allows: refused, not a failure of the hub")
        .isEqualTo(400);

    HttpResponse<String> tooLarge = register(token("politie"), " ".repeat(64 * 1024 + 1));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooLarge.body()).get("code").asText()).isEqualTo("too-large");
  }

  @Test
  void onlyAPartnersOwnTokenRegistersAndOnlyForItself() throws Exception {
    Schema writer = PartnerEvents.caseSignalWith(PartnerEvents.optionalString("lznOnly"));
    assertThat(register(null, writer.toString()).statusCode()).as("no token").isEqualTo(401);
    assertThat(register(Keycloak.shared().userToken("fg", "demo"), writer.toString()).statusCode())
        .as("a person's token")
        .isEqualTo(403);
    assertThat(register(token("covenant-console"), writer.toString()).statusCode())
        .as("a service that is not a partner")
        .isEqualTo(403);

    assertThat(register(token("lzn"), writer.toString()).statusCode()).isEqualTo(201);
    String fingerprint = SingleObjectDecoder.fingerprint(writer);
    assertThat(fingerprints(get(token("lzn"), "/api/partner/schemas"))).contains(fingerprint);
    assertThat(fingerprints(get(token("politie"), "/api/partner/schemas")))
        .as("another partner's registrations are not politie's to see")
        .doesNotContain(fingerprint);
    assertThat(get(token("politie"), "/api/partner/schemas/" + fingerprint).statusCode())
        .isEqualTo(404);

    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish(OUTBOX, signal.getCaseReference(), PartnerEvents.bytes(writer, signal, Map.of()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(deadLetterReason(signal.getCaseReference()))
                    .as("lzn's schema decodes lzn's events, not politie's")
                    .isEqualTo("UNKNOWN_SCHEMA"));
  }

  /**
   * Another hub instance took the registration: this one has not read it when the event arrives,
   * and reads {@code hub.writer-schemas} to its end before it would refuse the event.
   */
  @Test
  void aRegistrationMadeThroughAnotherInstanceIsReadBeforeAnEventIsRefused() {
    Schema writer = PartnerEvents.caseSignalWithout("narrative");
    String fingerprint = SingleObjectDecoder.fingerprint(writer);
    ProducerRecord<String, byte[]> registration =
        new ProducerRecord<>(
            WriterSchemaTopic.TOPIC,
            "politie/" + fingerprint,
            SchemaNormalization.toParsingForm(writer).getBytes(StandardCharsets.UTF_8));
    registration.headers().add(WriterSchemas.EVENT_TYPE_HEADER, bytes(writer.getFullName()));
    registration.headers().add(WriterSchemas.PARTNER_HEADER, bytes("politie"));
    registration.headers().add(WriterSchemas.TIME_HEADER, bytes(Instant.now().toString()));
    kafka.publish(registration);
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish(OUTBOX, signal.getCaseReference(), PartnerEvents.bytes(writer, signal, Map.of()));

    Map<String, AuditRecord> audit = auditByRecipient(signal.getEventId(), 2);
    assertThat(audit.get("lzn").getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(deadLetterReason(signal.getCaseReference())).isNull();
  }

  @Test
  void registrationsAreReadBackByAnInstanceThatStarts(
      @Autowired ConsumerFactory<Object, Object> consumers,
      @Autowired KafkaTemplate<String, byte[]> template,
      @Autowired KafkaAdmin admin,
      @Autowired WriterSchemaProperties properties)
      throws Exception {
    Schema writer = PartnerEvents.caseSignalWith(PartnerEvents.optionalString("restartNote"));
    assertThat(register(token("riec"), writer.toString()).statusCode()).isEqualTo(201);

    WriterSchemas restarted = new WriterSchemas(EventCatalog.standard().avroSchemas());
    try (WriterSchemaTopic topic =
        new WriterSchemaTopic(restarted, consumers, template, admin, properties)) {
      assertThat(restarted.registered("riec", SingleObjectDecoder.fingerprint(writer)))
          .as("read from hub.writer-schemas at start-up")
          .isPresent();
    }
  }

  // --- the partner's side of HTTP

  private static String token(String client) {
    return Keycloak.shared().clientToken(client, Keycloak.demoSecret(client));
  }

  private HttpResponse<String> register(String token, String schema)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/partner/schemas"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(schema));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String token, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> fingerprints(HttpResponse<String> list) throws IOException {
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return JSON.readTree(list.body()).findValuesAsText("fingerprint");
  }

  // --- what the hub wrote

  private static String deadLetterReason(String caseReference) {
    return kafka.committed("hub.deadletter").stream()
        .filter(r -> caseReference.equals(r.key()))
        .map(r -> header(r, "deadletter-reason"))
        .findFirst()
        .orElse(null);
  }

  private static List<ConsumerRecord<String, byte[]>> inbox(String partner, String eventId) {
    return kafka.committed("partner." + partner + ".inbox").stream()
        .filter(r -> eventId.equals(String.valueOf(kafka.view(r).get("eventId"))))
        .toList();
  }

  private static Map<String, AuditRecord> auditByRecipient(String eventId, int expected) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kafka.audit().stream().filter(a -> eventId.equals(a.getEventId())))
                    .hasSize(expected));
    return kafka.audit().stream()
        .filter(a -> eventId.equals(a.getEventId()))
        .collect(Collectors.toMap(a -> String.valueOf(a.getRecipient()), Function.identity()));
  }

  /** A record's value and headers as text, to look for what must not be there. */
  private static String raw(ConsumerRecord<String, byte[]> record) {
    StringBuilder text = new StringBuilder();
    text.append(new String(record.value(), StandardCharsets.ISO_8859_1));
    for (Header header : record.headers()) {
      text.append(header.key()).append(new String(header.value(), StandardCharsets.ISO_8859_1));
    }
    return text.toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
