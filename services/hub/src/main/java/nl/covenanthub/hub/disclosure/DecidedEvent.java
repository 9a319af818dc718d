package nl.covenanthub.hub.disclosure;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.hub.intake.IncomingEvent;

/**
 * An accepted event with the covenant's decision for each recipient, the disclosure id of each
 * decision (same position), and the trace they share.
 */
public record DecidedEvent(
    IncomingEvent incoming,
    List<Decision> decisions,
    List<String> disclosureIds,
    TraceContext trace,
    Instant decidedAt) {
  public DecidedEvent {
    Objects.requireNonNull(incoming, "incoming");
    decisions = List.copyOf(decisions);
    disclosureIds = List.copyOf(disclosureIds);
    if (disclosureIds.size() != decisions.size()) {
      throw new IllegalArgumentException("one disclosure id per decision");
    }
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }
}
