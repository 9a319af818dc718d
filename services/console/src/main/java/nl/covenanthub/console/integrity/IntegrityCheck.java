package nl.covenanthub.console.integrity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.console.Said;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the audit's hash chains as stored: every record is rebuilt from its columns and hashed
 * again ({@link AuditHash}), each must name its predecessor's hash, and positions run without gaps
 * from the chain's start (or its retention checkpoint) to its head. Reports the first break of each
 * chain.
 *
 * <p>A chain that holds in itself is then checked against what is outside the database: a fork met
 * while indexing ({@code chain_fork}), the head the hub signed on {@code hub.audit.chain}, and the
 * newest record against the same record in {@code hub.audit}. Someone who rewrites the database and
 * re-hashes a chain's tail passes the walk, but not these.
 *
 * <p>The check of the last day ({@link #verifySince}) re-hashes only what is new since the last
 * full walk of the day, when that walk is recent: every intact walk leaves the stretch it re-hashed
 * ({@link Rehashed}), and the console walks the whole day again every few minutes ({@link
 * IntegrityMonitor}). A stretch is trusted for twice that interval, counted from when it was last
 * re-hashed in full, not from when it was last extended; a chain found broken loses its stretch. So
 * a view of the integrity page costs milliseconds instead of re-hashing a day of records, and a
 * record changed after it was re-hashed is found by the next walk of the day.
 */
@Service
public class IntegrityCheck {
  private static final int FETCH_SIZE = 2_000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final Clock clock;
  private final KafkaAnchors kafka;

  /** Per chain, the stretch the last intact walk re-hashed. */
  private final Map<String, Rehashed> rehashed = new ConcurrentHashMap<>();

  private final Duration trustRehashFor;

  public IntegrityCheck(
      DataSource dataSource,
      PlatformTransactionManager transactions,
      Clock clock,
      KafkaAnchors kafka,
      @Value("${console.monitoring.last-day-every:5m}") Duration lastDayEvery) {
    this.kafka = kafka;
    this.trustRehashFor = lastDayEvery.multipliedBy(2);
    this.jdbc = new JdbcTemplate(dataSource);
    // PostgreSQL streams a result (instead of loading it whole) only with a fetch size inside a
    // transaction.
    this.jdbc.setFetchSize(FETCH_SIZE);
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
    this.clock = clock;
  }

  /** Every chain, from its start or checkpoint to its head. */
  public IntegrityReport verifyAll() {
    return verify(null, null, null, false);
  }

  /**
   * Every chain over the records decided since {@code from}, up to the newest record indexed,
   * re-hashing only what no recent walk did (see the class comment).
   */
  public IntegrityReport verifySince(Instant from) {
    return verify(null, from, null, true);
  }

  /**
   * The chains (or just {@code chainId}, when not null) over the records decided in [{@code from},
   * {@code to}); null bounds are open. A range starts at the record before it, so a record removed
   * at its start is found too.
   */
  public IntegrityReport verify(String chainId, Instant from, Instant to) {
    return verify(chainId, from, to, false);
  }

  private IntegrityReport verify(String chainId, Instant from, Instant to, boolean reuse) {
    Instant checkedAt = clock.instant();
    List<Walk> walks =
        readOnly.execute(
            status -> {
              Map<String, Anchor> checkpoints =
                  anchors("SELECT chain_id, sequence, hash FROM retention_checkpoint");
              Map<String, Anchor> heads =
                  anchors("SELECT chain_id, sequence, hash FROM chain_head");
              List<Walk> chains = new ArrayList<>();
              Collection<String> only = chainId == null ? null : List.of(chainId);
              (reuse
                      ? viewRanges(from, heads, checkpoints, checkedAt)
                      : storedRanges(only, from, to, heads, checkpoints))
                  .forEach(
                      (chain, range) -> {
                        Anchor checkpoint = checkpoints.getOrDefault(chain, Anchor.GENESIS);
                        long first = Math.max(range.first(), checkpoint.sequence() + 1);
                        long last =
                            to == null
                                ? Math.max(
                                    range.last(),
                                    heads.getOrDefault(chain, Anchor.GENESIS).sequence())
                                : range.last();
                        chains.add(new Walk(chain, first, last, checkpoint));
                      });
              return chains;
            });
    // Chains are independent: walked side by side, each on a connection of its own (in order).
    List<Walked> walked =
        walks.parallelStream()
            .map(w -> readOnly.execute(status -> walk(w, reuse ? usable(w, checkedAt) : null)))
            .toList();
    List<ChainReport> forks = walked.stream().map(w -> withFork(w.report())).toList();
    Anchored anchored = anchor(forks);
    for (int i = 0; i < walked.size(); i++) {
      remember(walked.get(i), anchored.chains().get(i).intact(), checkedAt);
    }
    long rehashedNow = walked.stream().mapToLong(Walked::rehashed).sum();
    Instant reusedFrom =
        walked.stream()
            .map(Walked::reused)
            .filter(r -> r != null)
            .map(Rehashed::at)
            .min(Instant::compareTo)
            .orElse(null);
    return new IntegrityReport(
        checkedAt, chainId, from, to, anchored.chains(), anchored.how(), rehashedNow, reusedFrom);
  }

  /**
   * A stretch of a chain that an intact walk re-hashed: positions {@code first} to {@code last}
   * (whose hash is {@code lastHash}), all of them re-hashed at {@code at} or later.
   */
  record Rehashed(long first, long last, String lastHash, Instant at) {}

  /** A walk's report, how many records it hashed, and the stretch it went on from, if any. */
  private record Walked(
      Walk walk, ChainReport report, long rehashed, String lastHash, Rehashed reused) {}

  /** The chain's re-hashed stretch, if it is recent and covers the start of this walk. */
  private Rehashed usable(Walk w, Instant now) {
    Rehashed stretch = rehashed.get(w.chain());
    boolean usable =
        stretch != null
            && trusted(stretch, now)
            && stretch.first() <= w.first()
            && stretch.last() >= w.first() - 1
            && stretch.last() <= w.last();
    return usable ? stretch : null;
  }

  private boolean trusted(Rehashed stretch, Instant now) {
    return !stretch.at().isBefore(now.minus(trustRehashFor));
  }

  /** After a walk: an intact chain keeps the stretch it was re-hashed over, a broken one none. */
  private void remember(Walked walked, boolean intact, Instant walkedAt) {
    String chain = walked.walk().chain();
    if (!intact) {
      rehashed.remove(chain);
      return;
    }
    ChainReport report = walked.report();
    if (report.lastSequence() < report.firstSequence()) {
      return; // nothing walked
    }
    Rehashed stretch =
        walked.reused() == null
            ? new Rehashed(
                report.firstSequence(), report.lastSequence(), walked.lastHash(), walkedAt)
            // Went on from an earlier walk: re-hashed in full no later than that one was.
            : new Rehashed(
                walked.reused().first(),
                report.lastSequence(),
                walked.lastHash(),
                walked.reused().at());
    rehashed.merge(chain, stretch, (old, now) -> now.at().isBefore(old.at()) ? old : now);
  }

  private record Anchored(List<ChainReport> chains, Said how) {}

  /** A chain to walk, from {@code first} to {@code last}, after its checkpoint. */
  private record Walk(String chain, long first, long last, Anchor checkpoint) {}

  /** The chain broken at its first fork, if one was met while indexing it. */
  private ChainReport withFork(ChainReport chain) {
    if (!chain.intact()) {
      return chain;
    }
    List<Long> forks =
        jdbc.queryForList(
            "SELECT sequence FROM chain_fork WHERE chain_id = ? AND sequence <= ? ORDER BY sequence"
                + " LIMIT 1",
            Long.class,
            chain.chainId(),
            chain.lastSequence());
    return forks.isEmpty()
        ? chain
        : chain.brokenAt(
            ChainBreak.Kind.FORKED,
            forks.get(0),
            disclosureAt(chain.chainId(), forks.get(0)),
            "a second, different record was read at this position");
  }

  /** The intact chains compared with the hub's signed heads and with hub.audit. */
  private Anchored anchor(List<ChainReport> chains) {
    Map<String, KafkaAnchors.SignedHead> heads;
    try {
      heads = kafka.publishedHeads();
    } catch (RuntimeException e) {
      return notAnchored(chains, e);
    }
    Map<String, NewestRecord> newest = new HashMap<>();
    for (ChainReport chain : chains) {
      if (chain.intact() && chain.lastSequence() >= chain.firstSequence()) {
        newestRecord(chain).ifPresent(r -> newest.put(chain.chainId(), r));
      }
    }
    Map<KafkaAnchors.Place, String> inKafka;
    try {
      inKafka =
          kafka.auditHashesAt(
              newest.values().stream().map(NewestRecord::place).distinct().toList());
    } catch (RuntimeException e) {
      return notAnchored(chains, e);
    }
    List<ChainReport> anchored = new ArrayList<>();
    int signed = 0;
    for (ChainReport chain : chains) {
      if (!chain.intact() || !newest.containsKey(chain.chainId())) {
        anchored.add(chain);
        continue;
      }
      KafkaAnchors.SignedHead head = heads.get(chain.chainId());
      ChainReport checked = chain;
      if (head != null) {
        signed++;
        checked = againstSignedHead(chain, head);
      }
      if (checked.intact()) {
        checked = againstAudit(chain, newest.get(chain.chainId()), inKafka);
      }
      anchored.add(checked);
    }
    return new Anchored(
        anchored,
        new Said(
            "anchoring.compared",
            "compared with hub.audit and with "
                + signed
                + " of "
                + chains.size()
                + " chains' heads signed by the hub",
            signed,
            chains.size()));
  }

  private static Anchored notAnchored(List<ChainReport> chains, RuntimeException e) {
    String why = e.getClass().getSimpleName();
    return new Anchored(
        chains,
        new Said(
            "anchoring.unreachable",
            "not compared with Kafka (" + why + "): only the index itself was verified",
            why));
  }

  /** A chain's newest record in the range: its position, hash and place in hub.audit. */
  private record NewestRecord(long sequence, String hash, KafkaAnchors.Place place) {}

  private Optional<NewestRecord> newestRecord(ChainReport chain) {
    return jdbc
        .query(
            "SELECT sequence, hash, audit_partition, audit_offset FROM audit_record"
                + " WHERE chain_id = ? AND sequence = ?",
            (rs, i) ->
                new NewestRecord(
                    rs.getLong("sequence"),
                    rs.getString("hash"),
                    new KafkaAnchors.Place(
                        rs.getInt("audit_partition"), rs.getLong("audit_offset"))),
            chain.chainId(),
            chain.lastSequence())
        .stream()
        .findFirst();
  }

  private ChainReport againstSignedHead(ChainReport chain, KafkaAnchors.SignedHead head) {
    long sequence = head.head().getSequence();
    if (!head.signatureValid()) {
      return chain.brokenAt(
          ChainBreak.Kind.UNANCHORED,
          sequence,
          null,
          "the head published for this position has no valid signature of the hub");
    }
    if (sequence > chain.lastSequence() || sequence < chain.firstSequence()) {
      return chain; // not indexed yet, or before the range
    }
    String stored = storedHash(chain.chainId(), sequence);
    if (stored != null && !stored.equals(head.head().getHash())) {
      return chain.brokenAt(
          ChainBreak.Kind.UNANCHORED,
          sequence,
          disclosureAt(chain.chainId(), sequence),
          "this record is not the one whose hash the hub signed");
    }
    return chain;
  }

  private ChainReport againstAudit(
      ChainReport chain, NewestRecord newest, Map<KafkaAnchors.Place, String> inKafka) {
    String hash = inKafka.get(newest.place());
    if (newest.hash().equals(hash)) {
      return chain;
    }
    return chain.brokenAt(
        ChainBreak.Kind.UNANCHORED,
        newest.sequence(),
        disclosureAt(chain.chainId(), newest.sequence()),
        hash == null
            ? "hub.audit has no record where the index says this one was read"
            : "this record differs from the one in hub.audit");
  }

  private String storedHash(String chainId, long sequence) {
    return columnAt("hash", chainId, sequence);
  }

  private String disclosureAt(String chainId, long sequence) {
    return columnAt("disclosure_id", chainId, sequence);
  }

  /** One text column of the record at a chain's position, or null when there is none. */
  private String columnAt(String column, String chainId, long sequence) {
    List<String> values =
        jdbc.queryForList(
            "SELECT " + column + " FROM audit_record WHERE chain_id = ? AND sequence = ?",
            String.class,
            chainId,
            sequence);
    return values.isEmpty() ? null : values.get(0);
  }

  /**
   * One chain up to position {@code lastSequence}, from its start or checkpoint (retention checks
   * what it removes).
   */
  public ChainReport verifyChain(String chainId, long lastSequence) {
    return readOnly.execute(
        status -> {
          Anchor checkpoint =
              anchors(
                      "SELECT chain_id, sequence, hash FROM retention_checkpoint WHERE chain_id = ?",
                      chainId)
                  .getOrDefault(chainId, Anchor.GENESIS);
          return walk(chainId, checkpoint.sequence() + 1, lastSequence, checkpoint).report();
        });
  }

  /** A walk of {@code w}, going on from {@code from} when it is not null. */
  private Walked walk(Walk w, Rehashed from) {
    // Only while the record the walk ended on is still there as it was (not when the index was
    // rebuilt, or that record changed): otherwise the chain is walked in full.
    if (from == null || !from.lastHash().equals(storedHash(w.chain(), from.last()))) {
      ChainWalk.Result result = walk(w.chain(), w.first(), w.last(), w.checkpoint());
      return new Walked(w, result.report(), result.report().checked(), result.lastHash(), null);
    }
    ChainWalk.Result result =
        walkFrom(w.chain(), new Anchor(from.last(), from.lastHash()), w.last());
    ChainReport tail = result.report();
    long before = from.last() - w.first() + 1; // re-hashed by the earlier walk
    ChainReport report =
        new ChainReport(w.chain(), w.first(), w.last(), before + tail.checked(), tail.firstBreak());
    return new Walked(w, report, tail.checked(), result.lastHash(), from);
  }

  private ChainWalk.Result walk(String chainId, long first, long last, Anchor checkpoint) {
    Anchor anchor;
    if (first - 1 == checkpoint.sequence()) {
      anchor = checkpoint;
    } else {
      String hash = storedHash(chainId, first - 1);
      if (hash == null) {
        return new ChainWalk.Result(ChainWalk.missingAnchor(chainId, first - 1, last), null);
      }
      anchor = new Anchor(first - 1, hash);
    }
    return walkFrom(chainId, anchor, last);
  }

  /** The records after {@code anchor} up to {@code last}, linked to it. */
  private ChainWalk.Result walkFrom(String chainId, Anchor anchor, long last) {
    ChainWalk walk = new ChainWalk(chainId, anchor.sequence(), anchor.hash(), last);
    jdbc.query(
        "SELECT "
            + AuditRecordTable.COLUMNS
            + " FROM audit_record"
            + " WHERE chain_id = ? AND sequence BETWEEN ? AND ? ORDER BY sequence",
        rs -> {
          walk.accept(AuditRecordTable.DISCLOSURE.mapRow(rs, 0));
        },
        chainId,
        anchor.sequence() + 1,
        last);
    return walk.finish();
  }

  /**
   * Per chain, the range a view of the last day walks, without reading the day's records to find
   * it: a chain with a recent walk of the day goes from where that walk started (so at most twice
   * {@code last-day-every} more than a day) to its newest record; only the others are looked up
   * among the records decided since {@code from}.
   */
  private Map<String, Range> viewRanges(
      Instant from, Map<String, Anchor> heads, Map<String, Anchor> checkpoints, Instant now) {
    Map<String, Range> ranges = new TreeMap<>();
    List<String> others = new ArrayList<>();
    for (String chain : union(heads, checkpoints)) {
      Rehashed stretch = rehashed.get(chain);
      long newest =
          stretch != null && trusted(stretch, now)
              ? Math.max(heads.getOrDefault(chain, Anchor.GENESIS).sequence(), newestStored(chain))
              : -1;
      if (newest >= 0 && stretch.last() <= newest) {
        ranges.put(chain, new Range(stretch.first(), newest));
      } else {
        others.add(chain);
      }
    }
    if (!others.isEmpty()) {
      ranges.putAll(storedRanges(others, from, null, heads, checkpoints));
    }
    return ranges;
  }

  private long newestStored(String chainId) {
    Long newest =
        jdbc.queryForObject(
            "SELECT max(sequence) FROM audit_record WHERE chain_id = ?", Long.class, chainId);
    return newest == null ? 0 : newest;
  }

  /**
   * Per chain, the first and last stored position in the range. Without a range, chains known only
   * from their head or checkpoint are included too (all their records removed is a break, not an
   * empty chain).
   */
  private Map<String, Range> storedRanges(
      Collection<String> chainIds,
      Instant from,
      Instant to,
      Map<String, Anchor> heads,
      Map<String, Anchor> checkpoints) {
    List<String> conditions = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (chainIds != null) {
      conditions.add("chain_id = ANY (?)");
      args.add(chainIds.toArray(String[]::new));
    }
    if (from != null) {
      conditions.add("decided_at >= ?");
      args.add(AuditRecordTable.timestamp(from));
    }
    if (to != null) {
      conditions.add("decided_at < ?");
      args.add(AuditRecordTable.timestamp(to));
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    Map<String, Range> ranges = new TreeMap<>();
    jdbc.query(
        "SELECT chain_id, min(sequence) AS first, max(sequence) AS last FROM audit_record"
            + where
            + " GROUP BY chain_id",
        rs -> {
          ranges.put(rs.getString("chain_id"), new Range(rs.getLong("first"), rs.getLong("last")));
        },
        args.toArray());
    if (from == null && to == null) {
      for (String chain : union(heads, checkpoints)) {
        if (chainIds == null || chainIds.contains(chain)) {
          ranges.putIfAbsent(chain, new Range(1, 0));
        }
      }
    }
    return ranges;
  }

  private static List<String> union(Map<String, Anchor> a, Map<String, Anchor> b) {
    List<String> chains = new ArrayList<>(a.keySet());
    b.keySet().stream().filter(chain -> !a.containsKey(chain)).forEach(chains::add);
    return chains;
  }

  private Map<String, Anchor> anchors(String sql, Object... args) {
    Map<String, Anchor> anchors = new HashMap<>();
    jdbc.query(
        sql,
        rs -> {
          anchors.put(
              rs.getString("chain_id"), new Anchor(rs.getLong("sequence"), rs.getString("hash")));
        },
        args);
    return anchors;
  }

  /** A chain position and its hash, to link the next record to. */
  private record Anchor(long sequence, String hash) {
    static final Anchor GENESIS = new Anchor(0, AuditHash.GENESIS);
  }

  private record Range(long first, long last) {}
}
