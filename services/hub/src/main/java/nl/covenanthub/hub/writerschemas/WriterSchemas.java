package nl.covenanthub.hub.writerschemas;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.WriterCompatibility;
import org.apache.avro.Schema;

/**
 * The writer schemas partners registered, and a decoder per partner that reads the hub's own event
 * schemas and that partner's writer schemas, each resolved into the hub's schema of its event type.
 * A partner's events decode with its own registrations only: the sender is who authenticated, and
 * one partner's schema changes nothing for another.
 *
 * <p>Thread-safe: registrations are taken while listener threads decode.
 */
public final class WriterSchemas {
  /** A writer schema a partner registered: its parsing canonical form, as the hub keeps it. */
  public record Registration(
      String partner, String fingerprint, String eventType, Instant registeredAt, String schema) {}

  /** A registration the hub did not take when it read it (its reader schemas changed since). */
  public record Refusal(String partner, String fingerprint, WriterCompatibility.Outcome outcome) {}

  private final Collection<Schema> readers;
  private final SingleObjectDecoder hubSchemasOnly;
  private final Map<String, SingleObjectDecoder> decoders = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Registration>> registrations = new ConcurrentHashMap<>();
  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

  /**
   * @param readers the hub's schema of every event type
   */
  public WriterSchemas(Collection<Schema> readers) {
    this.readers = List.copyOf(readers);
    this.hubSchemasOnly = new SingleObjectDecoder(readers);
  }

  /** The hub's event types, by the full names a writer schema must have. */
  public List<String> eventTypes() {
    return readers.stream().map(Schema::getFullName).toList();
  }

  /** What decodes {@code partner}'s events: the hub's schemas and the partner's registrations. */
  public SingleObjectDecoder decoderOf(String partner) {
    return decoders.getOrDefault(partner, hubSchemasOnly);
  }

  /** Whether events written with {@code writer} can be read as the hub's event type of its name. */
  public WriterCompatibility.Verdict check(Schema writer) {
    return hubSchemasOnly.check(writer);
  }

  /**
   * Takes a registration: from now on the partner's events written with its schema decode, if it
   * still resolves into the hub's schema of its event type.
   */
  public synchronized WriterCompatibility.Verdict take(Registration registration, Schema writer) {
    String partner = registration.partner();
    WriterCompatibility.Verdict verdict =
        decoders.computeIfAbsent(partner, p -> new SingleObjectDecoder(readers)).addWriter(writer);
    String key = partner + "/" + registration.fingerprint();
    if (verdict.compatible()) {
      registrations
          .computeIfAbsent(partner, p -> new ConcurrentHashMap<>())
          .putIfAbsent(registration.fingerprint(), registration);
      refusals.remove(key);
    } else {
      refusals.put(key, new Refusal(partner, registration.fingerprint(), verdict.outcome()));
    }
    return verdict;
  }

  /** The registration of this schema by this partner, if it has one. */
  public Optional<Registration> registered(String partner, String fingerprint) {
    return Optional.ofNullable(registrations.getOrDefault(partner, Map.of()).get(fingerprint));
  }

  /** What {@code partner} registered, oldest first. */
  public List<Registration> of(String partner) {
    return registrations.getOrDefault(partner, Map.of()).values().stream()
        .sorted(Comparator.comparing(Registration::registeredAt))
        .toList();
  }

  /** How many schemas each partner registered. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    registrations.forEach((partner, schemas) -> counts.put(partner, schemas.size()));
    return counts;
  }

  /** Registrations read but not taken, until the same one is taken. */
  public Collection<Refusal> refusals() {
    return List.copyOf(refusals.values());
  }
}
