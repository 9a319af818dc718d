package nl.covenanthub.hub.covenants;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.covenant.Party;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The covenant versions this hub enforces now: those of its covenant directory, replaced by what
 * the console publishes on {@code hub.covenants} (the topic wins for every covenant it holds).
 *
 * <p>A published version replaces the whole set at once, compiled with all the others, or not at
 * all: one that does not load, names a party this hub has no topics for, or is older than the one
 * in force is refused loudly (log, health, metric) and the previous set stays. The listener takes
 * {@link #current()} once per batch, so a switch falls between two transactions.
 */
public final class ActiveCovenants {
  public static final String VERSION_HEADER = "covenant-version";
  public static final String HASH_HEADER = "content-hash";
  public static final String EFFECTIVE_HEADER = "effective-from";
  public static final String REVOKED_HEADER = "revoked-by";

  private static final Logger log = LoggerFactory.getLogger(ActiveCovenants.class);

  /** Where the version in force came from: the directory or a position on the topic. */
  public record Source(String origin, Optional<Instant> effectiveFrom) {}

  /** A published version the hub did not take, and why (no partner data: covenant text only). */
  public record Refusal(String covenantId, String version, String why, long offset) {}

  private record State(CovenantSet set, Map<String, Source> sources) {}

  private final EventCatalog catalog;
  private final KeyRing keys;
  private final Clock clock;
  private final Set<String> partners;
  private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
  private volatile State state;
  private volatile long position;

  private ActiveCovenants(CovenantSet directory, EventCatalog catalog, KeyRing keys, Clock clock) {
    this.catalog = catalog;
    this.keys = keys;
    this.clock = clock;
    this.partners = Set.copyOf(directory.partners());
    Map<String, Source> sources = new LinkedHashMap<>();
    directory.loaded().forEach(c -> sources.put(c.id(), new Source(c.file(), Optional.empty())));
    this.state = new State(directory, sources);
  }

  /**
   * Starts from the covenants of the directory; their parties are the partners this hub has topics
   * and containers for, for as long as it runs.
   */
  public static ActiveCovenants startingFrom(
      CovenantSet directory, EventCatalog catalog, KeyRing keys, Clock clock) {
    return new ActiveCovenants(directory, catalog, keys, clock);
  }

  /** The set to decide a batch with: take it once per batch, not per event. */
  public CovenantSet current() {
    return state.set();
  }

  /** Where each covenant in force came from. */
  public Map<String, Source> sources() {
    return state.sources();
  }

  /** The last refusal per covenant id, until a later version of it is taken. */
  public Map<String, Refusal> refusals() {
    return Map.copyOf(refusals);
  }

  /** The partners whose outboxes and inboxes this hub serves: fixed while it runs. */
  public Set<String> partners() {
    return partners;
  }

  /** The next offset of {@code hub.covenants} to apply: all before it are applied or refused. */
  public long position() {
    return position;
  }

  /**
   * Applies one record of {@code hub.covenants}, in offset order. The position moves past it only
   * once its version is in force (or refused): whoever waits for the position ({@link
   * CovenantFeed#catchUp}) then sees that version.
   */
  public synchronized void apply(ConsumerRecord<String, byte[]> record) {
    try {
      take(record);
    } finally {
      position = Math.max(position, record.offset() + 1);
    }
  }

  /**
   * Everything of the topic before {@code offset} is applied: also the offsets that hold no record
   * (compacted away, or a transaction's marker), so that the position reaches the topic's end.
   */
  public synchronized void readTo(long offset) {
    position = Math.max(position, offset);
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    String id = record.key();
    if (id == null || id.isBlank()) {
      refuse(new Refusal("", "", "a record without a covenant id as its key", record.offset()));
      return;
    }
    State before = state;
    Map<String, LoadedCovenant> candidate = new LinkedHashMap<>();
    before.set().loaded().forEach(c -> candidate.put(c.id(), c));
    Map<String, Source> sources = new LinkedHashMap<>(before.sources());
    String origin = record.topic() + "@" + record.offset();
    String version = text(record.headers(), VERSION_HEADER).orElse("");
    Optional<Instant> effective;
    try {
      if (record.value() == null) {
        candidate.remove(id);
        sources.remove(id);
        effective = Optional.empty();
      } else {
        LoadedCovenant published = published(record, before);
        effective = text(record.headers(), EFFECTIVE_HEADER).map(Instant::parse);
        candidate.put(id, published);
        sources.put(id, new Source(origin, effective));
      }
      CovenantSet set =
          CovenantSet.compile(
              List.copyOf(candidate.values()), catalog, keys, clock, CovenantSet.Ended.INACTIVE);
      state = new State(set, sources);
    } catch (CovenantException e) {
      refuse(
          new Refusal(
              id,
              version,
              e.problems().stream().map(Object::toString).collect(Collectors.joining("; ")),
              record.offset()));
      return;
    } catch (RefusedVersion | DateTimeParseException e) {
      refuse(new Refusal(id, version, e.getMessage(), record.offset()));
      return;
    } catch (RuntimeException e) {
      refuse(
          new Refusal(id, version, "cannot compile: " + e.getClass().getName(), record.offset()));
      return;
    }
    refusals.remove(id);
    if (record.value() == null) {
      log.warn("Covenant {} retired ({}): its purposes are withheld from now on", id, origin);
    } else {
      LoadedCovenant now = candidate.get(id);
      log.info(
          "Covenant {} v{} ({}) in force from {}{}, effective {}",
          id,
          now.version(),
          now.contentHash(),
          origin,
          now.revokedBy().isEmpty() ? "" : ", revoked by " + now.revokedBy(),
          effective.map(Instant::toString).orElse("now"));
    }
  }

  /**
   * The published version, checked against its headers, the hub's partners and what is in force.
   */
  private LoadedCovenant published(ConsumerRecord<String, byte[]> record, State before)
      throws CovenantException, RefusedVersion {
    String id = record.key();
    LoadedCovenant loaded = CovenantLoader.load(record.topic() + "/" + id, record.value());
    if (!loaded.id().equals(id)) {
      throw new RefusedVersion(
          "the key '" + id + "' is not the covenant's id '" + loaded.id() + "'");
    }
    String version = Integer.toString(loaded.version());
    if (!text(record.headers(), VERSION_HEADER).orElse("").equals(version)) {
      throw new RefusedVersion(
          "header " + VERSION_HEADER + " does not name the text's version " + version);
    }
    if (!text(record.headers(), HASH_HEADER).orElse("").equals(loaded.contentHash())) {
      throw new RefusedVersion(
          "header " + HASH_HEADER + " is not the text's hash " + loaded.contentHash());
    }
    Set<String> newParties =
        loaded.parties().stream()
            .map(Party::id)
            .filter(p -> !partners.contains(p))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (!newParties.isEmpty()) {
      throw new RefusedVersion(
          "parties "
              + newParties
              + " have no topics on this hub: create their topics and ACLs, then restart it");
    }
    Set<String> revokedBy =
        text(record.headers(), REVOKED_HEADER).stream()
            .flatMap(v -> Arrays.stream(v.split(",")))
            .map(String::strip)
            .filter(p -> !p.isEmpty())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    for (String party : revokedBy) {
      if (!loaded.hasParty(party)) {
        throw new RefusedVersion("'" + party + "' revoked but is not a party");
      }
    }
    Optional<LoadedCovenant> inForce =
        before.set().loaded().stream().filter(c -> c.id().equals(id)).findFirst();
    boolean inForceIsPublished =
        Optional.ofNullable(before.sources().get(id))
            .map(s -> s.origin().startsWith(record.topic() + "@"))
            .orElse(false);
    if (inForce.isPresent() && inForceIsPublished) {
      int current = inForce.get().version();
      if (loaded.version() < current) {
        throw new RefusedVersion("v" + version + " is older than v" + current + " in force");
      }
      if (loaded.version() == current
          && !loaded.contentHash().equals(inForce.get().contentHash())) {
        throw new RefusedVersion(
            "v" + version + " in force has another text: a version is immutable");
      }
    }
    return loaded.revokedBy(revokedBy);
  }

  private void refuse(Refusal refusal) {
    refusals.put(refusal.covenantId(), refusal);
    log.error(
        "REFUSED covenant {} v{} at hub.covenants@{}: {}. The versions in force stay.",
        refusal.covenantId(),
        refusal.version(),
        refusal.offset(),
        refusal.why());
  }

  private static Optional<String> text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  /** A published version that is well-formed but may not replace the one in force. */
  private static final class RefusedVersion extends Exception {
    RefusedVersion(String message) {
      super(message, null, false, false);
    }
  }
}
