package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.devkit.MovableClock;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.RiskLevel;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The covenant flows end to end, on a real (embedded KRaft) broker, through the running hub. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.max-event-size=4KB",
      // The default, against the suite's one (pom.xml).
      "hub.outbox-threads=3"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@Import(HubFlowTest.Clocks.class)
@ExtendWith(OutputCaptureExtension.class)
class HubFlowTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant TODAY = Instant.parse("2026-11-29T10:00:00Z");
  private static KafkaProbe kafka;

  /** The hub decides with this clock, so a test can move past the covenants' end. */
  @TestConfiguration
  static class Clocks {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock(TODAY);
    }
  }

  @Autowired MovableClock clock;

  @LocalServerPort int port;

  /**
   * HTTP trusts the realm of the test Keycloak: metrics are for the operator role
   * (docs/security.md).
   */
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

  /** The inbox records of this event (not the hub's own messages, such as match notices). */
  private static List<ConsumerRecord<String, byte[]>> inbox(String partner, String eventId) {
    return kafka.committed("partner." + partner + ".inbox").stream()
        .map(r -> Map.entry(r, kafka.view(r)))
        .filter(r -> r.getValue().hasField("eventId"))
        .filter(r -> eventId.equals(String.valueOf(r.getValue().get("eventId"))))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static List<AuditRecord> audit(String eventId) {
    return kafka.audit().stream().filter(a -> eventId.equals(a.getEventId())).toList();
  }

  private static Map<String, AuditRecord> auditByRecipient(String eventId, int expected) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(audit(eventId)).hasSize(expected));
    return audit(eventId).stream()
        .collect(Collectors.toMap(a -> String.valueOf(a.getRecipient()), Function.identity()));
  }

  @Test
  void policeSignalOfConfusedBehaviourReachesOnlyTheCareNetworkWithItsGrounds() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));

    Map<String, AuditRecord> audit = auditByRecipient(signal.getEventId(), 2);
    List<ConsumerRecord<String, byte[]>> delivered = inbox("lzn", signal.getEventId());
    assertThat(delivered).as("one delivery to the care network").hasSize(1);
    ConsumerRecord<String, byte[]> record = delivered.get(0);
    GenericRecord received = kafka.view(record);
    assertThat(received.get("narrative").toString())
        .isEqualTo("[opvragen bij de contactpersoon van de politie]");
    assertThat(received.getSchema().getField("company")).isNull();
    assertThat(header(record, "covenant-id")).isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
    assertThat(header(record, "covenant-version")).isEqualTo("1");
    assertThat(header(record, "rule-id")).isEqualTo("politie-signaal-zorg-aan-lzn");
    assertThat(header(record, "purpose")).isEqualTo("zorg-en-veiligheid");
    assertThat(header(record, "legal-basis")).startsWith("Wpg art. 20");
    assertThat(header(record, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(inbox("veilig-thuis", signal.getEventId()))
        .as("no rule for Veilig Thuis: nothing delivered")
        .isEmpty();

    AuditRecord toLzn = audit.get("lzn");
    assertThat(toLzn.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(toLzn.getDisclosureId()).isEqualTo(header(record, "disclosure-id"));
    assertThat(header(record, "traceparent"))
        .isEqualTo("00-" + toLzn.getTraceId() + "-" + toLzn.getSpanId() + "-01");
    assertThat(toLzn.getRuleIds()).containsExactly("politie-signaal-zorg-aan-lzn");
    assertThat(toLzn.getTransformedFields()).containsExactly("narrative");
    assertThat(toLzn.getWithheldFields()).contains("company.kvkNumber");
    assertThat(toLzn.getSubjectPseudonym())
        .as("key id, then the HMAC")
        .matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{43}")
        .isNotEqualTo(PartnerEvents.BSN);
    assertThat(toLzn.getCovenantHash()).hasSize(64);
    AuditRecord toVeiligThuis = audit.get("veilig-thuis");
    assertThat(toVeiligThuis.getDecision()).isEqualTo(AuditDecision.WITHHELD);
    assertThat(toVeiligThuis.getReason()).isEqualTo("NO_RULE");
  }

  /**
   * W3C trace context end to end: the partner's traceparent, its trace id continued into the inbox
   * header and the audit record, its span kept in the audit as the sender's action.
   */
  @Test
  void thePartnersTraceContinuesThroughTheInboxAndTheAudit() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    String partnerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String partnerSpan = "00f067aa0ba902b7";
    ProducerRecord<String, byte[]> sent =
        new ProducerRecord<>(
            "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    sent.headers()
        .add(
            "traceparent",
            ("00-" + partnerTrace + "-" + partnerSpan + "-01").getBytes(StandardCharsets.US_ASCII));
    kafka.publish(sent);

    AuditRecord toLzn = auditByRecipient(signal.getEventId(), 2).get("lzn");
    assertThat(toLzn.getTraceId()).isEqualTo(partnerTrace);
    assertThat(toLzn.getSenderSpanId()).isEqualTo(partnerSpan);
    assertThat(toLzn.getSpanId()).isNotEqualTo(partnerSpan);
    assertThat(AuditHash.holdsItsHash(toLzn)).as("the sender span is sealed in").isTrue();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(inbox("lzn", signal.getEventId())).hasSize(1));
    assertThat(header(inbox("lzn", signal.getEventId()).get(0), "traceparent"))
        .as("the recipient continues the same trace, from the hub's decision")
        .isEqualTo("00-" + partnerTrace + "-" + toLzn.getSpanId() + "-01");
  }

  @Test
  void cannabisSignalReachesRiecWithAPseudonymAndTheMayorWithTheAddress() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));

    Map<String, AuditRecord> audit =
        auditByRecipient(signal.getEventId(), PartnerEvents.UNDERMINING_RECIPIENTS);
    assertThat(audit.get("riec").getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(audit.get("lzn").getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(audit.get("odr").getDecision()).isEqualTo(AuditDecision.WITHHELD);
    GenericRecord riec = kafka.view(inbox("riec", signal.getEventId()).get(0));
    assertThat(((GenericRecord) riec.get("subject")).get("bsn").toString())
        .isNotEqualTo(PartnerEvents.BSN)
        .as("the RIEC's pseudonym is its own, not the audit's: it cannot be looked up there")
        .isNotEqualTo(audit.get("riec").getSubjectPseudonym())
        .matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{43}");
    assertThat(riec.getSchema().getField("concerns")).as("no health data to the RIEC").isNull();
    GenericRecord lzn = kafka.view(inbox("lzn", signal.getEventId()).get(0));
    assertThat(((GenericRecord) lzn.get("subject")).get("birthDate")).isEqualTo(1971);
  }

  @Test
  void eachViewSchemaTravelsOnceInHubSchemasAndEveryInboxRecordNamesIt() {
    for (int i = 0; i < 3; i++) {
      CaseSignal signal =
          PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
      kafka.publish(
          "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      auditByRecipient(signal.getEventId(), 2);
    }

    Map<String, List<String>> published =
        kafka.committed(InboxViews.SCHEMAS_TOPIC).stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        r -> new String(r.value(), StandardCharsets.UTF_8), Collectors.toList())));
    assertThat(published)
        .as("one record per schema, keyed by the id of its text")
        .isNotEmpty()
        .allSatisfy(
            (id, texts) ->
                assertThat(texts)
                    .singleElement()
                    .satisfies(json -> assertThat(InboxViews.schemaId(json)).isEqualTo(id)));
    List<ConsumerRecord<String, byte[]>> lzn = kafka.committed("partner.lzn.inbox");
    assertThat(lzn)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(
            r -> {
              assertThat(published).containsKey(header(r, InboxViews.SCHEMA_ID_HEADER));
              assertThat(r.headers().lastHeader("avro-schema"))
                  .as("no schema text in the record itself")
                  .isNull();
            });
  }

  @Test
  void defaultDenyAnUnknownPurposeIsWithheldAndAudited() {
    CaseSignal signal = PartnerEvents.signal("politie", "handhaving", Concern.WOONOVERLAST).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));

    AuditRecord only = auditByRecipient(signal.getEventId(), 1).get("null");
    assertThat(only.getDecision()).isEqualTo(AuditDecision.WITHHELD);
    assertThat(only.getReason()).isEqualTo("UNKNOWN_PURPOSE");
    for (String partner : List.of("lzn", "veilig-thuis", "riec")) {
      assertThat(inbox(partner, signal.getEventId())).as("inbox of %s", partner).isEmpty();
    }
  }

  @Test
  void anExpiredCovenantDisclosesNothing() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    clock.set(Instant.parse("2029-01-01T08:00:00Z"));
    try {
      kafka.publish(
          "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      Map<String, AuditRecord> audit = auditByRecipient(signal.getEventId(), 2);
      assertThat(audit.get("lzn").getDecision()).isEqualTo(AuditDecision.WITHHELD);
      assertThat(audit.get("lzn").getReason()).isEqualTo("COVENANT_ENDED");
      assertThat(audit.get("lzn").getDetail())
          .isEqualTo("covenant 'zorg-en-veiligheid-west-maas-en-waal' ended on 2028-12-31");
      assertThat(audit.get("lzn").getCovenantId())
          .isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
      assertThat(inbox("lzn", signal.getEventId())).isEmpty();
    } finally {
      clock.set(TODAY);
    }
  }

  @Test
  void aConditionNotMetIsWithheld() {
    CaseSignal lowRisk =
        PartnerEvents.signal("veilig-thuis", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setRiskLevel(RiskLevel.LAAG)
            .build();
    kafka.publish(
        "partner.veilig-thuis.outbox", lowRisk.getCaseReference(), PartnerEvents.bytes(lowRisk));
    Map<String, AuditRecord> audit = auditByRecipient(lowRisk.getEventId(), 2);
    assertThat(audit.get("lzn").getReason()).isEqualTo("CONDITION_NOT_MET");
    assertThat(inbox("lzn", lowRisk.getEventId())).isEmpty();
  }

  @Test
  void aSpoofedSenderIsDeadLetteredAuditedAndTheRouteGoesOn(CapturedOutput logs) {
    CaseSignal spoofed =
        PartnerEvents.signal("veilig-thuis", "huiselijk-geweld", Concern.HUISELIJK_GEWELD).build();
    kafka.publish(
        "partner.politie.outbox", spoofed.getCaseReference(), PartnerEvents.bytes(spoofed));
    CaseSignal honest =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.WOONOVERLAST).build();
    kafka.publish("partner.politie.outbox", honest.getCaseReference(), PartnerEvents.bytes(honest));

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(inbox("lzn", honest.getEventId())).hasSize(1));
    ConsumerRecord<String, byte[]> dead =
        kafka.committed("hub.deadletter").stream()
            .filter(r -> spoofed.getCaseReference().equals(r.key()))
            .findFirst()
            .orElseThrow();
    assertThat(header(dead, "deadletter-reason")).isEqualTo("SENDER_MISMATCH");
    assertThat(header(dead, "deadletter-detail"))
        .as("the detail names the outbox's owner, never the payload's own text")
        .isEqualTo("the payload's sender is not 'politie', whose outbox it came from");
    assertThat(dead.value())
        .as("the original bytes, unchanged")
        .isEqualTo(PartnerEvents.bytes(spoofed));
    AuditRecord rejected =
        kafka.audit().stream()
            .filter(
                a ->
                    a.getSourceOffset() == Long.parseLong(header(dead, "deadletter-source-offset"))
                        && a.getSourceTopic().equals("partner.politie.outbox")
                        && a.getSourcePartition()
                            == Integer.parseInt(header(dead, "deadletter-source-partition")))
            .findFirst()
            .orElseThrow();
    assertThat(rejected.getDecision()).isEqualTo(AuditDecision.REJECTED);
    assertThat(rejected.getSender())
        .as("the authenticated sender, not the claimed one")
        .isEqualTo("politie");
    assertThat(rejected.getReason()).isEqualTo("SENDER_MISMATCH");
    assertThat(rejected.getEventId())
        .as("the payload decoded: the refusal names its event")
        .isEqualTo(spoofed.getEventId());
    assertThat(rejected.getCaseReference()).isEqualTo(spoofed.getCaseReference());
    assertThat(rejected.getSubjectPseudonym())
        .as("and its data subject, so the Art. 15 report shows it")
        .isNotBlank()
        .isNotEqualTo(PartnerEvents.BSN);
    assertThat(inbox("veilig-thuis", spoofed.getEventId())).isEmpty();
    assertThat(logs.getAll())
        .as("the log says what was refused and why, without personal data")
        .contains("SENDER_MISMATCH")
        .doesNotContain(PartnerEvents.BSN, "J. de Vries", "Dorpsstraat", "stemmen");
  }

  @Test
  void aBsnWrittenWithSpacesAndDotsIsTheSamePersonAndOneThatFailsTheElevenTestIsRefused() {
    CaseSignal plain =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    CaseSignal spaced =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    spaced.getSubject().setBsn("999 990.019");
    CaseSignal mistyped =
        PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
    mistyped.getSubject().setBsn("999990018");
    for (CaseSignal signal : List.of(plain, spaced, mistyped)) {
      kafka.publish(
          "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    }

    Map<String, AuditRecord> plainAudit =
        auditByRecipient(plain.getEventId(), PartnerEvents.UNDERMINING_RECIPIENTS);
    Map<String, AuditRecord> spacedAudit =
        auditByRecipient(spaced.getEventId(), PartnerEvents.UNDERMINING_RECIPIENTS);
    assertThat(spacedAudit.get("riec").getSubjectPseudonym())
        .as("the audit names one person, however the BSN was written")
        .isEqualTo(plainAudit.get("riec").getSubjectPseudonym());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(inbox("riec", spaced.getEventId())).hasSize(1));
    Object spacedPseudonym =
        ((GenericRecord) kafka.view(inbox("riec", spaced.getEventId()).get(0)).get("subject"))
            .get("bsn");
    Object plainPseudonym =
        ((GenericRecord) kafka.view(inbox("riec", plain.getEventId()).get(0)).get("subject"))
            .get("bsn");
    assertThat(spacedPseudonym.toString()).isEqualTo(plainPseudonym.toString());

    AuditRecord refused = auditByRecipient(mistyped.getEventId(), 1).values().iterator().next();
    assertThat(refused.getDecision()).isEqualTo(AuditDecision.REJECTED);
    assertThat(refused.getReason()).isEqualTo("INVALID");
    assertThat(refused.getDetail()).isEqualTo("subject.bsn fails the eleven-test (elfproef)");
    assertThat(refused.getSubjectPseudonym()).as("it names nobody").isNull();
    assertThat(refused.getCaseReference()).isEqualTo(mistyped.getCaseReference());
    assertThat(kafka.committed("hub.deadletter"))
        .anySatisfy(
            dead -> {
              assertThat(dead.key()).isEqualTo(mistyped.getCaseReference());
              assertThat(header(dead, "deadletter-reason")).isEqualTo("INVALID");
            });
    assertThat(inbox("riec", mistyped.getEventId())).isEmpty();
  }

  @Test
  void everyInputOffsetEndsDeliveredWithheldOrDeadLettered() {
    String topic = "partner.lzn.outbox";
    long before = kafka.committed(topic).size();
    CaseSignal valid =
        PartnerEvents.signal("lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD).build();
    CaseSignal withheld =
        PartnerEvents.signal("lzn", "zorg-en-veiligheid", Concern.WOONOVERLAST).build();
    CaseSignal blankEventId =
        PartnerEvents.signal("lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setEventId(" ")
            .build();
    byte[] unknownSchema = PartnerEvents.bytes(valid).clone();
    unknownSchema[5] ^= 0x5A;
    byte[] truncated = java.util.Arrays.copyOf(PartnerEvents.bytes(valid), 20);
    CaseSignal oversize =
        PartnerEvents.signal("lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setNarrative("x".repeat(5000))
            .build();
    List<byte[]> inputs =
        List.of(
            PartnerEvents.bytes(valid),
            PartnerEvents.bytes(withheld),
            PartnerEvents.bytes(blankEventId),
            unknownSchema,
            truncated,
            "not avro at all".getBytes(StandardCharsets.UTF_8),
            PartnerEvents.bytes(oversize),
            new byte[0]);
    for (byte[] input : inputs) {
      kafka.publish(topic, "count-test", input);
    }

    List<ConsumerRecord<String, byte[]>> published = kafka.committed(topic);
    assertThat(published).hasSize((int) before + inputs.size());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<AuditRecord> audit =
                  kafka.audit().stream().filter(a -> a.getSourceTopic().equals(topic)).toList();
              for (ConsumerRecord<String, byte[]> input : published) {
                assertThat(audit)
                    .as("audit of offset %d", input.offset())
                    .anyMatch(
                        a ->
                            a.getSourcePartition() == input.partition()
                                && a.getSourceOffset() == input.offset());
              }
            });
    java.util.Set<String> inputPositions =
        published.stream()
            .filter(r -> "count-test".equals(r.key()))
            .map(r -> r.partition() + "@" + r.offset())
            .collect(Collectors.toSet());
    // An envelope (the oversize input) keeps no key: it is found by where it came from.
    Map<String, Long> deadLetterReasons =
        kafka.committed("hub.deadletter").stream()
            .filter(r -> topic.equals(header(r, "deadletter-source-topic")))
            .filter(
                r ->
                    inputPositions.contains(
                        header(r, "deadletter-source-partition")
                            + "@"
                            + header(r, "deadletter-source-offset")))
            .collect(
                Collectors.groupingBy(r -> header(r, "deadletter-reason"), Collectors.counting()));
    assertThat(deadLetterReasons)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("INVALID", 1L, "UNKNOWN_SCHEMA", 1L, "UNDECODABLE", 3L, "OVERSIZE", 1L));
    assertThat(inbox("veilig-thuis", valid.getEventId())).hasSize(1);
  }

  /**
   * The fuzz corpus's seeds (services/hub/src/test/resources/.../OutboxIntakeFuzzTestInputs),
   * mutated as a fuzzer would (bytes flipped, cut, inserted), through the running route: every
   * record is audited, each refused one is dead-lettered, and the route still delivers afterwards.
   */
  @Test
  void mutatedRecordsAllEndDecidedOrDeadLetteredAndTheRouteGoesOn() throws Exception {
    String topic = "partner.politie.outbox";
    List<byte[]> seeds;
    try (var files = java.nio.file.Files.list(FUZZ_SEEDS)) {
      seeds = files.sorted().map(f -> uncheckedRead(f)).filter(b -> b.length > 10).toList();
    }
    assertThat(seeds).as("the seed corpus").hasSizeGreaterThanOrEqualTo(4);
    java.util.Random random = new java.util.Random(20261202);
    String key = "mutated-" + java.util.UUID.randomUUID();
    for (int i = 0; i < 120; i++) {
      kafka.publish(topic, key, mutate(seeds.get(i % seeds.size()), random));
    }
    CaseSignal after =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.WOONOVERLAST).build();
    kafka.publish(topic, after.getCaseReference(), PartnerEvents.bytes(after));

    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(() -> assertThat(inbox("lzn", after.getEventId())).hasSize(1));
    List<ConsumerRecord<String, byte[]>> mutated =
        kafka.committed(topic).stream().filter(r -> key.equals(r.key())).toList();
    assertThat(mutated).hasSize(120);
    Map<String, List<AuditRecord>> audited =
        kafka.audit().stream()
            .filter(a -> a.getSourceTopic().equals(topic))
            .collect(
                Collectors.groupingBy(a -> a.getSourcePartition() + "@" + a.getSourceOffset()));
    java.util.Set<String> deadLettered =
        kafka.committed("hub.deadletter").stream()
            .filter(r -> topic.equals(header(r, "deadletter-source-topic")))
            .map(
                r ->
                    header(r, "deadletter-source-partition")
                        + "@"
                        + header(r, "deadletter-source-offset"))
            .collect(Collectors.toSet());
    long refused = 0;
    for (ConsumerRecord<String, byte[]> record : mutated) {
      String position = record.partition() + "@" + record.offset();
      assertThat(audited).as("audit of %s", position).containsKey(position);
      if (audited.get(position).stream().anyMatch(a -> a.getDecision() == AuditDecision.REJECTED)) {
        refused++;
        assertThat(deadLettered).as("dead letter of refused %s", position).contains(position);
      }
    }
    assertThat(refused).as("most mutations are refused, not all").isBetween(1L, 119L);
  }

  private static final java.nio.file.Path FUZZ_SEEDS =
      java.nio.file.Path.of(
          "src/test/resources/nl/covenanthub/hub/intake/OutboxIntakeFuzzTestInputs",
          "anyOutboxRecordIsDecidedOrRefusedWithAReason");

  private static byte[] uncheckedRead(java.nio.file.Path file) {
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One to four mutations of {@code seed}: a byte flipped, the tail cut, or bytes inserted. */
  private static byte[] mutate(byte[] seed, java.util.Random random) {
    byte[] bytes = seed.clone();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(3)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, Math.max(1, at));
        default -> {
          byte[] inserted = new byte[1 + random.nextInt(8)];
          random.nextBytes(inserted);
          byte[] longer = new byte[bytes.length + inserted.length];
          System.arraycopy(bytes, 0, longer, 0, at);
          System.arraycopy(inserted, 0, longer, at, inserted.length);
          System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return bytes;
  }

  @Test
  void auditRecordsHoldNoPersonalDataAndFormAnUnbrokenChain() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    auditByRecipient(signal.getEventId(), 2);

    for (ConsumerRecord<String, byte[]> raw : kafka.committed("hub.audit")) {
      String text = new String(raw.value(), StandardCharsets.ISO_8859_1);
      assertThat(text)
          .doesNotContain(PartnerEvents.BSN, "J. de Vries", "Dorpsstraat", "6658 AB", "stemmen");
    }
    assertThat(AuditChains.assertUnbroken(kafka.audit())).as("audit chains").isNotEmpty();
  }

  @Test
  void prometheusShowsDecisionsAndDeadLettersWithoutPersonalData() throws Exception {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
    kafka.publish("partner.politie.outbox", "junk", "junk".getBytes(StandardCharsets.UTF_8));
    auditByRecipient(signal.getEventId(), 2);

    URI prometheus = URI.create("http://localhost:" + port + "/actuator/prometheus");
    HttpClient http = HttpClient.newHttpClient();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(prometheus).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .as("metrics without a token")
        .isEqualTo(401);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/health"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode())
        .as("health without a token")
        .isEqualTo(200);
    String operator = Keycloak.shared().userToken("operator", "demo");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String metrics =
                  http.send(
                          HttpRequest.newBuilder(prometheus)
                              .header("Authorization", "Bearer " + operator)
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body();
              assertThat(metrics)
                  .contains(
                      "hub_disclosures_total{decision=\"DISCLOSED\",purpose=\"zorg-en-veiligheid\",recipient=\"lzn\",sender=\"politie\"}")
                  .contains(
                      "hub_disclosures_total{decision=\"WITHHELD\",purpose=\"zorg-en-veiligheid\",recipient=\"veilig-thuis\",sender=\"politie\"}")
                  .contains("hub_deadletters_total{reason=\"UNDECODABLE\"}")
                  .contains("hub_processing_latency_seconds_bucket")
                  .doesNotContain(PartnerEvents.BSN, "de Vries");
            });
  }
}
