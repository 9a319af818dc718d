package nl.covenanthub.console.audit;

import java.time.Instant;
import nl.covenanthub.audit.AuditDecision;

/**
 * What to look for in the audit, checked and typed (see {@link SearchForms} for reading it from a
 * form or a URL). A null filter does not filter. The time range is {@code from} inclusive, {@code
 * to} exclusive, on decidedAt.
 *
 * @param subjectPseudonym the data subject as the hub's keyed pseudonym, never a BSN
 * @param page from 0
 * @param size records per page
 */
public record DisclosureQuery(
    String subjectPseudonym,
    String caseReference,
    String sender,
    String recipient,
    String purpose,
    AuditDecision decision,
    Instant from,
    Instant to,
    int page,
    int size) {

  public static final int DEFAULT_SIZE = 50;

  public DisclosureQuery {
    if (page < 0) {
      throw new InvalidSearchException("page must be 0 or more");
    }
    if (size < 1) {
      throw new InvalidSearchException("size must be 1 or more");
    }
  }

  /** Every record, first page. */
  public static DisclosureQuery everything() {
    return new DisclosureQuery(null, null, null, null, null, null, null, null, 0, DEFAULT_SIZE);
  }

  /**
   * The same search about the subject with this pseudonym (e.g. every record of one person, for
   * Art. 15).
   */
  public DisclosureQuery withSubject(String pseudonym) {
    return new DisclosureQuery(
        pseudonym, caseReference, sender, recipient, purpose, decision, from, to, page, size);
  }

  /** The same search, another page. */
  public DisclosureQuery withPage(int page, int size) {
    return new DisclosureQuery(
        subjectPseudonym,
        caseReference,
        sender,
        recipient,
        purpose,
        decision,
        from,
        to,
        page,
        size);
  }
}
