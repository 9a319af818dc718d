package nl.covenanthub.hub.disclosure;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.hub.intake.IncomingEvent;

/** An accepted event with the covenant's decision for each recipient, and the trace they share. */
public record DecidedEvent(IncomingEvent incoming, List<Decision> decisions, TraceContext trace, Instant decidedAt) {
  public DecidedEvent {
    Objects.requireNonNull(incoming, "incoming");
    decisions = List.copyOf(decisions);
    Objects.requireNonNull(trace, "trace");
    Objects.requireNonNull(decidedAt, "decidedAt");
  }
}
