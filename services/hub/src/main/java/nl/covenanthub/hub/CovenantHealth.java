package nl.covenanthub.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Which covenant versions are in force now (version, hash, where from, who revoked), why the others
 * are not, and which published versions were refused: a health indicator (always UP: a covenant
 * that ended, or a refused version, is not a fault of the hub, and the versions in force go on),
 * the gauge {@code hub_covenant_active{covenant}} (1 in force, 0 not) and {@code
 * hub_covenant_refused} (covenants whose latest published version the hub refused), for alerts.
 */
@Component("covenants")
class CovenantHealth implements HealthIndicator {
  private final ActiveCovenants covenants;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();

  CovenantHealth(ActiveCovenants covenants, Clock clock, MeterRegistry registry) {
    this.covenants = covenants;
    this.clock = clock;
    this.registry = registry;
    Gauge.builder("hub.covenant.refused", covenants, c -> c.refusals().size())
        .description("Covenants whose latest published version the hub refused (see health)")
        .register(registry);
    gaugeEach();
  }

  /** A gauge per covenant id, including ids published after start-up. */
  private void gaugeEach() {
    for (CovenantRef covenant : covenants.current().covenants()) {
      if (gauged.add(covenant.id())) {
        Gauge.builder("hub.covenant.active", this, h -> h.inForce(covenant.id()) ? 1 : 0)
            .description("1 while the covenant is in force, 0 before it begins and after it ends")
            .tag("covenant", covenant.id())
            .register(registry);
        // Seconds since the epoch, as Prometheus's time() counts: an alert compares the two.
        Gauge.builder("hub.covenant.ends", this, h -> h.endsAt(covenant.id()))
            .description(
                "When the current version of the covenant stops being in force (the start of the"
                    + " day after its last, Dutch time), in seconds since the epoch")
            .baseUnit("seconds")
            .tag("covenant", covenant.id())
            .register(registry);
      }
    }
  }

  @Override
  public Health health() {
    gaugeEach();
    Map<CovenantRef, String> inactive = covenants.current().notInForce(clock.instant());
    Map<String, ActiveCovenants.Source> sources = covenants.sources();
    Map<String, Object> details = new LinkedHashMap<>();
    for (LoadedCovenant loaded : covenants.current().loaded()) {
      CovenantRef ref = loaded.ref();
      Map<String, Object> covenant = new LinkedHashMap<>();
      covenant.put("version", ref.version());
      covenant.put("hash", ref.contentHash());
      covenant.put(
          "state", inactive.containsKey(ref) ? "inactive: " + inactive.get(ref) : "in force");
      ActiveCovenants.Source source = sources.get(ref.id());
      if (source != null) {
        covenant.put("from", source.origin());
        source.effectiveFrom().ifPresent(at -> covenant.put("effectiveFrom", at.toString()));
      }
      if (!loaded.revokedBy().isEmpty()) {
        covenant.put("revokedBy", loaded.revokedBy().stream().sorted().toList());
      }
      details.put(ref.id(), covenant);
    }
    if (!covenants.refusals().isEmpty()) {
      Map<String, Object> refused = new LinkedHashMap<>();
      covenants
          .refusals()
          .forEach(
              (id, r) ->
                  refused.put(
                      id.isEmpty() ? "(no id)" : id,
                      Map.of("version", r.version(), "offset", r.offset(), "why", r.why())));
      details.put("refused", refused);
    }
    return Health.up().withDetails(details).build();
  }

  /** The end of the version in use (the newest loaded), or NaN when none is loaded any more. */
  private double endsAt(String id) {
    return covenants.current().loaded().stream()
        .filter(c -> c.id().equals(id))
        .max(java.util.Comparator.comparingInt(LoadedCovenant::version))
        .map(c -> (double) c.endsAt().getEpochSecond())
        .orElse(Double.NaN);
  }

  private boolean inForce(String id) {
    return covenants.current().covenants().stream()
        .filter(c -> c.id().equals(id))
        .anyMatch(c -> !covenants.current().notInForce(clock.instant()).containsKey(c));
  }
}
