package nl.covenanthub.hub.writerschemas;

import java.util.LinkedHashMap;
import java.util.Map;
import nl.covenanthub.events.WriterSchemas;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * How many writer schemas each partner registered, and which registrations the hub did not take
 * when it read them (its own schemas changed since: that partner's events written with them are
 * dead-lettered as UNKNOWN_SCHEMA). Always UP: a partner's schema is not a fault of the hub.
 */
// Shown in health as "writerSchemas" (the suffix is dropped).
@Component("writerSchemasHealthIndicator")
class WriterSchemaHealth implements HealthIndicator {
  private final WriterSchemas schemas;

  WriterSchemaHealth(WriterSchemas schemas) {
    this.schemas = schemas;
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("registered", schemas.counts());
    if (!schemas.refusals().isEmpty()) {
      details.put(
          "refused",
          schemas.refusals().stream()
              .map(
                  r ->
                      Map.of(
                          "partner", r.partner(),
                          "fingerprint", r.fingerprint(),
                          "why", r.outcome().name()))
              .toList());
    }
    return Health.up().withDetails(details).build();
  }
}
