package nl.covenanthub.hub.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the hub disclosed of one case of one sender, per recipient: the disclosure index's entry.
 * Pseudonyms, ids and the sender's own case reference; never content. Immutable: a change is a new
 * entry with the next revision.
 *
 * @param revision counts the entry's changes, so an older copy never replaces a newer one
 * @param caseReference the sender's own reference, to name the case to the sender again
 * @param subject the audit's pseudonym of the data subject, when the events named one
 * @param recipients per recipient, what it received and whether it was told to erase it
 */
public record CaseDisclosures(
    long revision,
    String sender,
    String caseReference,
    String subject,
    Map<String, Received> recipients) {

  public CaseDisclosures {
    recipients = Map.copyOf(recipients);
  }

  static CaseDisclosures first(String sender, String caseReference) {
    return new CaseDisclosures(0, sender, caseReference, null, Map.of());
  }

  /**
   * What one recipient holds of the case.
   *
   * @param caseReference the case reference as its views carried it (null when they did not)
   * @param disclosureIds the disclosure-id headers of the inbox records it received
   * @param lastAt when the last of them was decided (epoch milliseconds)
   * @param retention the covenant's retention for it (ISO-8601 period), when the covenant sets one
   * @param notice the notice that told it to erase, once one did
   */
  public record Received(
      String purpose,
      String covenantId,
      int covenantVersion,
      String covenantHash,
      String caseReference,
      List<String> disclosureIds,
      long lastAt,
      String retention,
      Notice notice) {
    public Received {
      disclosureIds = List.copyOf(disclosureIds);
    }
  }

  /**
   * A withdrawal notice the recipient got.
   *
   * @param at when the hub decided it (epoch milliseconds)
   * @param acknowledgeBy when it becomes overdue without an acknowledgement
   */
  public record Notice(String id, String reason, long at, long acknowledgeBy) {}

  CaseDisclosures withSubject(String pseudonym) {
    return pseudonym == null || pseudonym.equals(subject)
        ? this
        : new CaseDisclosures(revision, sender, caseReference, pseudonym, recipients);
  }

  /** This entry with one more disclosure to {@code recipient}, under what it now rests on. */
  CaseDisclosures disclosed(String recipient, Received now, String disclosureId) {
    Received before = recipients.get(recipient);
    List<String> ids = new ArrayList<>(before == null ? List.of() : before.disclosureIds());
    ids.add(disclosureId);
    Received after =
        new Received(
            now.purpose(),
            now.covenantId(),
            now.covenantVersion(),
            now.covenantHash(),
            now.caseReference() != null || before == null
                ? now.caseReference()
                : before.caseReference(),
            ids,
            now.lastAt(),
            now.retention(),
            before == null ? null : before.notice());
    return with(recipient, after);
  }

  CaseDisclosures notified(String recipient, Notice notice) {
    Received r = recipients.get(recipient);
    return with(
        recipient,
        new Received(
            r.purpose(),
            r.covenantId(),
            r.covenantVersion(),
            r.covenantHash(),
            r.caseReference(),
            r.disclosureIds(),
            r.lastAt(),
            r.retention(),
            notice));
  }

  CaseDisclosures nextRevision() {
    return new CaseDisclosures(revision + 1, sender, caseReference, subject, recipients);
  }

  private CaseDisclosures with(String recipient, Received received) {
    Map<String, Received> changed = new LinkedHashMap<>(recipients);
    changed.put(recipient, received);
    return new CaseDisclosures(revision, sender, caseReference, subject, changed);
  }
}
