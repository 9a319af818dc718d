package nl.covenanthub.console.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.audit.AuditRecordTable;
import nl.covenanthub.console.integrity.ChainReport;
import nl.covenanthub.console.integrity.IntegrityCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes audit records decided longer ago than {@code console.retention.period}, on the schedule
 * {@code console.retention.cron}. Per chain it removes the oldest records up to the first one still
 * to be kept, and keeps the last removed record's position and hash as the chain's checkpoint, in
 * the same transaction: the integrity check starts there, so the rest of the chain stays
 * verifiable. A chain whose part to remove does not verify is left as it is: the evidence stays.
 */
@Service
public class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final IntegrityCheck integrity;
  private final Clock clock;
  private final Period period;
  private final ZoneId zone;

  public Retention(
      JdbcClient jdbc,
      TransactionTemplate transaction,
      IntegrityCheck integrity,
      Clock clock,
      ConsoleProperties properties) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.integrity = integrity;
    this.clock = clock;
    this.period = properties.retention().period();
    this.zone = properties.timeZone();
  }

  /**
   * What one run removed.
   *
   * @param cutoff records decided before this were due
   * @param kept chains whose due records were kept because they do not verify
   */
  public record Result(Instant cutoff, long removed, List<String> kept) {
    public Result {
      kept = List.copyOf(kept);
    }
  }

  @Scheduled(cron = "${console.retention.cron:0 30 3 * * *}")
  void onSchedule() {
    removeExpired();
  }

  /** Removes every record past the retention period, now. */
  public Result removeExpired() {
    Instant cutoff = ZonedDateTime.now(clock.withZone(zone)).minus(period).toInstant();
    List<String> chains =
        jdbc.sql("SELECT DISTINCT chain_id FROM audit_record WHERE decided_at < :cutoff")
            .param("cutoff", AuditRecordTable.timestamp(cutoff))
            .query(String.class)
            .list();
    long removed = 0;
    List<String> kept = new ArrayList<>();
    for (String chain : chains) {
      long last = lastDue(chain, cutoff);
      ChainReport due = integrity.verifyChain(chain, last);
      if (!due.intact()) {
        log.warn(
            "Retention keeps chain {}: its records up to {} do not verify ({} at {})",
            chain,
            last,
            due.firstBreak().kind(),
            due.firstBreak().sequence());
        kept.add(chain);
        continue;
      }
      removed += remove(chain, last);
    }
    log.info(
        "Retention removed {} audit record(s) decided before {} ({} of {} chain(s) kept for a break)",
        removed,
        cutoff,
        kept.size(),
        chains.size());
    return new Result(cutoff, removed, kept);
  }

  /** The last position of the chain's leading run of records decided before the cutoff. */
  private long lastDue(String chain, Instant cutoff) {
    return jdbc.sql(
            "SELECT coalesce("
                + " (SELECT min(sequence) - 1 FROM audit_record WHERE chain_id = :chain AND decided_at >= :cutoff),"
                + " (SELECT max(sequence) FROM audit_record WHERE chain_id = :chain))")
        .param("chain", chain)
        .param("cutoff", AuditRecordTable.timestamp(cutoff))
        .query(Long.class)
        .single();
  }

  private long remove(String chain, long last) {
    return transaction.execute(
        status -> {
          var lastRemoved =
              jdbc.sql(
                      "SELECT hash, decided_at FROM audit_record WHERE chain_id = :chain AND sequence = :last")
                  .param("chain", chain)
                  .param("last", last)
                  .query(
                      (rs, row) ->
                          new Checkpoint(
                              rs.getString("hash"),
                              rs.getObject("decided_at", OffsetDateTime.class)))
                  .optional();
          if (lastRemoved.isEmpty()) {
            return 0L; // nothing due before a record still to be kept, or already removed
          }
          long count =
              jdbc.sql("DELETE FROM audit_record WHERE chain_id = :chain AND sequence <= :last")
                  .param("chain", chain)
                  .param("last", last)
                  .update();
          jdbc.sql(
                  "INSERT INTO retention_checkpoint (chain_id, sequence, hash, decided_at, removed_total, checkpointed_at)"
                      + " VALUES (:chain, :last, :hash, :decidedAt, :count, :now)"
                      + " ON CONFLICT (chain_id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash,"
                      + " decided_at = EXCLUDED.decided_at, checkpointed_at = EXCLUDED.checkpointed_at,"
                      + " removed_total = retention_checkpoint.removed_total + EXCLUDED.removed_total")
              .param("chain", chain)
              .param("last", last)
              .param("hash", lastRemoved.get().hash())
              .param("decidedAt", lastRemoved.get().decidedAt())
              .param("count", count)
              .param("now", AuditRecordTable.timestamp(clock.instant()))
              .update();
          return count;
        });
  }

  /** The hash and time of the last record a run removes from a chain. */
  private record Checkpoint(String hash, OffsetDateTime decidedAt) {}
}
