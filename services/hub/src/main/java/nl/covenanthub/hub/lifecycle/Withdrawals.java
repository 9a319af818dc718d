package nl.covenanthub.hub.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.events.NoticeReason;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import nl.covenanthub.events.WithdrawalNotice;
import nl.covenanthub.hub.audit.Auditor;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import nl.covenanthub.hub.disclosure.DisclosureIds;
import nl.covenanthub.hub.disclosure.TraceContext;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.DeadLetterReason;
import nl.covenanthub.hub.intake.IncomingEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  static final String ERASURE_REQUEST = "ErasureRequest";
  private static final Schema NOTICE_SCHEMA = WithdrawalNotice.getClassSchema();
  private static final Schema ACKNOWLEDGEMENT_SCHEMA = WithdrawalAcknowledgement.getClassSchema();
  private static final List<String> NOTICE_FIELDS = fieldNames(NOTICE_SCHEMA);
  private static final List<String> PASSED_ON = List.of("caseReference");
  private static final List<String> ACKNOWLEDGEMENT_FIELDS =
      fieldNames(ACKNOWLEDGEMENT_SCHEMA).stream().filter(f -> !PASSED_ON.contains(f)).toList();

  private final DisclosureIndex index;
  private final Pseudonymiser caseKeys;
  private final Pseudonymiser subjects;
  private final HubMessages messages;
  private final Auditor auditor;
  private final Clock clock;
  private final Duration acknowledgeWithin;

  public Withdrawals(
      DisclosureIndex index,
      Pseudonymiser recordKeyPseudonymiser,
      Pseudonymiser subjectPseudonymiser,
      HubMessages messages,
      Auditor auditor,
      Clock clock,
      LifecycleProperties properties) {
    this.index = index;
    this.caseKeys = recordKeyPseudonymiser;
    this.subjects = subjectPseudonymiser;
    this.messages = messages;
    this.auditor = auditor;
    this.clock = clock;
    this.acknowledgeWithin = properties.acknowledgeWithin();
  }

  public static boolean isAcknowledgement(IncomingEvent event) {
    return ACKNOWLEDGEMENT.equals(event.eventType());
  }

  public static boolean isErasureRequest(IncomingEvent event) {
    return ERASURE_REQUEST.equals(event.eventType());
  }

  /**
   * After an event was decided, delivered and audited: the index learns what it disclosed, and a
   * withdrawal reaches everyone that received anything of the case.
   */
  public void afterDecisions(DecidedEvent decided) {
    IncomingEvent in = decided.incoming();
    List<Decision> decisions = decided.decisions();
    String caseKey = decided.caseKey();
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i) instanceof Decision.Disclosed d) {
        index.record(
            disclosure(
                in,
                caseKey,
                decided.subjectPseudonym(),
                d,
                decided.disclosureIds().get(i),
                decided.decidedAt()));
      }
    }
    if (isWithdrawal(in)) {
      notifyRecipients(
          new Cause(in.source(), in.eventId(), in.occurredAt(), decided.trace()),
          caseKey,
          NoticeReason.WITHDRAWN,
          notNamedYet(caseKey, NoticeReason.WITHDRAWN),
          decided.decidedAt());
    }
  }

  /**
   * A sender asks erasure of a case, or of all its cases about a subject: every partner that
   * received anything of them is told. A request that reaches nobody is audited as withheld.
   */
  public void erase(IncomingEvent request) {
    Instant at = clock.instant();
    Set<String> cases = new LinkedHashSet<>();
    cases.add(caseKey(request.sender(), request.caseReference()));
    boolean wholeSubject = "SUBJECT".equals(String.valueOf(request.event().get("scope")));
    if (wholeSubject && request.bsn().isPresent()) {
      cases.addAll(index.casesOf(request.sender(), subjects.pseudonym(request.bsn().get())));
    }
    Cause cause =
        new Cause(
            request.source(),
            request.eventId(),
            request.occurredAt(),
            TraceContext.from(request.source()));
    int told = 0;
    for (String caseKey : cases) {
      told +=
          notifyRecipients(
              cause, caseKey, NoticeReason.ERASURE, notNamedYet(caseKey, NoticeReason.ERASURE), at);
    }
    if (told == 0) {
      auditor.withheldByHub(
          request,
          "NOTHING_DISCLOSED",
          "no partner received anything of the case"
              + (wholeSubject ? "s of the subject" : "")
              + " that is not told already",
          at);
    }
  }

  /**
   * A recipient acknowledges a notice: only one it was sent counts; the acknowledgement is recorded
   * and passed on to the partner that withdrew, under that partner's own case reference.
   */
  public void acknowledge(IncomingEvent ack) {
    String noticeId = String.valueOf(ack.event().get("noticeId"));
    IndexFacts.Notice notice =
        index
            .notice(noticeId)
            .filter(n -> n.recipient().equals(ack.sender()))
            .orElseThrow(
                () ->
                    new BadInputException(
                        DeadLetterReason.UNKNOWN_NOTICE,
                        "names no withdrawal notice that was sent to " + ack.sender(),
                        ack));
    Instant now = clock.instant();
    if (index.acknowledgement(noticeId).isEmpty()) {
      index.record(
          new IndexFacts.Acknowledgement(
              noticeId, ack.sender(), ack.eventId(), now.toEpochMilli()));
      // The recipient erased what the notice named: nothing later is about it any more.
      index.forget(notice.disclosureIds());
    }
    GenericData.Record passedOn = new GenericData.Record(ACKNOWLEDGEMENT_SCHEMA);
    passedOn.put("eventId", ack.eventId());
    passedOn.put("sender", ack.sender());
    passedOn.put("caseReference", notice.caseReference());
    passedOn.put("purpose", notice.purpose());
    passedOn.put("occurredAt", ack.occurredAt() == null ? null : ack.occurredAt().toEpochMilli());
    passedOn.put("noticeId", noticeId);
    String disclosureId = DisclosureIds.of(ack.source(), notice.sender());
    TraceContext trace = TraceContext.from(ack.source());
    CovenantRef covenant =
        new CovenantRef(notice.covenantId(), notice.covenantVersion(), notice.covenantHash());
    messages.send(
        notice.sender(),
        notice.caseKey(),
        passedOn,
        disclosureId,
        covenant,
        notice.purpose(),
        LEGAL_BASIS,
        ACKNOWLEDGEMENT,
        trace);
    auditor.disclosedByHub(
        new Auditor.HubDisclosure(
            ack.source(),
            disclosureId,
            ack.sender(),
            notice.sender(),
            ack.eventId(),
            ACKNOWLEDGEMENT,
            ack.caseReference(),
            notice.purpose(),
            notice.subject(),
            ack.occurredAt(),
            covenant,
            LEGAL_BASIS,
            ACKNOWLEDGEMENT_FIELDS,
            PASSED_ON,
            trace,
            now));
  }

  /**
   * The retention of these disclosures of one case ended: each recipient is told which of them it
   * must erase, unless a notice named them already (a withdrawal, or an earlier sweep).
   */
  public void retentionEnded(
      ConsumerRecord<String, byte[]> trigger, String caseKey, Set<String> disclosureIds) {
    Map<String, Set<String>> named = new HashMap<>();
    notifyRecipients(
        new Cause(trigger, null, null, TraceContext.from(trigger)),
        caseKey,
        NoticeReason.RETENTION_ENDED,
        d ->
            disclosureIds.contains(d.disclosureId())
                && !named
                    .computeIfAbsent(d.recipient(), r -> index.named(caseKey, r))
                    .contains(d.disclosureId()),
        clock.instant());
  }

  /**
   * The disclosures of the case that no notice for {@code reason} named yet: a recipient told once
   * is not told again, but is told of what it received since.
   */
  private Predicate<IndexFacts.Disclosure> notNamedYet(String caseKey, NoticeReason reason) {
    Map<String, Set<String>> named = new HashMap<>();
    return d ->
        !named
            .computeIfAbsent(d.recipient(), r -> index.named(caseKey, r, reason.name()))
            .contains(d.disclosureId());
  }

  /** What a notice follows from: the record (and its event, if any) that made the hub send it. */
  private record Cause(
      ConsumerRecord<String, byte[]> source,
      String eventId,
      Instant occurredAt,
      TraceContext trace) {}

  /**
   * Tells every partner that received a disclosure of the case that {@code include} takes, naming
   * those disclosures and what it holds; returns how many partners were told.
   */
  private int notifyRecipients(
      Cause cause,
      String caseKey,
      NoticeReason reason,
      Predicate<IndexFacts.Disclosure> include,
      Instant at) {
    Map<String, List<IndexFacts.Disclosure>> byRecipient = new LinkedHashMap<>();
    for (IndexFacts.Disclosure d : index.disclosuresOf(caseKey)) {
      if (include.test(d)) {
        byRecipient.computeIfAbsent(d.recipient(), r -> new ArrayList<>()).add(d);
      }
    }
    for (Map.Entry<String, List<IndexFacts.Disclosure>> held : byRecipient.entrySet()) {
      String recipient = held.getKey();
      List<IndexFacts.Disclosure> received = held.getValue();
      List<String> ids = received.stream().map(IndexFacts.Disclosure::disclosureId).toList();
      IndexFacts.Disclosure last = received.get(received.size() - 1);
      String noticeId = DisclosureIds.of(cause.source(), "notice/" + caseKey + "/" + recipient);
      Instant acknowledgeBy = at.plus(acknowledgeWithin);
      GenericData.Record notice = new GenericData.Record(NOTICE_SCHEMA);
      notice.put("noticeId", noticeId);
      notice.put("sender", last.sender());
      notice.put(
          "caseReference",
          received.stream()
              .map(IndexFacts.Disclosure::viewCaseReference)
              .filter(Objects::nonNull)
              .reduce((first, second) -> second)
              .orElse(null));
      notice.put("disclosureIds", ids);
      notice.put(
          "reason",
          new GenericData.EnumSymbol(NOTICE_SCHEMA.getField("reason").schema(), reason.name()));
      notice.put("purpose", last.purpose());
      notice.put("occurredAt", at.toEpochMilli());
      notice.put("acknowledgeBy", acknowledgeBy.toEpochMilli());
      CovenantRef covenant =
          new CovenantRef(last.covenantId(), last.covenantVersion(), last.covenantHash());
      messages.send(
          recipient,
          caseKey,
          notice,
          noticeId,
          covenant,
          last.purpose(),
          LEGAL_BASIS,
          NOTICE,
          cause.trace());
      auditor.disclosedByHub(
          new Auditor.HubDisclosure(
              cause.source(),
              noticeId,
              last.sender(),
              recipient,
              cause.eventId(),
              NOTICE,
              last.caseReference(),
              last.purpose(),
              last.subject(),
              cause.occurredAt(),
              covenant,
              LEGAL_BASIS,
              NOTICE_FIELDS,
              List.of(),
              cause.trace(),
              at));
      index.record(
          new IndexFacts.Notice(
              noticeId,
              caseKey,
              last.sender(),
              last.caseReference(),
              last.subject(),
              recipient,
              reason.name(),
              last.purpose(),
              covenant.id(),
              covenant.version(),
              covenant.contentHash(),
              ids,
              at.toEpochMilli(),
              acknowledgeBy.toEpochMilli()));
    }
    return byRecipient.size();
  }

  private String caseKey(String sender, String caseReference) {
    return caseKeys.pseudonym(sender + "/" + caseReference);
  }

  private static boolean isWithdrawal(IncomingEvent in) {
    return "CaseStatusChange".equals(in.eventType())
        && "WITHDRAWN".equals(String.valueOf(in.event().get("status")));
  }

  private static IndexFacts.Disclosure disclosure(
      IncomingEvent in,
      String caseKey,
      String subject,
      Decision.Disclosed disclosed,
      String id,
      Instant at) {
    FieldPlan plan = disclosed.plan();
    GenericData.Record view = disclosed.view();
    Object viewCaseReference =
        view.getSchema().getField("caseReference") == null ? null : view.get("caseReference");
    // The plan's strings, one instance for all the index's facts (DisclosureIndex keeps every one).
    return new IndexFacts.Disclosure(
        id,
        caseKey,
        plan.key().sender(),
        in.caseReference(),
        subject,
        plan.key().recipient(),
        plan.key().purpose(),
        plan.covenant().id(),
        plan.covenant().version(),
        plan.covenant().contentHash(),
        viewCaseReference == null
            ? null
            : DisclosureIndex.sameAs(in.caseReference(), viewCaseReference.toString()),
        at.toEpochMilli(),
        plan.retainUntil(at).map(Instant::toEpochMilli).orElse(null));
  }

  private static List<String> fieldNames(Schema schema) {
    return schema.getFields().stream().map(Schema.Field::name).toList();
  }
}
