package nl.covenanthub.console.covenants;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.console.covenants.VersionLifecycle.Action;
import nl.covenanthub.console.covenants.VersionLifecycle.Event;
import org.erdtman.jcs.JsonCanonicalizer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The covenant versions and their trail in the console's database. Versions are written once;
 * events are appended to one hash chain: each event's hash is SHA-256 of the RFC 8785 canonical
 * JSON of its fields and the hash before it, so a changed, removed or inserted event shows in
 * {@link #verifyTrail}.
 */
@Component
public class CovenantStore {
  static final String GENESIS = "0".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcClient db;
  private final TransactionTemplate transaction;

  public CovenantStore(JdbcClient db, TransactionTemplate transaction) {
    this.db = db;
    this.transaction = transaction;
  }

  /** A version as stored, with its trail. */
  public record StoredVersion(
      long versionId,
      String covenantId,
      int version,
      String contentHash,
      String yaml,
      String fileName,
      Optional<Instant> effectiveFrom,
      Set<String> requiredParties,
      List<TrailEvent> events) {
    public List<Event> lifecycleEvents() {
      return events.stream().map(TrailEvent::event).toList();
    }
  }

  /** One event of the trail, where it stands in the chain. */
  public record TrailEvent(
      long seq, long versionId, Event event, String previousHash, String hash) {}

  /**
   * The trail's head as it was published with a covenant version on {@code hub.covenants}: outside
   * this database, so a rewrite of the trail up to it shows, however well re-hashed.
   */
  public record TrailAnchor(long seq, String hash) {}

  /**
   * Where the trail's chain holds, or the first event where it does not.
   *
   * @param anchoredUpTo the last event a published anchor vouches for (0: none)
   * @param anchorsUnread why the anchors were not compared, or null when they were
   */
  public record TrailCheck(
      long events, Optional<Long> brokenAt, long anchoredUpTo, String anchorsUnread) {
    public boolean intact() {
      return brokenAt.isEmpty();
    }
  }

  /** Stores a new version with its proposal, in one transaction. */
  public long propose(
      String covenantId,
      int version,
      String contentHash,
      String yaml,
      String fileName,
      Optional<Instant> effectiveFrom,
      Set<String> requiredParties,
      Event proposal) {
    Long id =
        transaction.execute(
            status -> {
              long versionId =
                  db.sql(
                          "INSERT INTO covenant_version (covenant_id, version, content_hash, yaml,"
                              + " file_name, effective_from, required_parties) VALUES (?, ?, ?, ?,"
                              + " ?, ?, ?) RETURNING version_id")
                      .params(
                          covenantId,
                          version,
                          contentHash,
                          yaml,
                          fileName,
                          effectiveFrom.map(Timestamp::from).orElse(null),
                          requiredParties.stream().sorted().toArray(String[]::new))
                      .query(Long.class)
                      .single();
              appendInTransaction(versionId, proposal);
              return versionId;
            });
    return id;
  }

  /** Appends an event to the trail. */
  public void append(long versionId, Event event) {
    transaction.executeWithoutResult(status -> appendInTransaction(versionId, event));
  }

  private void appendInTransaction(long versionId, Event event) {
    // One writer at a time, so seq and previous_hash follow each other without gaps.
    db.sql("SELECT pg_advisory_xact_lock(7212)").query().singleValue();
    Map<String, Object> last =
        db
            .sql("SELECT seq, hash FROM covenant_event ORDER BY seq DESC LIMIT 1")
            .query()
            .listOfRows()
            .stream()
            .findFirst()
            .orElse(Map.of("seq", 0L, "hash", GENESIS));
    long seq = ((Number) last.get("seq")).longValue() + 1;
    String previous = (String) last.get("hash");
    String hash = hash(seq, versionId, event, previous);
    db.sql(
            "INSERT INTO covenant_event (seq, version_id, action, actor, party, at, note,"
                + " previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            seq,
            versionId,
            event.action().name(),
            event.actor(),
            event.party().orElse(null),
            Timestamp.from(event.at()),
            event.note(),
            previous,
            hash)
        .update();
  }

  public Optional<StoredVersion> version(long versionId) {
    return versions("WHERE version_id = ?", versionId).stream().findFirst();
  }

  public List<StoredVersion> versionsOf(String covenantId) {
    return versions("WHERE covenant_id = ?", covenantId);
  }

  public List<StoredVersion> all() {
    return versions("", null);
  }

  private List<StoredVersion> versions(String where, Object param) {
    JdbcClient.StatementSpec sql =
        db.sql(
            "SELECT version_id, covenant_id, version, content_hash, yaml, file_name,"
                + " effective_from, required_parties FROM covenant_version "
                + where
                + " ORDER BY covenant_id, version");
    if (param != null) {
      sql = sql.param(param);
    }
    List<StoredVersion> bare = sql.query((rs, n) -> version(rs, List.of())).list();
    if (bare.isEmpty()) {
      return bare;
    }
    Map<Long, List<TrailEvent>> events = new LinkedHashMap<>();
    for (TrailEvent event : trail()) {
      events.computeIfAbsent(event.versionId(), k -> new ArrayList<>()).add(event);
    }
    return bare.stream()
        .map(
            v ->
                new StoredVersion(
                    v.versionId(),
                    v.covenantId(),
                    v.version(),
                    v.contentHash(),
                    v.yaml(),
                    v.fileName(),
                    v.effectiveFrom(),
                    v.requiredParties(),
                    events.getOrDefault(v.versionId(), List.of())))
        .toList();
  }

  private static StoredVersion version(ResultSet rs, List<TrailEvent> events) throws SQLException {
    Timestamp effective = rs.getTimestamp("effective_from");
    Array parties = rs.getArray("required_parties");
    return new StoredVersion(
        rs.getLong("version_id"),
        rs.getString("covenant_id"),
        rs.getInt("version"),
        rs.getString("content_hash"),
        rs.getString("yaml"),
        rs.getString("file_name"),
        Optional.ofNullable(effective).map(Timestamp::toInstant),
        Set.copyOf(Arrays.asList((String[]) parties.getArray())),
        events);
  }

  /** The whole trail, oldest first. */
  public List<TrailEvent> trail() {
    return db.sql(
            "SELECT seq, version_id, action, actor, party, at, note, previous_hash, hash"
                + " FROM covenant_event ORDER BY seq")
        .query(
            (rs, n) ->
                new TrailEvent(
                    rs.getLong("seq"),
                    rs.getLong("version_id"),
                    new Event(
                        Action.valueOf(rs.getString("action")),
                        rs.getString("actor"),
                        Optional.ofNullable(rs.getString("party")),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("note")),
                    rs.getString("previous_hash"),
                    rs.getString("hash")))
        .list();
  }

  /** The last event of the trail: what a publication anchors. */
  public Optional<TrailAnchor> head() {
    return db.sql("SELECT seq, hash FROM covenant_event ORDER BY seq DESC LIMIT 1")
        .query((rs, n) -> new TrailAnchor(rs.getLong("seq"), rs.getString("hash")))
        .optional();
  }

  /**
   * Recomputes every hash of the trail from its fields, and compares the events at the {@code
   * anchors} with them; the first event that differs breaks it. {@code anchorsUnread}: why the
   * anchors could not be read (null when they were).
   */
  public TrailCheck verifyTrail(Collection<TrailAnchor> anchors, String anchorsUnread) {
    List<TrailEvent> trail = trail();
    Map<Long, String> hashes = new HashMap<>();
    Optional<Long> broken = Optional.empty();
    String previous = GENESIS;
    long expectedSeq = 1;
    for (TrailEvent e : trail) {
      if (e.seq() != expectedSeq
          || !e.previousHash().equals(previous)
          || !e.hash().equals(hash(e.seq(), e.versionId(), e.event(), previous))) {
        broken = Optional.of(e.seq());
        break;
      }
      hashes.put(e.seq(), e.hash());
      previous = e.hash();
      expectedSeq++;
    }
    long anchoredUpTo = 0;
    for (TrailAnchor anchor : anchors) {
      if (!anchor.hash().equals(hashes.get(anchor.seq()))) {
        long at = anchor.seq();
        broken = Optional.of(broken.map(b -> Math.min(b, at)).orElse(at));
      } else {
        anchoredUpTo = Math.max(anchoredUpTo, anchor.seq());
      }
    }
    return new TrailCheck(trail.size(), broken, anchoredUpTo, anchorsUnread);
  }

  static String hash(long seq, long versionId, Event event, String previousHash) {
    ObjectNode fields = JSON.createObjectNode();
    fields.put("seq", seq);
    fields.put("versionId", versionId);
    fields.put("action", event.action().name());
    fields.put("actor", event.actor());
    fields.put("party", event.party().orElse(null));
    // Microseconds: what PostgreSQL's timestamptz keeps.
    fields.put("at", event.at().getEpochSecond() * 1_000_000 + event.at().getNano() / 1_000);
    fields.put("note", event.note());
    fields.put("previousHash", previousHash);
    try {
      byte[] canonical = new JsonCanonicalizer(JSON.writeValueAsString(fields)).getEncodedUTF8();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
