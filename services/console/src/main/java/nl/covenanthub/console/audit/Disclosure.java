package nl.covenanthub.console.audit;

import java.time.Instant;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;

/**
 * One audit record as the console stores it: a decision of the hub to disclose an event to a
 * recipient, to withhold it, or to reject it. Every field of the hub's {@link AuditRecord}, so the
 * record and its hash can be rebuilt ({@link #toAuditRecord}), plus where it was read from {@code
 * hub.audit}.
 */
public record Disclosure(
    String chainId,
    long sequence,
    String traceId,
    String spanId,
    String senderSpanId,
    String disclosureId,
    AuditDecision decision,
    String reason,
    String detail,
    String eventId,
    String eventType,
    String caseReference,
    String sender,
    String recipient,
    String purpose,
    String legalBasis,
    String covenantId,
    Integer covenantVersion,
    String covenantHash,
    List<String> ruleIds,
    List<String> disclosedFields,
    List<String> transformedFields,
    List<String> withheldFields,
    String retention,
    String subjectPseudonym,
    Instant occurredAt,
    Instant decidedAt,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    String previousHash,
    String hash,
    int auditPartition,
    long auditOffset) {

  public Disclosure {
    ruleIds = List.copyOf(ruleIds);
    disclosedFields = List.copyOf(disclosedFields);
    transformedFields = List.copyOf(transformedFields);
    withheldFields = List.copyOf(withheldFields);
  }

  /** The hub's record, field for field as stored: its hash is recomputed from this. */
  public AuditRecord toAuditRecord() {
    return AuditRecord.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setSenderSpanId(senderSpanId)
        .setDisclosureId(disclosureId)
        .setDecision(decision)
        .setReason(reason)
        .setDetail(detail)
        .setEventId(eventId)
        .setEventType(eventType)
        .setCaseReference(caseReference)
        .setSender(sender)
        .setRecipient(recipient)
        .setPurpose(purpose)
        .setLegalBasis(legalBasis)
        .setCovenantId(covenantId)
        .setCovenantVersion(covenantVersion)
        .setCovenantHash(covenantHash)
        .setRuleIds(ruleIds)
        .setDisclosedFields(disclosedFields)
        .setTransformedFields(transformedFields)
        .setWithheldFields(withheldFields)
        .setRetention(retention)
        .setSubjectPseudonym(subjectPseudonym)
        .setOccurredAt(occurredAt)
        .setDecidedAt(decidedAt)
        .setSourceTopic(sourceTopic)
        .setSourcePartition(sourcePartition)
        .setSourceOffset(sourceOffset)
        .setChainId(chainId)
        .setSequence(sequence)
        .setPreviousHash(previousHash)
        .setHash(hash)
        .build();
  }
}
