package nl.covenanthub.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The writer schemas partners registered with the hub, as the compacted topic {@value #TOPIC} holds
 * them, and a decoder per partner that reads the hub's own event schemas and that partner's writer
 * schemas, each resolved into the hub's schema of its event type. A partner's events decode with
 * its own registrations only: the sender is who authenticated, and one partner's schema changes
 * nothing for another.
 *
 * <p>A record of the topic is one registration: key {@code <partner>/<fingerprint>}, value the
 * schema's parsing canonical form (UTF-8 JSON), headers {@value #EVENT_TYPE_HEADER}, {@value
 * #PARTNER_HEADER} and {@value #TIME_HEADER}. Only the hub writes it; the hub and the console's
 * impact preview read it.
 *
 * <p>Thread-safe: registrations are taken while other threads decode.
 */
public final class WriterSchemas {
  public static final String TOPIC = "hub.writer-schemas";
  public static final String EVENT_TYPE_HEADER = "event-type";
  public static final String PARTNER_HEADER = "registered-by";
  public static final String TIME_HEADER = "registered-at";

  private static final Pattern KEY = Pattern.compile("([a-z0-9-]+)/([0-9a-f]{16})");

  /** A writer schema a partner registered: its parsing canonical form, as the hub keeps it. */
  public record Registration(
      String partner, String fingerprint, String eventType, Instant registeredAt, String schema) {

    /** The record of {@value #TOPIC} that holds this registration. */
    public ProducerRecord<String, byte[]> toRecord() {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              TOPIC, 0, partner + "/" + fingerprint, schema.getBytes(StandardCharsets.UTF_8));
      Headers headers = record.headers();
      headers.add(EVENT_TYPE_HEADER, eventType.getBytes(StandardCharsets.UTF_8));
      headers.add(PARTNER_HEADER, partner.getBytes(StandardCharsets.UTF_8));
      headers.add(TIME_HEADER, registeredAt.toString().getBytes(StandardCharsets.UTF_8));
      return record;
    }

    /** The registration a record of {@value #TOPIC} holds, if it is one as the hub writes them. */
    public static Optional<Registration> of(ConsumerRecord<String, byte[]> record) {
      Matcher key = KEY.matcher(record.key() == null ? "" : record.key());
      Optional<String> partner = text(record.headers(), PARTNER_HEADER);
      Optional<String> eventType = text(record.headers(), EVENT_TYPE_HEADER);
      Optional<String> at = text(record.headers(), TIME_HEADER);
      if (!key.matches()
          || record.value() == null
          || !partner.equals(Optional.of(key.group(1)))
          || eventType.isEmpty()
          || at.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(
            new Registration(
                key.group(1),
                key.group(2),
                eventType.get(),
                Instant.parse(at.get()),
                new String(record.value(), StandardCharsets.UTF_8)));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  /** What became of a record of {@value #TOPIC} when it was taken. */
  public enum Taken {
    /** The partner's events written with it decode from now on. */
    TAKEN,
    /** Not a registration as the hub writes them (key, headers or schema do not fit): ignored. */
    NOT_A_REGISTRATION,
    /** A registration whose schema no longer resolves into the hub's schema: ignored. */
    REFUSED
  }

  /** A registration that was not taken when it was read (the hub's schemas changed since). */
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
   * Takes the registration a record of {@value #TOPIC} holds: from now on the partner's events
   * written with its schema decode, if it is a registration whose schema still resolves into the
   * hub's schema of its event type.
   */
  public Taken take(ConsumerRecord<String, byte[]> record) {
    Optional<Registration> registration = Registration.of(record);
    if (registration.isEmpty()) {
      return Taken.NOT_A_REGISTRATION;
    }
    Registration r = registration.get();
    Schema writer;
    try {
      writer = new Schema.Parser().parse(r.schema());
    } catch (RuntimeException e) {
      return Taken.NOT_A_REGISTRATION;
    }
    if (!SingleObjectDecoder.fingerprint(writer).equals(r.fingerprint())
        || !writer.getFullName().equals(r.eventType())) {
      return Taken.NOT_A_REGISTRATION;
    }
    return take(r, writer).compatible() ? Taken.TAKEN : Taken.REFUSED;
  }

  private synchronized WriterCompatibility.Verdict take(Registration registration, Schema writer) {
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

  private static Optional<String> text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
