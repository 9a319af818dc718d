package nl.covenanthub.console.integrity;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies the audit's hash chains as stored: every record is rebuilt from its columns and hashed
 * again ({@link AuditHash}), each must name its predecessor's hash, and positions run without gaps
 * from the chain's start (or its retention checkpoint) to its head. Reports the first break of each
 * chain.
 */
@Service
public class IntegrityCheck {
  private static final int FETCH_SIZE = 2_000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final Clock clock;

  public IntegrityCheck(
      DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
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
    return verify(null, null, null);
  }

  /**
   * The chains (or just {@code chainId}, when not null) over the records decided in [{@code from},
   * {@code to}); null bounds are open. A range starts at the record before it, so a record removed
   * at its start is found too.
   */
  public IntegrityReport verify(String chainId, Instant from, Instant to) {
    Instant checkedAt = clock.instant();
    List<ChainReport> reports =
        readOnly.execute(
            status -> {
              Map<String, Anchor> checkpoints =
                  anchors("SELECT chain_id, sequence, hash FROM retention_checkpoint");
              Map<String, Anchor> heads =
                  anchors("SELECT chain_id, sequence, hash FROM chain_head");
              List<ChainReport> chains = new ArrayList<>();
              storedRanges(chainId, from, to, heads, checkpoints)
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
                        chains.add(walk(chain, first, last, checkpoint));
                      });
              return chains;
            });
    return new IntegrityReport(checkedAt, chainId, from, to, reports);
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
          return walk(chainId, checkpoint.sequence() + 1, lastSequence, checkpoint);
        });
  }

  private ChainReport walk(String chainId, long first, long last, Anchor checkpoint) {
    Anchor anchor;
    if (first - 1 == checkpoint.sequence()) {
      anchor = checkpoint;
    } else {
      List<String> hashes =
          jdbc.queryForList(
              "SELECT hash FROM audit_record WHERE chain_id = ? AND sequence = ?",
              String.class,
              chainId,
              first - 1);
      if (hashes.isEmpty()) {
        return ChainWalk.missingAnchor(chainId, first - 1, last);
      }
      anchor = new Anchor(first - 1, hashes.get(0));
    }
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
        first,
        last);
    return walk.finish();
  }

  /**
   * Per chain, the first and last stored position in the range. Without a range, chains known only
   * from their head or checkpoint are included too (all their records removed is a break, not an
   * empty chain).
   */
  private Map<String, Range> storedRanges(
      String chainId,
      Instant from,
      Instant to,
      Map<String, Anchor> heads,
      Map<String, Anchor> checkpoints) {
    List<String> conditions = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (chainId != null) {
      conditions.add("chain_id = ?");
      args.add(chainId);
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
        if (chainId == null || chain.equals(chainId)) {
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
