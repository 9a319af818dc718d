package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.ErasureScope;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A withdrawn case reaches every partner that received anything of it (AVG art. 17 and 19),
 * whatever today's rules say: politie signals one case to lzn (care) and to Veilig Thuis (domestic
 * violence), then withdraws it; no rule passes its status changes to either, and both get a notice
 * naming only what they hold. Acknowledgements are checked, recorded and passed on; a notice left
 * unacknowledged becomes overdue (the hub's clock is moved, nothing waits for it).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "hub.lifecycle.acknowledge-within=14d"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@Import(ShiftedClock.AsTheHubsClock.class)
class WithdrawalTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static KafkaProbe kafka;

  @Autowired ShiftedClock clock;
  @Autowired MeterRegistry registry;
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
    kafka.close();
  }

  /** A case of politie's that lzn and Veilig Thuis each received one signal of. */
  private record SignalledCase(
      String caseReference, String toLzn, String toVeiligThuis, CaseStatusChange withdrawal) {}

  private static SignalledCase signalledCase() {
    String caseReference = "PL-" + UUID.randomUUID();
    CaseSignal care =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG)
            .setCaseReference(caseReference)
            .build();
    CaseSignal violence =
        PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setCaseReference(caseReference)
            .build();
    publish("politie", caseReference, PartnerEvents.bytes(care));
    publish("politie", caseReference, PartnerEvents.bytes(violence));
    return new SignalledCase(
        caseReference,
        KafkaProbe.header(inboxRecord("lzn", "eventId", care.getEventId()), "disclosure-id"),
        KafkaProbe.header(
            inboxRecord("veilig-thuis", "eventId", violence.getEventId()), "disclosure-id"),
        withdrawal(caseReference));
  }

  private static CaseStatusChange withdrawal(String caseReference) {
    CaseSignal like = PartnerEvents.signal("politie", "huiselijk-geweld").build();
    return CaseStatusChange.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender("politie")
        .setCaseReference(caseReference)
        .setOccurredAt(Instant.parse("2026-12-01T09:00:00Z"))
        .setPurpose("huiselijk-geweld")
        .setSubject(like.getSubject())
        .setStatus(CaseStatus.WITHDRAWN)
        .setReason("Het signaal bleek niet te kloppen.")
        .setContact(like.getContact())
        .build();
  }

  private static void publish(String partner, String key, byte[] value) {
    kafka.publish("partner." + partner + ".outbox", key, value);
  }

  /** The committed inbox record of {@code partner} whose view has {@code field} = {@code value}. */
  private static ConsumerRecord<String, byte[]> inboxRecord(
      String partner, String field, String value) {
    return await()
        .atMost(WAIT)
        .until(() -> findInbox(partner, field, value), Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<ConsumerRecord<String, byte[]>> findInbox(
      String partner, String field, String value) {
    return kafka.committed("partner." + partner + ".inbox").stream()
        .map(r -> Map.entry(r, kafka.view(r)))
        .filter(r -> r.getValue().hasField(field))
        .filter(r -> value.equals(String.valueOf(r.getValue().get(field))))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  private static ConsumerRecord<String, byte[]> noticeTo(String partner, SignalledCase signalled) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.committed("partner." + partner + ".inbox").stream()
                    .filter(r -> "WithdrawalNotice".equals(KafkaProbe.header(r, "event-type")))
                    .filter(
                        r ->
                            kafka
                                .view(r)
                                .get("disclosureIds")
                                .toString()
                                .contains(
                                    partner.equals("lzn")
                                        ? signalled.toLzn()
                                        : signalled.toVeiligThuis()))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static SignalledCase withdrawn() {
    SignalledCase signalled = signalledCase();
    publish("politie", signalled.caseReference(), PartnerEvents.bytes(signalled.withdrawal()));
    return signalled;
  }

  private static byte[] acknowledgement(String partner, String noticeId) {
    return PartnerEvents.bytes(PartnerEvents.acknowledgement(partner, noticeId));
  }

  private JsonNode withdrawals() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/withdrawals"))
            .header("Authorization", "Bearer " + Keycloak.shared().userToken("fg", "demo"))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String stateOf(String noticeId) {
    for (JsonNode notice : withdrawals()) {
      if (noticeId.equals(notice.path("noticeId").asText())) {
        return notice.path("state").asText();
      }
    }
    return "absent";
  }

  /** The audited notices that {@code eventId} caused, once there are at least {@code atLeast}. */
  private static List<AuditRecord> noticesAudited(String eventId, int atLeast) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                auditOf(eventId).stream()
                    .filter(r -> "WithdrawalNotice".equals(r.getEventType()))
                    .toList(),
            n -> n.size() >= atLeast);
  }

  private static List<AuditRecord> auditOf(String eventId) {
    return kafka.auditOf(eventId);
  }

  @Test
  void everyRecipientOfAWithdrawnCaseIsToldWhateverTodaysRulesSay() {
    SignalledCase signalled = withdrawn();

    ConsumerRecord<String, byte[]> toLzn = noticeTo("lzn", signalled);
    ConsumerRecord<String, byte[]> toVeiligThuis = noticeTo("veilig-thuis", signalled);
    GenericRecord lznNotice = kafka.view(toLzn);
    assertThat(lznNotice.get("sender").toString()).isEqualTo("politie");
    assertThat(lznNotice.get("reason").toString()).isEqualTo("WITHDRAWN");
    assertThat(lznNotice.get("caseReference").toString()).isEqualTo(signalled.caseReference());
    assertThat(lznNotice.get("disclosureIds").toString())
        .as("only what lzn received")
        .contains(signalled.toLzn())
        .doesNotContain(signalled.toVeiligThuis());
    assertThat(lznNotice.get("purpose").toString()).isEqualTo("zorg-en-veiligheid");
    assertThat(KafkaProbe.header(toLzn, "legal-basis")).contains("art. 19");
    assertThat(kafka.view(toVeiligThuis).get("disclosureIds").toString())
        .contains(signalled.toVeiligThuis())
        .doesNotContain(signalled.toLzn());
    assertThat(lznNotice.toString())
        .as("a notice carries no content of the case")
        .doesNotContain(PartnerEvents.BSN)
        .doesNotContain("de Vries");

    List<AuditRecord> audit = auditOf(signalled.withdrawal().getEventId());
    assertThat(audit)
        .filteredOn(r -> "CaseStatusChange".equals(r.getEventType()))
        .as("no rule passes politie's status changes")
        .allMatch(r -> r.getDecision() != AuditDecision.DISCLOSED);
    List<AuditRecord> notices =
        audit.stream().filter(r -> "WithdrawalNotice".equals(r.getEventType())).toList();
    assertThat(notices)
        .extracting(AuditRecord::getRecipient)
        .containsExactlyInAnyOrder("lzn", "veilig-thuis");
    assertThat(notices)
        .allSatisfy(
            r -> {
              assertThat(r.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
              assertThat(r.getCaseReference()).isEqualTo(signalled.caseReference());
              assertThat(r.getSubjectPseudonym()).isNotBlank().isNotEqualTo(PartnerEvents.BSN);
              assertThat(r.getLegalBasis()).contains("art. 19");
              assertThat(r.getCovenantId()).isEqualTo("zorg-en-veiligheid-west-maas-en-waal");
            });
    assertThat(notices)
        .extracting(AuditRecord::getDisclosureId)
        .containsExactlyInAnyOrder(
            KafkaProbe.header(toLzn, "disclosure-id"),
            KafkaProbe.header(toVeiligThuis, "disclosure-id"));
    assertThat(kafka.committed("partner.riec.inbox"))
        .as("a partner that received nothing of the case hears nothing of it")
        .noneMatch(r -> kafka.view(r).toString().contains(signalled.caseReference()));

    String lznNoticeId = lznNotice.get("noticeId").toString();
    await().atMost(WAIT).until(() -> stateOf(lznNoticeId).equals("NOTIFIED"));
  }

  @Test
  void aCaseWithdrawnTwiceIsToldOnce() {
    SignalledCase signalled = withdrawn();
    noticeTo("lzn", signalled);
    noticeTo("veilig-thuis", signalled);

    CaseStatusChange again = withdrawal(signalled.caseReference());
    publish("politie", signalled.caseReference(), PartnerEvents.bytes(again));

    // Notices are written in the transaction that audits the withdrawal: once its audit is
    // visible, so would a second notice be.
    List<AuditRecord> audit =
        await().atMost(WAIT).until(() -> auditOf(again.getEventId()), a -> !a.isEmpty());
    assertThat(audit)
        .extracting(AuditRecord::getEventType)
        .as("the second withdrawal is decided, and tells nobody again")
        .containsOnly("CaseStatusChange");
    for (String partner : List.of("lzn", "veilig-thuis")) {
      assertThat(kafka.committed("partner." + partner + ".inbox"))
          .filteredOn(r -> "WithdrawalNotice".equals(KafkaProbe.header(r, "event-type")))
          .filteredOn(
              r ->
                  signalled
                      .caseReference()
                      .equals(String.valueOf(kafka.view(r).get("caseReference"))))
          .as("one notice to %s about the case", partner)
          .hasSize(1);
    }
  }

  /**
   * The police go on reporting on a case they withdrew (it turned out to be real after all), and
   * withdraw it again: Veilig Thuis, told of the first withdrawal, received something new since,
   * and is told of the second about that; lzn received nothing new and is not told again.
   */
  @Test
  void whatWasDisclosedAfterAWithdrawalIsToldOfTheNextOne() {
    SignalledCase signalled = withdrawn();
    noticeTo("lzn", signalled);
    noticeTo("veilig-thuis", signalled);
    CaseSignal later =
        PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setCaseReference(signalled.caseReference())
            .build();
    publish("politie", signalled.caseReference(), PartnerEvents.bytes(later));
    String laterToVeiligThuis =
        KafkaProbe.header(
            inboxRecord("veilig-thuis", "eventId", later.getEventId()), "disclosure-id");

    CaseStatusChange again = withdrawal(signalled.caseReference());
    publish("politie", signalled.caseReference(), PartnerEvents.bytes(again));

    // Written in one transaction with the withdrawal's audit: once one is visible, all are.
    List<AuditRecord> notices = noticesAudited(again.getEventId(), 1);
    assertThat(notices).extracting(AuditRecord::getRecipient).containsExactly("veilig-thuis");
    GenericRecord notice =
        kafka.view(
            kafka.committed("partner.veilig-thuis.inbox").stream()
                .filter(
                    r ->
                        notices
                            .get(0)
                            .getDisclosureId()
                            .equals(KafkaProbe.header(r, "disclosure-id")))
                .findFirst()
                .orElseThrow());
    assertThat(notice.get("disclosureIds").toString())
        .as("what it was not told of yet, and only that")
        .contains(laterToVeiligThuis)
        .doesNotContain(signalled.toVeiligThuis());
  }

  @Test
  void anAcknowledgementIsRecordedAndPassedOnUnderTheWithdrawingPartnersReference() {
    SignalledCase signalled = withdrawn();
    String noticeId = kafka.view(noticeTo("veilig-thuis", signalled)).get("noticeId").toString();
    String lznNoticeId = kafka.view(noticeTo("lzn", signalled)).get("noticeId").toString();

    publish("veilig-thuis", "VT-2026-0815", acknowledgement("veilig-thuis", noticeId));

    GenericRecord passedOn = kafka.view(inboxRecord("politie", "noticeId", noticeId));
    assertThat(passedOn.get("sender").toString()).isEqualTo("veilig-thuis");
    assertThat(passedOn.get("caseReference").toString())
        .as("politie's own reference, not Veilig Thuis's")
        .isEqualTo(signalled.caseReference());
    await().atMost(WAIT).until(() -> stateOf(noticeId).equals("ACKNOWLEDGED"));
    assertThat(stateOf(lznNoticeId)).isEqualTo("NOTIFIED");

    AuditRecord audited =
        kafka.audit().stream()
            .filter(r -> "WithdrawalAcknowledgement".equals(r.getEventType()))
            .filter(r -> "veilig-thuis".equals(r.getSender()))
            .filter(r -> "politie".equals(r.getRecipient()))
            .filter(r -> passedOn.get("eventId").toString().equals(r.getEventId()))
            .findFirst()
            .orElseThrow();
    assertThat(audited.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
    assertThat(audited.getTransformedFields()).containsExactly("caseReference");
    assertThat(audited.getSubjectPseudonym()).isNotBlank();
  }

  /**
   * A recipient that acknowledged a notice confirmed it erased what the notice named: the hub's
   * index forgets those disclosures (on its topic too), and a later erasure of the case is not
   * about them; the other recipient, which did not acknowledge, is told.
   */
  @Test
  void whatARecipientConfirmedItErasedIsForgottenAndNotToldAgain() {
    SignalledCase signalled = withdrawn();
    String noticeId = kafka.view(noticeTo("veilig-thuis", signalled)).get("noticeId").toString();
    noticeTo("lzn", signalled);
    publish("veilig-thuis", "VT-2026-0815", acknowledgement("veilig-thuis", noticeId));
    await().atMost(WAIT).until(() -> stateOf(noticeId).equals("ACKNOWLEDGED"));

    assertThat(lastIndexRecord("disclosure/" + signalled.toVeiligThuis()).value() == null)
        .as("the disclosure Veilig Thuis erased: a tombstone on the index's topic")
        .isTrue();
    assertThat(lastIndexRecord("disclosure/" + signalled.toLzn()).value() == null)
        .as("lzn did not confirm yet")
        .isFalse();

    ErasureRequest erasure =
        PartnerEvents.erasure("politie", signalled.caseReference(), ErasureScope.CASE).build();
    publish("politie", signalled.caseReference(), PartnerEvents.bytes(erasure));

    // The notices are written in the transaction that audits the erasure: once one is visible, so
    // would a second be.
    List<AuditRecord> notices = noticesAudited(erasure.getEventId(), 1);
    assertThat(notices)
        .extracting(AuditRecord::getRecipient)
        .as("lzn still holds its copy; Veilig Thuis erased its own")
        .containsExactly("lzn");
  }

  private static ConsumerRecord<String, byte[]> lastIndexRecord(String key) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.committed("hub.disclosure-index").stream()
                    .filter(r -> key.equals(r.key()))
                    .reduce((first, second) -> second),
            Optional::isPresent)
        .orElseThrow();
  }

  /** A partner without Kafka acknowledges over HTTPS, as it publishes its events. */
  @Test
  void anAcknowledgementPostedOverHttpCountsTheSame() throws Exception {
    SignalledCase signalled = withdrawn();
    String noticeId = kafka.view(noticeTo("lzn", signalled)).get("noticeId").toString();
    String body =
        JSON.writeValueAsString(
            Map.of(
                "eventId", UUID.randomUUID().toString(),
                "caseReference", "LZN-DOSSIER-77",
                "purpose", "zorg-en-veiligheid",
                "occurredAt", "2026-12-02T10:00:00Z",
                "noticeId", noticeId));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + port + "/api/partner/events/WithdrawalAcknowledgement"))
            .header(
                "Authorization",
                "Bearer " + Keycloak.shared().clientToken("lzn", Keycloak.demoSecret("lzn")))
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    await().atMost(WAIT).until(() -> stateOf(noticeId).equals("ACKNOWLEDGED"));
    assertThat(findInbox("politie", "noticeId", noticeId)).as("passed on to politie").isPresent();
  }

  @Test
  void anAcknowledgementOfANoticeSentToAnotherPartnerIsRefusedAndAudited() {
    SignalledCase signalled = withdrawn();
    String veiligThuisNotice =
        kafka.view(noticeTo("veilig-thuis", signalled)).get("noticeId").toString();
    byte[] forged = acknowledgement("lzn", veiligThuisNotice);
    publish("lzn", "LZN-1", forged);
    byte[] unknown = acknowledgement("lzn", UUID.randomUUID().toString());
    publish("lzn", "LZN-2", unknown);

    await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.audit().stream()
                        .filter(r -> r.getDecision() == AuditDecision.REJECTED)
                        .filter(r -> "UNKNOWN_NOTICE".equals(r.getReason()))
                        .filter(r -> "lzn".equals(r.getSender()))
                        .count()
                    >= 2);
    assertThat(kafka.committed("hub.deadletter"))
        .anyMatch(r -> "UNKNOWN_NOTICE".equals(KafkaProbe.header(r, "deadletter-reason")));
    assertThat(stateOf(veiligThuisNotice)).isEqualTo("NOTIFIED");
    assertThat(findInbox("politie", "noticeId", veiligThuisNotice))
        .as("nothing passed on")
        .isEmpty();
  }

  @Test
  void aNoticeLeftUnacknowledgedBecomesOverdue() {
    SignalledCase signalled = withdrawn();
    String noticeId = kafka.view(noticeTo("lzn", signalled)).get("noticeId").toString();
    await().atMost(WAIT).until(() -> stateOf(noticeId).equals("NOTIFIED"));
    double overdueBefore = overdue();

    clock.moveOn(Duration.ofDays(15));

    assertThat(stateOf(noticeId)).isEqualTo("OVERDUE");
    assertThat(overdue()).isGreaterThan(overdueBefore);
    JsonNode notice = null;
    for (JsonNode n : withdrawals()) {
      if (noticeId.equals(n.path("noticeId").asText())) {
        notice = n;
      }
    }
    assertThat(notice).isNotNull();
    assertThat(
            Map.of(
                "sender",
                notice.path("sender").asText(),
                "recipient",
                notice.path("recipient").asText()))
        .containsEntry("sender", "politie")
        .containsEntry("recipient", "lzn");
  }

  @Test
  void anErasureOfASubjectReachesTheRecipientsOfEveryCaseTheSenderHasAboutIt() {
    String bsn = "123456782"; // this test's subject only: the others share PartnerEvents.BSN
    String first = "PL-" + UUID.randomUUID();
    String second = "PL-" + UUID.randomUUID();
    CaseSignal violence =
        PartnerEvents.signal("politie", "huiselijk-geweld", Concern.HUISELIJK_GEWELD)
            .setCaseReference(first)
            .build();
    violence.getSubject().setBsn(bsn);
    CaseSignal care =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.WOONOVERLAST)
            .setCaseReference(second)
            .build();
    care.getSubject().setBsn(bsn);
    publish("politie", first, PartnerEvents.bytes(violence));
    publish("politie", second, PartnerEvents.bytes(care));
    String toVeiligThuis =
        KafkaProbe.header(
            inboxRecord("veilig-thuis", "eventId", violence.getEventId()), "disclosure-id");
    String toLzn =
        KafkaProbe.header(inboxRecord("lzn", "eventId", care.getEventId()), "disclosure-id");

    ErasureRequest erasure =
        PartnerEvents.erasure("politie", first, ErasureScope.SUBJECT)
            .setSubject(violence.getSubject())
            .build();
    publish("politie", first, PartnerEvents.bytes(erasure));

    List<AuditRecord> notices = noticesAudited(erasure.getEventId(), 2);
    assertThat(notices)
        .extracting(AuditRecord::getRecipient, AuditRecord::getCaseReference)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("veilig-thuis", first),
            org.assertj.core.groups.Tuple.tuple("lzn", second));
    GenericRecord toLznNotice =
        kafka.view(
            kafka.committed("partner.lzn.inbox").stream()
                .filter(r -> "WithdrawalNotice".equals(KafkaProbe.header(r, "event-type")))
                .filter(r -> kafka.view(r).get("disclosureIds").toString().contains(toLzn))
                .findFirst()
                .orElseThrow());
    assertThat(toLznNotice.get("reason").toString()).isEqualTo("ERASURE");
    assertThat(toLznNotice.get("disclosureIds").toString()).doesNotContain(toVeiligThuis);
  }

  @Test
  void anErasureOfACaseNobodyReceivedIsAuditedAsWithheld() {
    ErasureRequest erasure =
        PartnerEvents.erasure("politie", "PL-" + UUID.randomUUID(), ErasureScope.CASE).build();
    publish("politie", erasure.getCaseReference(), PartnerEvents.bytes(erasure));

    AuditRecord audited =
        await().atMost(WAIT).until(() -> auditOf(erasure.getEventId()), a -> !a.isEmpty()).get(0);
    assertThat(audited.getDecision()).isEqualTo(AuditDecision.WITHHELD);
    assertThat(audited.getReason()).isEqualTo("NOTHING_DISCLOSED");
    assertThat(auditOf(erasure.getEventId())).hasSize(1);
  }

  @Test
  void aDisclosureSaysUntilWhenTheRecipientMayKeepIt() {
    SignalledCase signalled = signalledCase();
    ConsumerRecord<String, byte[]> toLzn =
        findInbox("lzn", "caseReference", signalled.caseReference()).orElseThrow();
    Instant until = Instant.parse(KafkaProbe.header(toLzn, "retain-until"));
    // The care covenant keeps lzn's copy two years (P2Y); the hub's clock may be moved on a little.
    assertThat(until)
        .isAfter(Instant.now().plus(Duration.ofDays(700)))
        .isBefore(Instant.now().plus(Duration.ofDays(760)));
  }

  private double overdue() {
    return registry.get("hub.withdrawal.notices").tag("state", "overdue").gauge().value();
  }
}
