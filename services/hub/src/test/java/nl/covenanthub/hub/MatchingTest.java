package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseReference;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.MatchQuery;
import nl.covenanthub.events.Subject;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Hit/no-hit matching under the care covenant, whose purpose {@code zorg-en-veiligheid} allows it:
 * politie and lzn both hold a case about one resident and each hears whom to call at the other;
 * Veilig Thuis hears nothing; a resident only politie signalled matches nobody; a probe about a
 * resident the prober never signalled finds nothing; every check is audited; a closed case matches
 * no more.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class MatchingTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final String PURPOSE = "zorg-en-veiligheid";
  private static final String BOTH = "111222333";
  private static final String ONLY_POLITIE = "123456782";
  private static KafkaProbe kafka;

  @BeforeAll
  static void probe(@Autowired EmbeddedKafkaBroker broker) {
    kafka = new KafkaProbe(broker.getBrokersAsString());
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  @Test
  void twoPartnersWithACaseAboutOneResidentHearOfEachOtherAndNoOneElseDoes() {
    CaseSignal politie = politieSignal(BOTH);
    publish("politie", politie.getCaseReference(), PartnerEvents.bytes(politie));
    AuditRecord first = check(politie.getEventId(), politie.getCaseReference());
    assertThat(first.getDecision()).isEqualTo(AuditDecision.WITHHELD);
    assertThat(first.getReason()).as("nobody else holds the resident yet").isEqualTo("NO_MATCH");
    assertThat(first.getSubjectPseudonym()).isNotBlank().isNotEqualTo(BOTH);

    CaseReference lzn = lznReference(BOTH);
    publish("lzn", lzn.getCaseReference(), PartnerEvents.bytes(lzn));

    GenericRecord toPolitie = matchNoticeTo("politie", politie.getCaseReference());
    assertThat(toPolitie.get("otherPartner").toString()).isEqualTo("lzn");
    assertThat(toPolitie.get("otherCaseReference").toString()).isEqualTo(lzn.getCaseReference());
    assertThat(toPolitie.get("otherContact").toString()).contains("casusregisseur A. de Groot");
    GenericRecord toLzn = matchNoticeTo("lzn", lzn.getCaseReference());
    assertThat(toLzn.get("otherPartner").toString()).isEqualTo("politie");
    assertThat(toLzn.get("otherCaseReference").toString()).isEqualTo(politie.getCaseReference());
    assertThat(toPolitie.toString() + toLzn)
        .as("whom to call and the case, never content")
        .doesNotContain(BOTH)
        .doesNotContain("de Vries")
        .doesNotContain("stemmen");

    List<AuditRecord> hits =
        kafka.audit().stream().filter(r -> "MatchNotice".equals(r.getEventType())).toList();
    assertThat(hits)
        .extracting(AuditRecord::getSender, AuditRecord::getRecipient)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("lzn", "politie"),
            org.assertj.core.groups.Tuple.tuple("politie", "lzn"));
    assertThat(hits)
        .allSatisfy(
            r -> {
              assertThat(r.getDecision()).isEqualTo(AuditDecision.DISCLOSED);
              assertThat(r.getChainId()).isEqualTo("hub.matching-0");
              assertThat(r.getLegalBasis()).contains("Wmo 2015 art. 5.2.1");
              assertThat(r.getDisclosedFields())
                  .containsExactly("otherPartner", "otherCaseReference", "otherContact");
            });
    assertThat(matchNotices("veilig-thuis")).as("a third partner hears nothing").isEmpty();

    // A resident only politie signalled matches nobody.
    CaseSignal alone = politieSignal(ONLY_POLITIE);
    publish("politie", alone.getCaseReference(), PartnerEvents.bytes(alone));
    assertThat(check(alone.getEventId(), alone.getCaseReference()).getReason())
        .isEqualTo("NO_MATCH");
    assertThat(matchNotices("politie"))
        .noneMatch(r -> kafka.view(r).toString().contains(alone.getCaseReference()));

    // A probe about a resident the prober never signalled finds nothing, and is audited.
    MatchQuery probe = query("veilig-thuis", BOTH);
    publish("veilig-thuis", probe.getCaseReference(), PartnerEvents.bytes(probe));
    AuditRecord refused = check(probe.getEventId(), probe.getCaseReference());
    assertThat(refused.getReason()).isEqualTo("NOT_SIGNALLED");
    assertThat(refused.getSender()).isEqualTo("veilig-thuis");
    // A partner outside the covenant may not ask at all.
    MatchQuery outsider = query("riec", BOTH);
    publish("riec", outsider.getCaseReference(), PartnerEvents.bytes(outsider));
    assertThat(check(outsider.getEventId(), outsider.getCaseReference()).getReason())
        .isEqualTo("NOT_MATCHABLE");
    assertThat(matchNotices("veilig-thuis")).isEmpty();
    assertThat(matchNotices("riec")).isEmpty();

    // politie, which signalled the resident itself, may ask, and hears of lzn again.
    MatchQuery asked = query("politie", BOTH);
    asked.setCaseReference(politie.getCaseReference());
    publish("politie", asked.getCaseReference(), PartnerEvents.bytes(asked));
    await()
        .atMost(WAIT)
        .until(
            () ->
                matchNotices("politie").stream()
                        .map(kafka::view)
                        .filter(
                            v ->
                                politie
                                    .getCaseReference()
                                    .equals(v.get("yourCaseReference").toString()))
                        .count()
                    == 2);

    // Once lzn's case is closed the match has ended, and a new politie case matches nobody.
    CaseStatusChange close = closed(lzn);
    publish("lzn", lzn.getCaseReference(), PartnerEvents.bytes(close));
    assertThat(check(close.getEventId(), lzn.getCaseReference()).getReason())
        .isEqualTo("MATCH_ENDED");
    CaseSignal again = politieSignal(BOTH);
    publish("politie", again.getCaseReference(), PartnerEvents.bytes(again));
    assertThat(check(again.getEventId(), again.getCaseReference()).getReason())
        .isEqualTo("NO_MATCH");
    assertThat(matchNotices("politie"))
        .noneMatch(r -> kafka.view(r).toString().contains(again.getCaseReference()));
  }

  private static void publish(String partner, String key, byte[] value) {
    kafka.publish("partner." + partner + ".outbox", key, value);
  }

  /**
   * The audit record of the matching check of this event: MatchCheck for a check the matching made
   * (no hit, not signalled), the MatchQuery itself for one refused at the door.
   */
  private static AuditRecord check(String eventId, String caseReference) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.audit().stream()
                    .filter(
                        r ->
                            "MatchCheck".equals(r.getEventType())
                                || "MatchQuery".equals(r.getEventType()))
                    .filter(r -> r.getDecision() == AuditDecision.WITHHELD)
                    // A check names the case; a query refused at the door is the query's own.
                    .filter(
                        r ->
                            caseReference.equals(r.getCaseReference())
                                && (r.getEventId() == null || eventId.equals(r.getEventId())))
                    .toList(),
            l -> !l.isEmpty())
        .get(0);
  }

  private static GenericRecord matchNoticeTo(String partner, String yourCase) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                matchNotices(partner).stream()
                    .map(kafka::view)
                    .filter(v -> yourCase.equals(v.get("yourCaseReference").toString()))
                    .toList(),
            l -> !l.isEmpty())
        .get(0);
  }

  private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>
      matchNotices(String partner) {
    return kafka.committed("partner." + partner + ".inbox").stream()
        .filter(r -> "MatchNotice".equals(KafkaProbe.header(r, "event-type")))
        .toList();
  }

  private static CaseSignal politieSignal(String bsn) {
    CaseSignal signal =
        PartnerEvents.signal("politie", PURPOSE, Concern.VERWARD_GEDRAG)
            .setCaseReference("PL-" + UUID.randomUUID())
            .build();
    signal.getSubject().setBsn(bsn);
    return signal;
  }

  private static Subject subject(String bsn) {
    Subject subject = PartnerEvents.signal("politie", PURPOSE).build().getSubject();
    subject.setBsn(bsn);
    return subject;
  }

  private static CaseReference lznReference(String bsn) {
    return CaseReference.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender("lzn")
        .setCaseReference("LZN-" + UUID.randomUUID())
        .setOccurredAt(Instant.parse("2026-11-29T08:00:00Z"))
        .setPurpose(PURPOSE)
        .setSubject(subject(bsn))
        .setContact(
            Contact.newBuilder()
                .setName("casusregisseur A. de Groot")
                .setOrganisation("Lokaal Zorgnetwerk")
                .setPhone("0487-123456")
                .build())
        .build();
  }

  private static CaseStatusChange closed(CaseReference lzn) {
    return CaseStatusChange.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender("lzn")
        .setCaseReference(lzn.getCaseReference())
        .setOccurredAt(Instant.parse("2026-12-01T08:00:00Z"))
        .setPurpose(PURPOSE)
        .setSubject(lzn.getSubject())
        .setStatus(CaseStatus.CLOSED)
        .setContact(lzn.getContact())
        .build();
  }

  private static MatchQuery query(String partner, String bsn) {
    return MatchQuery.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(partner)
        .setCaseReference(partner.toUpperCase() + "-" + UUID.randomUUID())
        .setPurpose(PURPOSE)
        .setOccurredAt(Instant.parse("2026-12-02T08:00:00Z"))
        .setSubject(subject(bsn))
        .build();
  }
}
