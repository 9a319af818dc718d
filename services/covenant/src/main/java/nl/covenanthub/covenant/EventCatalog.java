package nl.covenanthub.covenant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.events.CaseReference;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatusChange;
import org.apache.avro.Schema;

/**
 * The event types partners exchange, by name: what covenant rules are checked and compiled against.
 */
public final class EventCatalog {
  private final Map<String, EventSchema> byType = new LinkedHashMap<>();

  public EventCatalog(List<Schema> schemas) {
    for (Schema schema : schemas) {
      EventSchema event = new EventSchema(schema);
      byType.put(event.eventType(), event);
    }
  }

  /** The event types in {@code schemas/}. */
  public static EventCatalog standard() {
    return new EventCatalog(
        List.of(
            CaseSignal.getClassSchema(),
            CaseStatusChange.getClassSchema(),
            CaseReference.getClassSchema()));
  }

  public Optional<EventSchema> eventType(String name) {
    return Optional.ofNullable(byType.get(name));
  }

  public Set<String> eventTypes() {
    return byType.keySet();
  }

  /** The Avro schema of every event type: what a decoder of partners' records knows. */
  public List<Schema> avroSchemas() {
    return byType.values().stream().map(EventSchema::avro).toList();
  }
}
