package nl.covenanthub.hub.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import org.springframework.stereotype.Component;

/**
 * The hub's metrics. Tags are partner ids, purpose ids, decisions and reasons only; a purpose or
 * partner no covenant knows is counted as "unknown", so payloads cannot add tag values.
 *
 * <p>Decisions and dead letters are counted when their transaction commits ({@link #afterCommit}),
 * not when they are made: an aborted batch that is retried would otherwise be counted twice.
 */
@Component
public class HubMetrics {
  private static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Set<String> partners;
  private final ActiveCovenants covenants;
  private final Timer latency;
  // Tag values are few and known (see known()), so the cache stays small; it saves a registry
  // lookup per decision.
  private final Map<List<String>, Counter> decisions = new ConcurrentHashMap<>();

  /** The counts of this thread's open transaction. */
  private final ThreadLocal<List<Counter>> pending = ThreadLocal.withInitial(ArrayList::new);

  public HubMetrics(MeterRegistry registry, ActiveCovenants covenants) {
    this.registry = registry;
    this.covenants = covenants;
    this.partners = covenants.partners();
    this.latency =
        Timer.builder("hub.processing.latency")
            .description("From the outbox record's timestamp to the hub's decision")
            .publishPercentileHistogram()
            .register(registry);
  }

  public void decision(String sender, String recipient, String purpose, String decision) {
    List<String> tags =
        List.of(
            known(partners, sender),
            recipient == null || recipient.isEmpty() ? "none" : known(partners, recipient),
            known(covenants.current().purposes(), purpose),
            decision);
    Counter counter =
        decisions.computeIfAbsent(
            tags,
            t ->
                Counter.builder("hub.disclosures")
                    .description(
                        "Decisions per (sender, recipient, purpose): DISCLOSED, WITHHELD or REJECTED")
                    .tag("sender", t.get(0))
                    .tag("recipient", t.get(1))
                    .tag("purpose", t.get(2))
                    .tag("decision", t.get(3))
                    .register(registry));
    pending.get().add(counter);
  }

  public void deadLetter(String reason) {
    pending
        .get()
        .add(
            Counter.builder("hub.deadletters")
                .description("Outbox records refused, by reason")
                .tag("reason", reason)
                .register(registry));
  }

  /** This thread's transaction committed: what it decided counts. */
  public void afterCommit() {
    pending.get().forEach(Counter::increment);
    pending.get().clear();
  }

  /** This thread's transaction did not commit: its decisions will be made again, or never were. */
  public void afterRollback() {
    pending.get().clear();
  }

  public void latency(Duration sinceSent) {
    latency.record(sinceSent.isNegative() ? Duration.ZERO : sinceSent);
  }

  private static String known(Set<String> known, String value) {
    return value != null && known.contains(value) ? value : UNKNOWN;
  }
}
