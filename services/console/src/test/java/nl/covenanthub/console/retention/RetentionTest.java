package nl.covenanthub.console.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.DisclosureCount;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.StatsPeriod;
import nl.covenanthub.console.integrity.ChainBreak;
import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.integrity.IntegrityReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Retention (P5Y by default) removes the oldest records, a month at a time, and leaves each chain
 * verifiable from its checkpoint and the statistics right.
 */
class RetentionTest extends ConsoleTestBase {
  private static final Instant NOW = Instant.parse("2026-05-14T10:00:00Z");

  @Autowired Retention retention;
  @Autowired IntegrityCheck integrity;

  @Test
  void removesWhatIsPastTheRetentionPeriodAndTheChainStillVerifies() {
    AuditTrail chain = AuditTrail.of("politie");
    List<AuditTrail.Sealed> records =
        new ArrayList<>(chain.next(10, r -> r.setDecidedAt(NOW.minus(Duration.ofDays(6 * 366)))));
    records.addAll(chain.next(10, r -> r.setDecidedAt(NOW.minus(Duration.ofDays(30)))));
    ingest(records);
    clock.set(NOW);

    Retention.Result result = retention.removeExpired();

    assertThat(result.removed()).as("records older than five years").isEqualTo(10);
    assertThat(rows(chain.chainId())).isEqualTo(10);
    assertThat(
            db.sql("SELECT sequence FROM retention_checkpoint WHERE chain_id = ?")
                .param(chain.chainId())
                .query(Long.class)
                .single())
        .as("the checkpoint: the last removed record")
        .isEqualTo(10);
    IntegrityReport after = integrity.verifyAll();
    assertThat(after.intact()).as("intact after retention: %s", after).isTrue();
    assertThat(after.checked()).isEqualTo(10);

    db.sql("DELETE FROM audit_record WHERE chain_id = ? AND sequence = 11")
        .param(chain.chainId())
        .update();
    IntegrityReport deleted = integrity.verifyAll();
    assertThat(deleted.intact()).isFalse();
    assertThat(deleted.broken().get(0).firstBreak().kind()).isEqualTo(ChainBreak.Kind.MISSING);
    assertThat(deleted.broken().get(0).firstBreak().sequence())
        .as("the record right after the checkpoint")
        .isEqualTo(11);
  }

  @Test
  void aChainPastRetentionAltogetherStillVerifiesAndItsRecordsAreNotIndexedAgain() {
    AuditTrail chain = AuditTrail.of("lzn");
    List<AuditTrail.Sealed> records =
        chain.next(8, r -> r.setDecidedAt(NOW.minus(30, ChronoUnit.DAYS)));
    ingest(records);
    clock.set(NOW.plus(Duration.ofDays(10 * 366)));

    assertThat(retention.removeExpired().removed()).isEqualTo(8);
    assertThat(integrity.verifyAll().intact()).as("nothing left, up to the checkpoint").isTrue();

    // hub.audit keeps everything: a replay must not bring the removed records back.
    publish(records);
    List<AuditTrail.Sealed> next = chain.next(2, r -> r.setDecidedAt(NOW));
    ingest(next);
    assertThat(rows(chain.chainId())).isEqualTo(2);
    assertThat(integrity.verifyAll().intact()).isTrue();
  }

  @Autowired AuditSearch search;

  @Test
  void theStatisticsCountWhatIsLeftAfterAMonthIsRemoved() {
    AuditTrail politie = AuditTrail.of("politie");
    AuditTrail lzn = AuditTrail.of("lzn");
    List<AuditTrail.Sealed> records = new ArrayList<>();
    // Old: removed whole, with its month. The last one is decided at 23:30 UTC on the month's last
    // day, which in Amsterdam is the next month's first day: the chart's days and the partitions'
    // months do not line up, and the counts must still be right.
    records.addAll(politie.next(4, r -> r.setDecidedAt(Instant.parse("2020-04-10T08:00:00Z"))));
    records.addAll(lzn.next(3, r -> r.setDecidedAt(Instant.parse("2020-04-30T23:30:00Z"))));
    records.addAll(
        politie.next(
            2,
            r ->
                r.setDecidedAt(NOW.minus(Duration.ofDays(3)))
                    .setDecision(AuditDecision.WITHHELD)
                    .setReason("NO_RULE")));
    records.addAll(lzn.next(5, r -> r.setDecidedAt(NOW.minus(Duration.ofDays(2)))));
    ingest(records);
    assertThat(statistics()).as("counted per day as ingested").isEqualTo(countedFromRecords());
    assertThat(statistics())
        .extracting(DisclosureCount::period)
        .contains("2020-04-10", "2020-05-01");

    clock.set(NOW);
    assertThat(retention.removeExpired().removed()).isEqualTo(7);

    assertThat(statistics()).as("counted per day after retention").isEqualTo(countedFromRecords());
    assertThat(statistics().stream().mapToLong(DisclosureCount::count).sum()).isEqualTo(7);
  }

  /** What the chart and /api/stats show: every record, per day. */
  private List<DisclosureCount> statistics() {
    return search.counts(DisclosureQuery.everything(), StatsPeriod.of("day"));
  }

  /** The same, counted from the records themselves. */
  private List<DisclosureCount> countedFromRecords() {
    return db.sql(
            "SELECT to_char(decided_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS period, sender,"
                + " recipient, purpose, decision, count(*) AS count FROM audit_record"
                + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5")
        .query(AuditSearch.COUNT)
        .list();
  }

  @Test
  void aChainWhoseOldRecordsDoNotVerifyIsKept() {
    AuditTrail chain = AuditTrail.of("riec");
    ingest(chain.next(5, r -> r.setDecidedAt(NOW.minus(Duration.ofDays(6 * 366)))));
    db.sql("UPDATE audit_record SET recipient = 'politie' WHERE chain_id = ? AND sequence = 2")
        .param(chain.chainId())
        .update();
    clock.set(NOW);

    Retention.Result result = retention.removeExpired();

    assertThat(result.kept()).containsExactly(chain.chainId());
    assertThat(rows(chain.chainId())).as("the evidence stays").isEqualTo(5);
  }
}
