package nl.covenanthub.console.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nl.covenanthub.devkit.ChildProcess;
import nl.covenanthub.devkit.FreePorts;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.devkit.Repository;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The case table through the real hub: the hub's jar runs as its own process on the embedded broker
 * with the covenants of {@code covenants/}; the console puts signals on the agenda and records
 * outcomes; the partners' inboxes show what each received, decoded as a partner does.
 */
class CaseTableTest extends AsTheIntegralSafetyOfficer {
  private static final Path HUB_JAR =
      Repository.root().resolve("services/hub/target/hub-0.1.0-SNAPSHOT.jar");
  private static final List<String> TABLE = List.of("politie", "odr", "riec");
  private static ChildProcess hub;

  /** What every case-table signal's view holds, whoever receives it. */
  private static final Set<String> SIGNAL_ENVELOPE =
      Set.of("eventId", "sender", "caseReference", "occurredAt", "purpose", "riskLevel");

  private static final Set<String> CONTACT =
      Set.of("contact.name", "contact.organisation", "contact.phone", "contact.email");
  private static final Set<String> ADDRESS = address("subject.address.");
  private static final Set<String> COMPANY =
      union(Set.of("company.kvkNumber", "company.name"), address("company.address."));

  @Autowired Intake intake;
  @Autowired Triage triage;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  @BeforeAll
  static void theHubIsBuilt() {
    assertThat(HUB_JAR)
        .as("the hub's jar (mvn install builds services/hub before the console)")
        .exists();
  }

  @BeforeEach
  void startTheHub() throws Exception {
    if (hub != null) {
      return;
    }
    int port = FreePorts.any();
    Path log = Files.createDirectories(Path.of("target", "case-table")).resolve("hub.log");
    hub =
        ChildProcess.start(
            "hub",
            new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                HUB_JAR.toString(),
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--hub.covenants=" + Repository.root().resolve("covenants"),
                "--server.port=" + port,
                // Its audit apart from the records the other console tests write to hub.audit
                // themselves (and from the end offsets they compare): the hub writes with
                // transactions, whose markers those tests do not expect.
                "--hub.topics.audit=case-table.hub.audit",
                "--hub.topics.audit-chain=case-table.hub.audit.chain",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri="
                    + Keycloak.shared().issuer()),
            log);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health/readiness"))
            .build();
    await()
        .atMost(Duration.ofMinutes(3))
        .ignoreExceptions()
        .failFast("the hub stopped", () -> !hub.isAlive())
        .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  @AfterAll
  static void stopTheHub() {
    if (hub != null) {
      hub.stop(Duration.ofSeconds(30));
      hub = null;
    }
  }

  @Test
  void anAgendaItemReachesPolitieOdrAndRiecWithWhatTheCovenantAllowsAndAnEscalationToo() {
    String reference =
        report(
            "Fictieweg", "3", "6658 XX", "Ondernemer Fictief B.V.", "Anonieme tekst van de melder");
    triage.enrich(reference, null, "87654321");
    triage.agenda(reference, "Samenvatting met gevoelige details", RiskLevel.HOOG);

    Map<String, GenericRecord> views = viewsOf("a view for each", reference, "CaseSignal");
    assertThat(fields(views.get("politie")))
        .as("politie's view: the premises, the company and a redacted narrative")
        .isEqualTo(
            union(SIGNAL_ENVELOPE, ADDRESS, COMPANY, CONTACT, Set.of("subject.name", "narrative")));
    assertThat(views.get("politie").get("narrative").toString())
        .as("the summary stays at the municipality")
        .isEqualTo("[opvragen bij de integrale veiligheid van de gemeente]");
    assertThat(fields(views.get("odr")))
        .as("odr's view: the premises and the company")
        .isEqualTo(union(SIGNAL_ENVELOPE, ADDRESS, COMPANY, CONTACT));
    assertThat(fields(views.get("riec")))
        .as("riec's view: the postcode area only")
        .isEqualTo(
            union(
                SIGNAL_ENVELOPE,
                COMPANY,
                CONTACT,
                Set.of("subject.name", "subject.address.postcode")));
    assertThat(
            ((GenericRecord) ((GenericRecord) views.get("riec").get("subject")).get("address"))
                .get("postcode")
                .toString())
        .isEqualTo("6658");
    for (GenericRecord view : views.values()) {
      assertThat(view.toString())
          .as("never the reporter's text or the officer's summary")
          .doesNotContain("Anonieme tekst")
          .doesNotContain("gevoelige details")
          .contains("87654321")
          .contains("team Integrale Veiligheid");
    }
    assertThat(inboxViews("lzn", reference)).as("the sender gets nothing back").isEmpty();
    assertThat(inboxViews("veilig-thuis", reference)).as("no party of the covenant").isEmpty();

    triage.escalate(reference, "RIEC-ON-2026-0042");
    Map<String, GenericRecord> escalated =
        viewsOf("a status change", reference, "CaseStatusChange");
    for (String partner : TABLE) {
      assertThat(escalated.get(partner).get("status").toString()).isEqualTo("ESCALATED");
      assertThat(escalated.get(partner).get("escalatedTo").toString())
          .as("%s hears the RIEC case", partner)
          .isEqualTo("RIEC-ON-2026-0042");
      assertThat(escalated.get(partner).getSchema().getField("reason")).isNull();
    }
    assertThat(triage.view(reference).orElseThrow().status()).isEqualTo(SignalStatus.ESCALATED);
  }

  @Test
  void aWithdrawnSignalIsRemovedAndEveryRecipientIsTold() {
    String reference = report("Nepstraat", "9", "6658 YY", null, "Klopt niet, bleek later");
    triage.agenda(reference, null, RiskLevel.LAAG);
    viewsOf("a view for each", reference, "CaseSignal");

    triage.withdraw(reference);

    assertThat(triage.view(reference)).as("removed from the werkbestand").isEmpty();
    assertThat(
            db.sql("SELECT count(*) FROM signal WHERE reference = ?")
                .param(reference)
                .query(Long.class)
                .single())
        .isZero();
    Map<String, GenericRecord> notices =
        viewsOf("a withdrawal notice", reference, "WithdrawalNotice");
    for (String partner : TABLE) {
      assertThat(notices.get(partner).get("reason").toString())
          .as("%s is told", partner)
          .isEqualTo("WITHDRAWN");
    }
  }

  /** Receives a report as the form does, and its reference. */
  private String report(
      String street, String number, String postcode, String company, String description) {
    String code =
        intake.receive(
            new Report(
                "DRUGS",
                street,
                number,
                postcode,
                "Beneden-Leeuwen",
                null,
                company,
                null,
                description,
                null,
                null,
                null));
    return reference(code);
  }

  /** Waits until politie, odr and riec each have a view of this type of the case; those views. */
  private Map<String, GenericRecord> viewsOf(String what, String reference, String type) {
    Map<String, GenericRecord> found = new HashMap<>();
    await(what)
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              for (String partner : TABLE) {
                inboxViews(partner, reference).stream()
                    .filter(v -> v.getSchema().getName().equals(type))
                    .findFirst()
                    .ifPresent(v -> found.put(partner, v));
              }
              assertThat(found.keySet()).as(what).containsExactlyInAnyOrderElementsOf(TABLE);
            });
    return found;
  }

  /** The views of this case in the partner's inbox, as committed. */
  private List<GenericRecord> inboxViews(String partner, String reference) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        InboxViews views = new InboxViews(config)) {
      TopicSnapshot.read(
          consumer, "partner." + partner + ".inbox", Duration.ofSeconds(10), records::add);
      return records.stream()
          .map(r -> views.decode(r.headers(), r.value()))
          .filter(
              v ->
                  v.getSchema().getField("caseReference") != null
                      && reference.equals(String.valueOf(v.get("caseReference"))))
          .toList();
    }
  }

  private static Set<String> address(String prefix) {
    return Set.of(prefix + "street", prefix + "houseNumber", prefix + "postcode", prefix + "city");
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    return java.util.Arrays.stream(sets)
        .flatMap(Set::stream)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The leaf field paths of a view's schema. */
  private static Set<String> fields(GenericRecord view) {
    return leaves("", view.getSchema()).stream().collect(Collectors.toSet());
  }

  private static List<String> leaves(String prefix, Schema schema) {
    List<String> paths = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      Schema type = field.schema();
      if (type.isUnion()) {
        type = type.getTypes().stream().filter(t -> !t.isNullable()).findFirst().orElse(type);
      }
      if (type.getType() == Schema.Type.RECORD) {
        paths.addAll(leaves(prefix + field.name() + ".", type));
      } else {
        paths.add(prefix + field.name());
      }
    }
    return paths;
  }
}
