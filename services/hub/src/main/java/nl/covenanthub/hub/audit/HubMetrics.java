package nl.covenanthub.hub.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import nl.covenanthub.covenant.CovenantSet;
import org.springframework.stereotype.Component;

/**
 * The hub's metrics. Tags are partner ids, purpose ids, decisions and reasons only; a purpose or
 * partner no covenant knows is counted as "unknown", so payloads cannot add tag values.
 */
@Component
public class HubMetrics {
  private static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final Set<String> partners;
  private final Set<String> purposes;
  private final Timer latency;

  public HubMetrics(MeterRegistry registry, CovenantSet covenants) {
    this.registry = registry;
    this.partners = covenants.partners();
    this.purposes = covenants.purposes();
    this.latency = Timer.builder("hub.processing.latency")
        .description("From the outbox record's timestamp to the hub's decision")
        .publishPercentileHistogram()
        .register(registry);
  }

  public void decision(String sender, String recipient, String purpose, String decision) {
    Counter.builder("hub.disclosures")
        .description("Decisions per (sender, recipient, purpose): DISCLOSED, WITHHELD or REJECTED")
        .tag("sender", known(partners, sender))
        .tag("recipient", recipient == null || recipient.isEmpty() ? "none" : known(partners, recipient))
        .tag("purpose", known(purposes, purpose))
        .tag("decision", decision)
        .register(registry)
        .increment();
  }

  public void deadLetter(String reason) {
    Counter.builder("hub.deadletters").description("Outbox records refused, by reason").tag("reason", reason)
        .register(registry).increment();
  }

  public void latency(Duration sinceSent) {
    latency.record(sinceSent.isNegative() ? Duration.ZERO : sinceSent);
  }

  private static String known(Set<String> known, String value) {
    return value != null && known.contains(value) ? value : UNKNOWN;
  }
}
