package nl.covenanthub.hub.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import nl.covenanthub.hub.disclosure.DisclosureIds;
import nl.covenanthub.hub.disclosure.TraceContext;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.IncomingEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes one audit record per decision to {@code hub.audit}, hash-chained, in the same transaction
 * as the inbox records. Field names only; the data subject only as a keyed pseudonym.
 */
@Component
public class Auditor {
  private final KafkaTemplate<String, byte[]> kafka;
  private final AuditChain chain;
  private final Pseudonymiser pseudonymiser;
  private final HubMetrics metrics;
  private final String auditTopic;

  public Auditor(
      KafkaTemplate<String, byte[]> kafka,
      AuditChain chain,
      Pseudonymiser subjectPseudonymiser,
      HubMetrics metrics,
      HubProperties properties) {
    this.kafka = kafka;
    this.chain = chain;
    this.pseudonymiser = subjectPseudonymiser;
    this.metrics = metrics;
    this.auditTopic = properties.topics().audit();
  }

  public DecidedEvent audit(DecidedEvent decided) {
    IncomingEvent in = decided.incoming();
    String subject = decided.subjectPseudonym();
    List<Decision> decisions = decided.decisions();
    for (int i = 0; i < decisions.size(); i++) {
      Decision decision = decisions.get(i);
      String recipient = decision.key().recipient().isEmpty() ? null : decision.key().recipient();
      AuditRecord record =
          base(
              in.source(),
              decided.disclosureIds().get(i),
              in.sender(),
              recipient,
              decided.trace(),
              decided.decidedAt());
      record.setDecision(AuditDecision.valueOf(decision.outcome()));
      record.setEventId(in.eventId());
      record.setEventType(in.eventType());
      record.setCaseReference(in.caseReference());
      record.setPurpose(in.purpose());
      record.setSubjectPseudonym(subject);
      record.setOccurredAt(in.occurredAt());
      if (decision instanceof Decision.Disclosed disclosed) {
        describe(record, disclosed.plan());
      } else if (decision instanceof Decision.Withheld withheld) {
        // No field list: nothing of the event passed, and listing every field of it in every
        // withheld record would make those records the largest part of the audit.
        record.setReason(withheld.reason().name());
        record.setDetail(withheld.detail());
        withheld.covenant().ifPresent(c -> covenant(record, c));
      }
      write(record);
      metrics.decision(in.sender(), recipient, in.purpose(), decision.outcome());
    }
    metrics.latency(
        Duration.between(Instant.ofEpochMilli(in.source().timestamp()), decided.decidedAt()));
    return decided;
  }

  /**
   * A disclosure the hub makes itself, under an obligation rather than a rule (a withdrawal notice,
   * an acknowledgement passed on): audited like a view, with no rule id.
   */
  public record HubDisclosure(
      ConsumerRecord<String, byte[]> source,
      String disclosureId,
      String sender,
      String recipient,
      String eventId,
      String eventType,
      String caseReference,
      String purpose,
      String subjectPseudonym,
      Instant occurredAt,
      CovenantRef covenant,
      String legalBasis,
      List<String> disclosedFields,
      List<String> transformedFields,
      TraceContext trace,
      Instant decidedAt) {}

  public void disclosedByHub(HubDisclosure d) {
    AuditRecord record =
        base(d.source(), d.disclosureId(), d.sender(), d.recipient(), d.trace(), d.decidedAt());
    record.setDecision(AuditDecision.DISCLOSED);
    record.setEventId(d.eventId());
    record.setEventType(d.eventType());
    record.setCaseReference(d.caseReference());
    record.setPurpose(d.purpose());
    record.setSubjectPseudonym(d.subjectPseudonym());
    record.setOccurredAt(d.occurredAt());
    covenant(record, d.covenant());
    record.setLegalBasis(d.legalBasis());
    record.setDisclosedFields(d.disclosedFields());
    record.setTransformedFields(d.transformedFields());
    write(record);
    metrics.decision(d.sender(), d.recipient(), d.purpose(), AuditDecision.DISCLOSED.name());
  }

  /**
   * An event the hub took in and that passed nothing to anyone, although no rule withheld it (an
   * erasure request about a case nobody received): audited, so that no event goes without a trace.
   */
  public void withheldByHub(IncomingEvent in, String reason, String detail, Instant at) {
    withheldByHub(
        new HubWithholding(
            in.source(),
            DisclosureIds.of(in.source(), ""),
            in.sender(),
            in.eventId(),
            in.eventType(),
            in.caseReference(),
            in.purpose(),
            in.bsn().map(pseudonymiser::pseudonym).orElse(null),
            in.occurredAt(),
            reason,
            detail),
        at);
  }

  /** What the hub found and passed to nobody, with where it came from. */
  public record HubWithholding(
      ConsumerRecord<String, byte[]> source,
      String disclosureId,
      String sender,
      String eventId,
      String eventType,
      String caseReference,
      String purpose,
      String subjectPseudonym,
      Instant occurredAt,
      String reason,
      String detail) {}

  public void withheldByHub(HubWithholding w, Instant at) {
    AuditRecord record =
        base(w.source(), w.disclosureId(), w.sender(), null, TraceContext.from(w.source()), at);
    record.setDecision(AuditDecision.WITHHELD);
    record.setReason(w.reason());
    record.setDetail(w.detail());
    record.setEventId(w.eventId());
    record.setEventType(w.eventType());
    record.setCaseReference(w.caseReference());
    record.setPurpose(w.purpose());
    record.setSubjectPseudonym(w.subjectPseudonym());
    record.setOccurredAt(w.occurredAt());
    write(record);
    metrics.decision(w.sender(), null, w.purpose(), AuditDecision.WITHHELD.name());
  }

  /** The audit record of an outbox record the hub refused: who sent it, where it was, and why. */
  public void rejected(
      ConsumerRecord<String, byte[]> source, String sender, BadInputException why, Instant at) {
    AuditRecord record =
        base(source, DisclosureIds.of(source, ""), sender, null, TraceContext.from(source), at);
    record.setDecision(AuditDecision.REJECTED);
    record.setReason(why.reason().name());
    record.setDetail(why.detail());
    // What decoded, so that a case search and the data subject's Art. 15 report find the refusal.
    why.decoded()
        .ifPresent(
            in -> {
              record.setEventId(in.eventId());
              record.setEventType(in.eventType());
              record.setCaseReference(in.caseReference());
              record.setSubjectPseudonym(in.bsn().map(pseudonymiser::pseudonym).orElse(null));
              record.setOccurredAt(in.occurredAt());
            });
    write(record);
    metrics.decision(sender, null, null, AuditDecision.REJECTED.name());
  }

  /**
   * A record with the fields every decision has; the optional ones stay null. Made with the
   * constructor, not the builder: the builder deep-copies the default of every field it fills in,
   * for each of the records an event gets.
   */
  private static AuditRecord base(
      ConsumerRecord<String, byte[]> source,
      String disclosureId,
      String sender,
      String recipient,
      TraceContext trace,
      Instant decidedAt) {
    AuditRecord record = new AuditRecord();
    record.setTraceId(trace.traceId());
    record.setSpanId(TraceContext.spanId(disclosureId));
    record.setSenderSpanId(trace.senderSpanId());
    record.setDisclosureId(disclosureId);
    record.setSender(sender);
    record.setRecipient(recipient);
    record.setDecidedAt(decidedAt);
    record.setSourceTopic(source.topic());
    record.setSourcePartition(source.partition());
    record.setSourceOffset(source.offset());
    record.setChainId(source.topic() + "-" + source.partition());
    record.setRuleIds(List.of());
    record.setDisclosedFields(List.of());
    record.setTransformedFields(List.of());
    record.setWithheldFields(List.of());
    record.setSequence(0L);
    record.setPreviousHash("");
    record.setHash("");
    return record;
  }

  private static void describe(AuditRecord record, FieldPlan plan) {
    covenant(record, plan.covenant());
    record.setLegalBasis(plan.legalBasis());
    record.setRuleIds(plan.ruleIds());
    record.setDisclosedFields(plan.disclosedFields());
    record.setTransformedFields(plan.transformedFields());
    record.setWithheldFields(plan.withheldFields());
    record.setRetention(Optional.ofNullable(plan.retention()).map(Object::toString).orElse(null));
  }

  private static void covenant(AuditRecord record, CovenantRef covenant) {
    record.setCovenantId(covenant.id());
    record.setCovenantVersion(covenant.version());
    record.setCovenantHash(covenant.contentHash());
  }

  private void write(AuditRecord record) {
    kafka.send(auditTopic, record.getChainId(), chain.seal(record));
  }
}
