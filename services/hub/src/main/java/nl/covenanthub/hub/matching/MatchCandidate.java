package nl.covenanthub.hub.matching;

/**
 * What the matching learns from one event: a partner opened (or still holds) a case about a data
 * subject under a purpose that allows matching, closed one, or asks about one. Written by the hub
 * in the transaction of the event's decisions, read back in order by the matchmaker.
 *
 * @param subject the hub's matching pseudonym of the data subject (a key of its own)
 * @param auditSubject the audit's pseudonym of the data subject, for the audit records
 * @param caseKey the inbox records' key of the partner's case
 * @param at when the hub decided the event (epoch milliseconds): the matchmaker's clock
 * @param keepUntil until when the case counts for matching (covenant's {@code keepFor})
 */
public record MatchCandidate(
    Kind kind,
    String purpose,
    String subject,
    String auditSubject,
    String partner,
    String caseKey,
    String caseReference,
    String contactName,
    String contactOrganisation,
    String contactPhone,
    String contactEmail,
    String eventId,
    long at,
    long keepUntil,
    String covenantId,
    int covenantVersion,
    String covenantHash,
    String legalBasis) {

  public enum Kind {
    /** The partner holds an open case about the subject. */
    OPEN,
    /** The partner's case closed or was withdrawn. */
    CLOSE,
    /** The partner asks whether others hold cases about the subject. */
    QUERY
  }

  /** Open cases are kept per subject and purpose. */
  String bookKey() {
    return purpose + "/" + subject;
  }

  String caseId() {
    return partner + "/" + caseKey;
  }
}
