package nl.covenanthub.hub.lifecycle;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.NoticeReason;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import nl.covenanthub.events.WithdrawalNotice;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.audit.Auditor;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import nl.covenanthub.hub.disclosure.DisclosureIds;
import nl.covenanthub.hub.disclosure.TraceContext;
import nl.covenanthub.hub.disclosure.ViewCodec;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.DeadLetterReason;
import nl.covenanthub.hub.intake.IncomingEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * What the hub does after a disclosure: it remembers who received what of a case ({@link
 * DisclosureIndex}); when the sender withdraws the case (a {@code CaseStatusChange} to WITHDRAWN),
 * every partner that received anything of it gets a {@code WithdrawalNotice} (AVG art. 17 and 19),
 * whatever today's rules say, naming only what it already holds; a recipient's {@code
 * WithdrawalAcknowledgement} is checked against its notice, recorded, and passed on to the
 * withdrawing partner. All of it in the listener's transaction, and audited.
 */
@Component
public class Withdrawals {
  static final String LEGAL_BASIS =
      "AVG art. 17 lid 1 en art. 19 (kennisgeving van wissing aan de ontvangers)";
  static final String NOTICE = "WithdrawalNotice";
  static final String ACKNOWLEDGEMENT = "WithdrawalAcknowledgement";
  private static final Schema NOTICE_SCHEMA = WithdrawalNotice.getClassSchema();
  private static final Schema ACKNOWLEDGEMENT_SCHEMA = WithdrawalAcknowledgement.getClassSchema();
  private static final List<String> NOTICE_FIELDS = fieldNames(NOTICE_SCHEMA);
  private static final List<String> PASSED_ON = List.of("caseReference");
  private static final List<String> ACKNOWLEDGEMENT_FIELDS =
      fieldNames(ACKNOWLEDGEMENT_SCHEMA).stream().filter(f -> !PASSED_ON.contains(f)).toList();

  private final DisclosureIndex index;
  private final Pseudonymiser caseKeys;
  private final Pseudonymiser subjects;
  private final ViewCodec codec;
  private final KafkaTemplate<String, byte[]> kafka;
  private final Auditor auditor;
  private final Clock clock;
  private final Duration acknowledgeWithin;

  public Withdrawals(
      DisclosureIndex index,
      Pseudonymiser recordKeyPseudonymiser,
      Pseudonymiser subjectPseudonymiser,
      ViewCodec codec,
      KafkaTemplate<String, byte[]> kafka,
      Auditor auditor,
      Clock clock,
      LifecycleProperties properties) {
    this.index = index;
    this.caseKeys = recordKeyPseudonymiser;
    this.subjects = subjectPseudonymiser;
    this.codec = codec;
    this.kafka = kafka;
    this.auditor = auditor;
    this.clock = clock;
    this.acknowledgeWithin = properties.acknowledgeWithin();
  }

  public static boolean isAcknowledgement(IncomingEvent event) {
    return ACKNOWLEDGEMENT.equals(event.eventType());
  }

  /**
   * After an event was decided, delivered and audited: the index learns what it disclosed, and a
   * withdrawal reaches everyone that received anything of the case.
   */
  public void afterDecisions(DecidedEvent decided) {
    IncomingEvent in = decided.incoming();
    boolean withdrawal = isWithdrawal(in);
    List<Decision> decisions = decided.decisions();
    boolean disclosed = decisions.stream().anyMatch(d -> d instanceof Decision.Disclosed);
    if (!disclosed && !withdrawal) {
      return;
    }
    String caseKey = caseKey(in.sender(), in.caseReference());
    Optional<CaseDisclosures> known = index.caseOf(caseKey);
    if (known.isEmpty() && !disclosed) {
      return; // withdrawn before anyone received anything
    }
    CaseDisclosures entry =
        known
            .orElseGet(() -> CaseDisclosures.first(in.sender(), in.caseReference()))
            .withSubject(in.bsn().map(subjects::pseudonym).orElse(null));
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i) instanceof Decision.Disclosed d) {
        entry =
            entry.disclosed(
                d.key().recipient(),
                received(d, decided.decidedAt()),
                decided.disclosureIds().get(i));
      }
    }
    if (withdrawal) {
      entry = notifyRecipients(decided, caseKey, entry, NoticeReason.WITHDRAWN);
    }
    index.put(caseKey, entry);
  }

  /**
   * A recipient acknowledges a notice: only one it was sent counts; the acknowledgement is recorded
   * and passed on to the partner that withdrew, under that partner's own case reference.
   */
  public void acknowledge(IncomingEvent ack) {
    String noticeId = String.valueOf(ack.event().get("noticeId"));
    Optional<Map.Entry<String, CaseDisclosures>> found = index.caseOfNotice(noticeId);
    CaseDisclosures.Received received =
        found.map(c -> c.getValue().recipients().get(ack.sender())).orElse(null);
    if (received == null || received.notice() == null || !received.notice().id().equals(noticeId)) {
      throw new BadInputException(
          DeadLetterReason.UNKNOWN_NOTICE,
          "names no withdrawal notice that was sent to " + ack.sender(),
          ack);
    }
    Instant now = clock.instant();
    if (index.acknowledgement(noticeId).isEmpty()) {
      index.acknowledged(
          new DisclosureIndex.Acknowledgement(
              noticeId, ack.sender(), ack.eventId(), now.toEpochMilli()));
    }
    String caseKey = found.get().getKey();
    CaseDisclosures withdrawn = found.get().getValue();
    GenericData.Record passedOn = new GenericData.Record(ACKNOWLEDGEMENT_SCHEMA);
    passedOn.put("eventId", ack.eventId());
    passedOn.put("sender", ack.sender());
    passedOn.put("caseReference", withdrawn.caseReference());
    passedOn.put("purpose", received.purpose());
    passedOn.put("occurredAt", ack.occurredAt() == null ? null : ack.occurredAt().toEpochMilli());
    passedOn.put("noticeId", noticeId);
    String disclosureId = DisclosureIds.of(ack.source(), withdrawn.sender());
    TraceContext trace = TraceContext.from(ack.source());
    send(withdrawn.sender(), caseKey, passedOn, disclosureId, received, ACKNOWLEDGEMENT, trace);
    auditor.disclosedByHub(
        new Auditor.HubDisclosure(
            ack.source(),
            disclosureId,
            ack.sender(),
            withdrawn.sender(),
            ack.eventId(),
            ACKNOWLEDGEMENT,
            ack.caseReference(),
            received.purpose(),
            withdrawn.subject(),
            ack.occurredAt(),
            covenant(received),
            LEGAL_BASIS,
            ACKNOWLEDGEMENT_FIELDS,
            PASSED_ON,
            trace,
            now));
  }

  private CaseDisclosures notifyRecipients(
      DecidedEvent decided, String caseKey, CaseDisclosures entry, NoticeReason reason) {
    IncomingEvent in = decided.incoming();
    Instant at = decided.decidedAt();
    for (Map.Entry<String, CaseDisclosures.Received> recipient : entry.recipients().entrySet()) {
      CaseDisclosures.Received received = recipient.getValue();
      if (received.notice() != null && received.notice().reason().equals(reason.name())) {
        continue; // told already
      }
      String noticeId = DisclosureIds.of(in.source(), "notice/" + recipient.getKey());
      Instant acknowledgeBy = at.plus(acknowledgeWithin);
      GenericData.Record notice = new GenericData.Record(NOTICE_SCHEMA);
      notice.put("noticeId", noticeId);
      notice.put("sender", in.sender());
      notice.put("caseReference", received.caseReference());
      notice.put("disclosureIds", received.disclosureIds());
      notice.put(
          "reason",
          new GenericData.EnumSymbol(NOTICE_SCHEMA.getField("reason").schema(), reason.name()));
      notice.put("purpose", received.purpose());
      notice.put("occurredAt", at.toEpochMilli());
      notice.put("acknowledgeBy", acknowledgeBy.toEpochMilli());
      send(recipient.getKey(), caseKey, notice, noticeId, received, NOTICE, decided.trace());
      auditor.disclosedByHub(
          new Auditor.HubDisclosure(
              in.source(),
              noticeId,
              in.sender(),
              recipient.getKey(),
              in.eventId(),
              NOTICE,
              in.caseReference(),
              received.purpose(),
              entry.subject(),
              in.occurredAt(),
              covenant(received),
              LEGAL_BASIS,
              NOTICE_FIELDS,
              List.of(),
              decided.trace(),
              at));
      entry =
          entry.notified(
              recipient.getKey(),
              new CaseDisclosures.Notice(
                  noticeId, reason.name(), at.toEpochMilli(), acknowledgeBy.toEpochMilli()));
    }
    return entry;
  }

  /** An inbox record the hub made, with the headers of a view, in the current transaction. */
  private void send(
      String recipient,
      String key,
      GenericData.Record message,
      String disclosureId,
      CaseDisclosures.Received grounds,
      String eventType,
      TraceContext trace) {
    ViewCodec.Encoded encoded = codec.encode(message);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.inbox(recipient), key, encoded.value());
    Headers headers = record.headers();
    header(headers, "disclosure-id", disclosureId);
    header(headers, "covenant-id", grounds.covenantId());
    header(headers, "covenant-version", Integer.toString(grounds.covenantVersion()));
    header(headers, "covenant-hash", grounds.covenantHash());
    header(headers, "purpose", grounds.purpose());
    header(headers, "legal-basis", LEGAL_BASIS);
    header(headers, "event-type", eventType);
    header(headers, TraceContext.HEADER, trace.traceparent(TraceContext.spanId(disclosureId)));
    headers.add(InboxViews.SCHEMA_ID_HEADER, encoded.schemaId());
    kafka.send(record);
  }

  private String caseKey(String sender, String caseReference) {
    return caseKeys.pseudonym(sender + "/" + caseReference);
  }

  private static boolean isWithdrawal(IncomingEvent in) {
    return "CaseStatusChange".equals(in.eventType())
        && "WITHDRAWN".equals(String.valueOf(in.event().get("status")));
  }

  private static CaseDisclosures.Received received(Decision.Disclosed disclosed, Instant at) {
    FieldPlan plan = disclosed.plan();
    GenericData.Record view = disclosed.view();
    Object caseReference =
        view.getSchema().getField("caseReference") == null ? null : view.get("caseReference");
    return new CaseDisclosures.Received(
        plan.key().purpose(),
        plan.covenant().id(),
        plan.covenant().version(),
        plan.covenant().contentHash(),
        caseReference == null ? null : caseReference.toString(),
        List.of(),
        at.toEpochMilli(),
        plan.retention() == null ? null : plan.retention().toString(),
        null);
  }

  private static CovenantRef covenant(CaseDisclosures.Received received) {
    return new CovenantRef(
        received.covenantId(), received.covenantVersion(), received.covenantHash());
  }

  private static List<String> fieldNames(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList();
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
