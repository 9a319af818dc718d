package nl.covenanthub.console.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The chains as stored: intact when untouched; a changed, removed or replaced row is found where it
 * is.
 */
class IntegrityCheckTest extends ConsoleTestBase {
  @Autowired IntegrityCheck integrity;

  AuditTrail politie;
  AuditTrail lzn;
  List<AuditTrail.Sealed> politieRecords;

  @BeforeEach
  void twoChains() {
    politie = AuditTrail.of("politie");
    lzn = AuditTrail.of("lzn");
    politieRecords = politie.next(20);
    ingest(politieRecords);
    ingest(lzn.next(10, r -> r.setSender("lzn").setRecipient("politie")));
  }

  @Test
  void anUntouchedAuditVerifies() {
    IntegrityReport report = integrity.verifyAll();

    assertThat(report.intact()).as("intact: %s", report).isTrue();
    assertThat(report.chains())
        .extracting(ChainReport::chainId)
        .containsExactlyInAnyOrder(politie.chainId(), lzn.chainId());
    assertThat(report.checked()).isEqualTo(30);
  }

  @Autowired IntegrityMonitor monitor;
  @Autowired MeterRegistry metrics;

  @Test
  void theScheduledCheckReportsBrokenChainsForAlerts() {
    monitor.check();
    assertThat(metrics.get("console.integrity.chains.broken").gauge().value()).isZero();
    assertThat(metrics.get("console.integrity.checked").gauge().value())
        .isEqualTo(clock.instant().getEpochSecond());

    db.sql("UPDATE audit_record SET recipient = 'riec' WHERE chain_id = ? AND sequence = 3")
        .param(lzn.chainId())
        .update();
    clock.set(clock.instant().plusSeconds(3600));
    monitor.check();

    assertThat(metrics.get("console.integrity.chains.broken").gauge().value()).isEqualTo(1.0);
    assertThat(metrics.get("console.integrity.checked").gauge().value())
        .isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void theLastDayGoesOnFromTheLastWalkOfTheDay() {
    IntegrityReport walked = monitor.rehashLastDay();
    assertThat(walked.intact()).isTrue();
    assertThat(walked.rehashed()).isEqualTo(30);
    assertThat(walked.rehashedBefore()).isNull();
    Instant walkedAt = clock.instant();

    clock.set(walkedAt.plusSeconds(60));
    ingest(politie.next(5));
    AuditTrail riec = AuditTrail.of("riec");
    ingest(riec.next(4, r -> r.setSender("riec").setRecipient("politie")));
    IntegrityReport view = monitor.lastDay();
    assertThat(view.intact()).as("intact: %s", view).isTrue();
    assertThat(view.chains())
        .extracting(ChainReport::chainId)
        .as("a chain new since the walk too")
        .containsExactlyInAnyOrder(politie.chainId(), lzn.chainId(), riec.chainId());
    assertThat(view.checked()).isEqualTo(39);
    assertThat(view.rehashed()).as("only the records new since the walk").isEqualTo(9);
    assertThat(view.rehashedBefore()).isEqualTo(walkedAt);

    // A record changed after the walk: found by the next one, and on every view after it.
    db.sql("UPDATE audit_record SET recipient = 'riec' WHERE chain_id = ? AND sequence = 3")
        .param(lzn.chainId())
        .update();
    assertOnlyBreak(monitor.rehashLastDay(), lzn.chainId(), ChainBreak.Kind.ALTERED, 3);
    assertOnlyBreak(monitor.lastDay(), lzn.chainId(), ChainBreak.Kind.ALTERED, 3);
  }

  @Test
  void anOldWalkOfTheDayIsNotGoneOnFrom() {
    monitor.rehashLastDay();
    // Twice console.monitoring.last-day-every (5 min) later: the walk did not run since.
    clock.set(clock.instant().plus(Duration.ofMinutes(11)));

    IntegrityReport view = monitor.lastDay();
    assertThat(view.intact()).isTrue();
    assertThat(view.rehashed()).as("every record re-hashed again").isEqualTo(30);
    assertThat(view.rehashedBefore()).isNull();
  }

  @Test
  void aWalkIsNotGoneOnFromWhenItsLastRecordIsNoLongerThere() {
    monitor.rehashLastDay();
    // The index rebuilt, or the record the walk ended on rewritten: it is walked again in full.
    db.sql("UPDATE audit_record SET hash = repeat('0', 64) WHERE chain_id = ? AND sequence = 20")
        .param(politie.chainId())
        .update();

    assertOnlyBreak(monitor.lastDay(), politie.chainId(), ChainBreak.Kind.ALTERED, 20);
  }

  @Test
  void aChangedRecipientIsFoundAsAltered() {
    db.sql("UPDATE audit_record SET recipient = 'riec' WHERE chain_id = ? AND sequence = 7")
        .param(politie.chainId())
        .update();

    assertOnlyBreak(integrity.verifyAll(), politie.chainId(), ChainBreak.Kind.ALTERED, 7);
  }

  @Test
  void aChangedFieldListIsFoundAsAltered() {
    db.sql("UPDATE audit_record SET withheld_fields = '{}' WHERE chain_id = ? AND sequence = 12")
        .param(politie.chainId())
        .update();

    assertOnlyBreak(integrity.verifyAll(), politie.chainId(), ChainBreak.Kind.ALTERED, 12);
  }

  @Test
  void aDeletedRecordIsFoundAsMissing() {
    db.sql("DELETE FROM audit_record WHERE chain_id = ? AND sequence = 4")
        .param(lzn.chainId())
        .update();

    ChainReport broken =
        assertOnlyBreak(integrity.verifyAll(), lzn.chainId(), ChainBreak.Kind.MISSING, 4);
    assertThat(broken.checked()).as("records verified before the gap").isEqualTo(3);
  }

  @Test
  void deletedNewestRecordsAreFoundAsMissing() {
    db.sql("DELETE FROM audit_record WHERE chain_id = ? AND sequence >= 18")
        .param(politie.chainId())
        .update();

    assertOnlyBreak(integrity.verifyAll(), politie.chainId(), ChainBreak.Kind.MISSING, 18);
  }

  @Test
  void aRecordReplacedByAResealedOneIsFoundAsABrokenLink() {
    // A forger who can compute hashes rewrites record 9 and seals it again: it is intact in itself,
    // but record 10 names the old hash.
    AuditRecord original = politieRecords.get(8).record();
    AuditRecord forged = AuditRecord.newBuilder(original).setRecipient("riec").build();
    AuditHash.sealed(forged);
    db.sql(
            "UPDATE audit_record SET recipient = 'riec', hash = ? WHERE chain_id = ? AND sequence = 9")
        .params(forged.getHash(), politie.chainId())
        .update();

    assertOnlyBreak(integrity.verifyAll(), politie.chainId(), ChainBreak.Kind.BROKEN_LINK, 10);
  }

  @Test
  void aRangeIsVerifiedFromTheRecordBeforeIt() {
    List<AuditTrail.Sealed> later =
        politie.next(10, r -> r.setDecidedAt(Instant.now().plusSeconds(3_600)));
    ingest(later);
    Instant from = later.get(0).record().getDecidedAt();
    assertThat(integrity.verify(politie.chainId(), from, null).intact())
        .as("the later records alone")
        .isTrue();

    db.sql(
            "UPDATE audit_record SET purpose = 'aanpak-ondermijning' WHERE chain_id = ? AND sequence = 5")
        .param(politie.chainId())
        .update();
    assertThat(integrity.verify(politie.chainId(), from, null).intact())
        .as("a change before the range")
        .isTrue();

    db.sql("DELETE FROM audit_record WHERE chain_id = ? AND sequence = 20")
        .param(politie.chainId())
        .update();
    IntegrityReport range = integrity.verify(null, from, null);
    assertOnlyBreak(range, politie.chainId(), ChainBreak.Kind.MISSING, 20);
  }

  /**
   * A record the hub wrote in the first version of the audit schema, before senderSpanId (its bytes
   * made by that version's code, kept in schemas/): read from hub.audit, indexed, intact; a sender
   * span put in afterwards is a change, found.
   */
  @Test
  void aRecordOfTheFirstSchemaVersionIsIndexedAndHolds() throws Exception {
    byte[] written =
        Files.readAllBytes(Path.of("../../schemas/src/test/resources/audit/audit-record-v1.bin"));
    String chain = "partner.politie.outbox-first-version";
    publishRaw(chain, written);
    await().atMost(WAIT).until(() -> rows(chain) == 1);

    assertThat(integrity.verify(chain, null, null).intact()).as("first version intact").isTrue();

    db.sql("UPDATE audit_record SET sender_span_id = '00f067aa0ba902b7' WHERE chain_id = ?")
        .param(chain)
        .update();
    assertOnlyBreak(integrity.verify(chain, null, null), chain, ChainBreak.Kind.ALTERED, 1);
  }

  private static ChainReport assertOnlyBreak(
      IntegrityReport report, String chainId, ChainBreak.Kind kind, long sequence) {
    assertThat(report.intact()).as("intact").isFalse();
    assertThat(report.broken()).as("broken chains").hasSize(1);
    ChainReport broken = report.broken().get(0);
    assertThat(broken.chainId()).isEqualTo(chainId);
    assertThat(broken.firstBreak().kind())
        .as("kind of break: %s", broken.firstBreak())
        .isEqualTo(kind);
    assertThat(broken.firstBreak().sequence())
        .as("where: %s", broken.firstBreak())
        .isEqualTo(sequence);
    return broken;
  }
}
