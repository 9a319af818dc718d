package nl.covenanthub.console.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.AuditTrail;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.audit.AuditRecordTable;
import nl.covenanthub.console.audit.Disclosure;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * hub.audit into PostgreSQL: every record once, field for field, through restarts, replays and
 * failures.
 */
class AuditIngestTest extends ConsoleTestBase {
  @Autowired KafkaListenerEndpointRegistry listeners;

  @AfterEach
  void dropTestTrigger() {
    db.sql("DROP TRIGGER IF EXISTS fail_once ON audit_record").update();
  }

  @Test
  void storesEveryRecordOnceFieldForField() {
    AuditTrail politie = AuditTrail.of("politie");
    AuditTrail lzn = AuditTrail.of("lzn");
    List<AuditTrail.Sealed> records = new ArrayList<>(politie.next(20));
    records.addAll(
        lzn.next(
            5,
            r ->
                r.setSender("lzn")
                    .setRecipient("politie")
                    .setDecision(AuditDecision.WITHHELD)
                    .setReason("NO_RULE")
                    .setDetail("no rule for lzn to politie")
                    .setRuleIds(List.of())
                    .setDisclosedFields(List.of())
                    .setTransformedFields(List.of())
                    .setLegalBasis(null)
                    .setCovenantVersion(null)
                    .setOccurredAt(null)));
    // Text that COPY's text format and text[] literals must escape, in fields and in list items;
    // and records in two months, so two partitions.
    records.addAll(
        lzn.next(
            3,
            r ->
                r.setDetail("tab\there, new\nline, \\N, back\\slash, \r, \"quoted\", {braces}, a,b")
                    .setWithheldFields(
                        List.of("a\"b", "c\\d", "e,f", "{g}", "", "NULL", "tab\tnl\n"))
                    .setLegalBasis("Art. 6(1)(e) AVG \\ Wet 'politiegegevens'")
                    .setDecidedAt(java.time.Instant.parse("2026-01-31T23:59:59.999999Z"))));

    ingest(records);

    assertThat(rows(politie.chainId())).as("records of the politie chain").isEqualTo(20);
    assertThat(rows(lzn.chainId())).as("records of the lzn chain").isEqualTo(8);
    assertThat(
            db.sql("SELECT count(*) FROM audit_record_y2026m01 WHERE chain_id = ?")
                .param(lzn.chainId())
                .query(Long.class)
                .single())
        .as("records of January 2026 (UTC) in its month's partition")
        .isEqualTo(3);
    for (AuditTrail.Sealed sealed : records) {
      Disclosure stored =
          db.sql(
                  "SELECT "
                      + AuditRecordTable.COLUMNS
                      + " FROM audit_record WHERE chain_id = ? AND sequence = ?")
              .params(sealed.chainId(), sealed.record().getSequence())
              .query(AuditRecordTable.DISCLOSURE)
              .single();
      assertThat(stored.toAuditRecord())
          .as("the record rebuilt from its columns")
          .isEqualTo(sealed.record());
    }
    assertThat(
            db.sql("SELECT sequence FROM chain_head WHERE chain_id = ?")
                .param(politie.chainId())
                .query(Long.class)
                .single())
        .as("the chain's head")
        .isEqualTo(20);
  }

  @Test
  void readsInTheConfiguredConsumerGroupWhichTheAclsAllow() {
    // Not the listener's id: infra/kafka/acls.yaml lets the console use groups prefixed
    // covenant-console only.
    assertThat(listeners.getListenerContainer(AuditIngest.LISTENER_ID).getGroupId())
        .isEqualTo("covenant-console");
  }

  @Test
  void readingTheTopicAgainFromTheStartAddsNoDuplicatesAndLosesNothing() {
    AuditTrail chain = AuditTrail.of("politie");
    List<AuditTrail.Sealed> before = chain.next(30);
    ingest(before);

    MessageListenerContainer ingest = listeners.getListenerContainer(AuditIngest.LISTENER_ID);
    ingest.stop();
    // As if the database had lost its position: the console reads hub.audit from offset 0 again.
    db.sql("DELETE FROM ingest_position").update();
    List<AuditTrail.Sealed> meanwhile = chain.next(15);
    publish(meanwhile);
    ingest.start();

    awaitStored(meanwhile);
    await().atMost(WAIT).until(() -> positionsAtEnd());
    assertThat(rows(chain.chainId())).as("each record once, none lost").isEqualTo(45);
    assertThat(
            db.sql("SELECT count(DISTINCT disclosure_id) FROM audit_record WHERE chain_id = ?")
                .param(chain.chainId())
                .query(Long.class)
                .single())
        .isEqualTo(45);
  }

  @Autowired IngestLag lag;
  @Autowired MeterRegistry metrics;

  @Test
  void theLagGaugeCountsWhatTheIndexHasNotReadYet() {
    AuditTrail chain = AuditTrail.of("politie");
    ingest(chain.next(3));
    await("the index is caught up").atMost(WAIT).until(() -> lag.measure() == 0);
    assertThat(metrics.get("console.ingest.lag").gauge().value()).isZero();

    MessageListenerContainer ingest = listeners.getListenerContainer(AuditIngest.LISTENER_ID);
    ingest.stop();
    try {
      publish(chain.next(7));
      assertThat(lag.measure()).as("7 records published while the ingest is stopped").isEqualTo(7);
      assertThat(metrics.get("console.ingest.lag").gauge().value()).isEqualTo(7.0);
    } finally {
      ingest.start();
    }
    await("the index catches up").atMost(WAIT).until(() -> lag.measure() == 0);
    assertThat(rows(chain.chainId())).isEqualTo(10);
  }

  @Test
  void aBatchThatFailsHalfwayIsStoredWholeOnRetry() {
    AuditTrail chain = AuditTrail.of("veilig-thuis");
    List<AuditTrail.Sealed> records =
        chain.next(40, r -> r.setSender("veilig-thuis").setPurpose("huiselijk-geweld"));
    // The database refuses the 25th record once: the batch's transaction rolls back and is retried.
    db.sql("CREATE SEQUENCE IF NOT EXISTS fail_once_counter").update();
    db.sql(
            "CREATE OR REPLACE FUNCTION fail_once() RETURNS trigger AS $$ BEGIN"
                + " IF NEW.chain_id = '"
                + chain.chainId()
                + "' AND NEW.sequence = 25 AND nextval('fail_once_counter') = 1 THEN"
                + " RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
        .update();
    db.sql(
            "CREATE TRIGGER fail_once BEFORE INSERT ON audit_record FOR EACH ROW EXECUTE FUNCTION fail_once()")
        .update();

    ingest(records);

    assertThat(db.sql("SELECT last_value FROM fail_once_counter").query(Long.class).single())
        .as("the failure happened")
        .isGreaterThanOrEqualTo(1);
    assertThat(rows(chain.chainId())).as("each record once").isEqualTo(40);
    await().atMost(WAIT).until(() -> positionsAtEnd());
  }

  @Test
  void unreadableRecordsAreRecordedAndTheIngestGoesOn() {
    publishRaw("garbage", "not an audit record".getBytes(StandardCharsets.UTF_8));
    publishRaw("empty", new byte[0]);
    AuditTrail chain = AuditTrail.of("riec");
    List<AuditTrail.Sealed> after = chain.next(3);
    ingest(after);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        db.sql("SELECT problem FROM ingest_problem ORDER BY problem")
                            .query(String.class)
                            .list())
                    .containsExactly("EMPTY", "UNDECODABLE"));
    assertThat(rows(chain.chainId())).isEqualTo(3);
  }

  /**
   * Whether the stored position of every hub.audit partition is its end: everything published is
   * indexed.
   */
  private boolean positionsAtEnd() {
    long stored =
        db.sql("SELECT coalesce(sum(next_offset), 0) FROM ingest_position")
            .query(Long.class)
            .single();
    return stored == endOffsets();
  }

  @Autowired ConsumerFactory<Object, Object> consumers;

  private long endOffsets() {
    try (var consumer = consumers.createConsumer("end-offsets", null)) {
      var partitions =
          consumer.partitionsFor("hub.audit").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
