package nl.covenanthub.console.report;

import java.time.Instant;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.audit.Disclosure;

/**
 * What the audit holds about one data subject, for an answer to a request under AVG art. 15 (right
 * of access): every disclosure about them to every recipient, and every event about them that was
 * not passed on. The subject is named by the hub's pseudonym only; the BSN the privacy officer
 * typed is not part of it.
 *
 * @param madeAt when the report was made: it holds what the audit index held then
 * @param disclosed the {@link AuditDecision#DISCLOSED DISCLOSED} decisions, newest first
 * @param notDisclosed the WITHHELD and REJECTED decisions (events about the subject that no one
 *     received), newest first
 */
public record SubjectReport(
    String subjectPseudonym,
    Instant madeAt,
    List<Disclosure> disclosed,
    List<Disclosure> notDisclosed) {

  public SubjectReport {
    disclosed = List.copyOf(disclosed);
    notDisclosed = List.copyOf(notDisclosed);
  }

  /** Who received something about the subject, in alphabetical order. */
  public List<String> recipients() {
    return disclosed.stream().map(Disclosure::recipient).distinct().sorted().toList();
  }

  /** Every record of the report, disclosed first, each part newest first. */
  public List<Disclosure> records() {
    return java.util.stream.Stream.concat(disclosed.stream(), notDisclosed.stream()).toList();
  }
}
