package nl.covenanthub.console.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.audit.AuditRecordMonths;
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
 * {@code console.retention.cron}, a month at a time: audit_record is partitioned by month (UTC),
 * and a month goes, partition and all, once its last instant is past the period (so a record is
 * kept up to a month longer than the period, never shorter). For each chain in it, the month's last
 * record becomes the chain's checkpoint, in the same transaction: the integrity check starts there,
 * so the rest of the chain stays verifiable. A month with a chain that does not verify up to there
 * is left as it is: the evidence stays.
 */
@Service
public class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final IntegrityCheck integrity;
  private final AuditRecordMonths months;
  private final Clock clock;
  private final Period period;
  private final ZoneId zone;

  public Retention(
      JdbcClient jdbc,
      TransactionTemplate transaction,
      IntegrityCheck integrity,
      AuditRecordMonths months,
      Clock clock,
      ConsoleProperties properties) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.integrity = integrity;
    this.months = months;
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

  /**
   * Removes every record past the retention period, now: each month (a partition of audit_record)
   * whose last instant is before the cutoff, whole. A month is kept when any of its chains does not
   * verify up to its last record in that month.
   */
  public Result removeExpired() {
    Instant cutoff = ZonedDateTime.now(clock.withZone(zone)).minus(period).toInstant();
    long removed = 0;
    List<String> kept = new ArrayList<>();
    int dropped = 0;
    for (YearMonth month : months.months()) {
      if (AuditRecordMonths.end(month).isAfter(cutoff)) {
        break; // this month and the ones after it still hold records to keep
      }
      String table = AuditRecordMonths.table(month);
      Map<String, Long> lastPerChain = new TreeMap<>();
      jdbc.sql("SELECT chain_id, max(sequence) AS last FROM " + table + " GROUP BY chain_id")
          .query(
              rs -> {
                lastPerChain.put(rs.getString("chain_id"), rs.getLong("last"));
              });
      List<String> broken = new ArrayList<>();
      lastPerChain.forEach(
          (chain, last) -> {
            ChainReport due = integrity.verifyChain(chain, last);
            if (!due.intact()) {
              log.warn(
                  "Retention keeps {}: chain {} does not verify up to {} ({} at {})",
                  table,
                  chain,
                  last,
                  due.firstBreak().kind(),
                  due.firstBreak().sequence());
              broken.add(chain);
            }
          });
      if (broken.isEmpty()) {
        removed += drop(table, lastPerChain);
        dropped++;
      } else {
        kept.addAll(broken);
      }
    }
    months.forget();
    log.info(
        "Retention removed {} audit record(s) in {} month(s) before {} ({} chain(s) kept for a break)",
        removed,
        dropped,
        cutoff,
        kept.size());
    return new Result(cutoff, removed, kept);
  }

  /**
   * Drops a month's partition, moves each of its chains' checkpoint to its last record there, and
   * takes its records out of the decisions per day (audit_day_count), in one transaction.
   */
  private long drop(String table, Map<String, Long> lastPerChain) {
    return transaction.execute(
        status -> {
          long count = jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
          jdbc.sql(
                  "INSERT INTO retention_checkpoint (chain_id, sequence, hash, decided_at, removed_total, checkpointed_at)"
                      + " SELECT chain_id, sequence, hash, decided_at, removed, :now FROM "
                      + table
                      + " r"
                      + " JOIN (SELECT chain_id, max(sequence) AS sequence, count(*) AS removed FROM "
                      + table
                      + " GROUP BY chain_id) l USING (chain_id, sequence)"
                      + " ON CONFLICT (chain_id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash,"
                      + " decided_at = EXCLUDED.decided_at, checkpointed_at = EXCLUDED.checkpointed_at,"
                      + " removed_total = retention_checkpoint.removed_total + EXCLUDED.removed_total"
                      + " WHERE retention_checkpoint.sequence < EXCLUDED.sequence")
              .param("now", AuditRecordTable.timestamp(clock.instant()))
              .update();
          jdbc.sql(
                  "UPDATE audit_day_count d SET count = d.count - m.count FROM"
                      + " (SELECT (decided_at AT TIME ZONE :zone)::date AS day, sender,"
                      + " coalesce(recipient, '') AS recipient, coalesce(purpose, '') AS purpose, decision,"
                      + " count(*) AS count FROM "
                      + table
                      + " GROUP BY 1, 2, 3, 4, 5) m"
                      + " WHERE (d.day, d.sender, d.recipient, d.purpose, d.decision)"
                      + " = (m.day, m.sender, m.recipient, m.purpose, m.decision)")
              .param("zone", zone.getId())
              .update();
          jdbc.sql("DELETE FROM audit_day_count WHERE count <= 0").update();
          jdbc.sql("DROP TABLE " + table).update();
          return count;
        });
  }
}
