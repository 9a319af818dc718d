package nl.covenanthub.hub.disclosure;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.hub.intake.IncomingEvent;

/**
 * An accepted event with the covenant's decision for each recipient, the disclosure id of each
 * decision (same position), and the trace they share.
 *
 * @param caseKey the keyed pseudonym of sender and case reference: the inbox records' key and the
 *     disclosure index's case
 * @param subjectPseudonym the audit's pseudonym of the subject's BSN, or null without one
 */
public record DecidedEvent(
    IncomingEvent incoming,
    List<Decision> decisions,
    List<String> disclosureIds,
    TraceContext trace,
    Instant decidedAt,
    String caseKey,
    String subjectPseudonym) {
  public DecidedEvent {
    Objects.requireNonNull(incoming, "incoming");
    decisions = List.copyOf(decisions);
    disclosureIds = List.copyOf(disclosureIds);
    if (disclosureIds.size() != decisions.size()) {
      throw new IllegalArgumentException("one disclosure id per decision");
    }
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(caseKey, "caseKey");
  }
}
