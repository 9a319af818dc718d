package nl.covenanthub.hub.lifecycle;

import java.util.List;

/**
 * The facts the disclosure index is made of. Each is written once under a key of its own and never
 * changed, so two hub instances never write one key and nothing is read, modified and written back.
 * Ids, pseudonyms, the sender's own case reference and times (epoch milliseconds); never content.
 */
public final class IndexFacts {
  private IndexFacts() {}

  /**
   * One inbox record: who received what of which case, and on what grounds.
   *
   * @param caseKey the inbox records' key of the case: a keyed pseudonym of sender and reference
   * @param caseReference the sender's own case reference
   * @param subject the audit's pseudonym of the data subject, when the event named one
   * @param viewCaseReference the case reference as the recipient's view carried it, or null
   * @param retainUntil when the covenant's retention for the recipient ends, or null when it sets
   *     none
   */
  public record Disclosure(
      String disclosureId,
      String caseKey,
      String sender,
      String caseReference,
      String subject,
      String recipient,
      String purpose,
      String covenantId,
      int covenantVersion,
      String covenantHash,
      String viewCaseReference,
      long at,
      Long retainUntil) {}

  /**
   * A recipient was told to erase what it received of a case.
   *
   * @param reason WITHDRAWN, ERASURE or RETENTION_ENDED
   * @param covenantId the covenant (and version) of the recipient's last disclosure of the case
   * @param disclosureIds the disclosures it names
   * @param acknowledgeBy when it becomes overdue without an acknowledgement
   */
  public record Notice(
      String noticeId,
      String caseKey,
      String sender,
      String caseReference,
      String subject,
      String recipient,
      String reason,
      String purpose,
      String covenantId,
      int covenantVersion,
      String covenantHash,
      List<String> disclosureIds,
      long at,
      long acknowledgeBy) {}

  /** A recipient confirmed the erasure a notice asked for. */
  public record Acknowledgement(String noticeId, String by, String eventId, long at) {}
}
