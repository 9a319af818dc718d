package nl.covenanthub.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.CovenantSet;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Which covenants are in force now, and why the others are not: a health indicator (always UP: a
 * covenant that ended is not a fault of the hub, and the others go on) and the gauge {@code
 * hub_covenant_active{covenant}} (1 in force, 0 not), for an alert before and after one ends.
 */
@Component("covenants")
class CovenantHealth implements HealthIndicator {
  private final CovenantSet covenants;
  private final Clock clock;

  CovenantHealth(CovenantSet covenants, Clock clock, MeterRegistry registry) {
    this.covenants = covenants;
    this.clock = clock;
    for (CovenantRef covenant : covenants.covenants()) {
      Gauge.builder("hub.covenant.active", this, h -> h.inForce(covenant) ? 1 : 0)
          .description("1 while the covenant is in force, 0 before it begins and after it ends")
          .tag("covenant", covenant.id())
          .register(registry);
    }
  }

  @Override
  public Health health() {
    Map<CovenantRef, String> inactive = covenants.notInForce(clock.instant());
    Map<String, Object> details = new LinkedHashMap<>();
    for (CovenantRef covenant : covenants.covenants()) {
      details.put(
          covenant.id() + " v" + covenant.version(),
          inactive.containsKey(covenant) ? "inactive: " + inactive.get(covenant) : "in force");
    }
    return Health.up().withDetails(details).build();
  }

  private boolean inForce(CovenantRef covenant) {
    return !covenants.notInForce(clock.instant()).containsKey(covenant);
  }
}
