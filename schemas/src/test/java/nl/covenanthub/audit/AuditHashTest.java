package nl.covenanthub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import nl.covenanthub.events.SingleObjectEncoding;
import org.junit.jupiter.api.Test;

class AuditHashTest {

  private static AuditRecord record(String detail) {
    return AuditRecord.newBuilder()
        .setTraceId("0af7651916cd43dd8448eb211c80319c")
        .setSpanId("b7ad6b7169203331")
        .setDisclosureId("3f1c5e0e-0000-3000-8000-000000000001")
        .setDecision(AuditDecision.DISCLOSED)
        .setDetail(detail)
        .setEventId("evt-1")
        .setEventType("CaseSignal")
        .setCaseReference("PL-1")
        .setSender("politie")
        .setRecipient("lzn")
        .setPurpose("zorg-en-veiligheid")
        .setLegalBasis("Wpg art. 20")
        .setCovenantId("c")
        .setCovenantVersion(1)
        .setCovenantHash("ab")
        .setRuleIds(List.of("r1"))
        .setDisclosedFields(List.of("caseReference"))
        .setTransformedFields(List.of("narrative"))
        .setWithheldFields(List.of("company.name"))
        .setRetention("P2Y")
        .setSubjectPseudonym("x")
        .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z"))
        .setDecidedAt(Instant.parse("2026-11-29T10:00:00Z"))
        .setSourceTopic("partner.politie.outbox")
        .setSourcePartition(0)
        .setSourceOffset(7)
        .setChainId("partner.politie.outbox-0")
        .setSequence(3)
        .setPreviousHash(AuditHash.GENESIS)
        .setHash("")
        .build();
  }

  @Test
  void sealingInOnePassGivesTheSameBytesAndHashAsEncodingTheSealedRecord() throws Exception {
    for (String detail : List.of("", "short", "x".repeat(300), "ünïcode ✓")) {
      AuditRecord record = record(detail);
      byte[] sealed = AuditHash.sealed(record);
      assertThat(record.getHash())
          .as("hash set on the record")
          .isEqualTo(AuditHash.of(record))
          .hasSize(64);
      assertThat(sealed)
          .as("same as encoding the sealed record")
          .isEqualTo(SingleObjectEncoding.bytes(record));
      AuditRecord decoded = AuditRecord.fromByteBuffer(ByteBuffer.wrap(sealed));
      assertThat(AuditHash.follows(decoded, AuditHash.GENESIS))
          .as("decoded record verifies")
          .isTrue();
    }
  }

  @Test
  void singleObjectEncodingGivesTheBytesOfAvrosOwnEncoder() throws Exception {
    // In this order: each thread reuses one buffer, which a record over 64 KB replaces.
    for (String detail : List.of("", "x".repeat(5000), "x".repeat(70_000), "ünïcode ✓", "")) {
      AuditRecord record = record(detail);
      ByteBuffer avro = record.toByteBuffer();
      byte[] expected = new byte[avro.remaining()];
      avro.get(expected);
      assertThat(SingleObjectEncoding.bytes(record)).isEqualTo(expected);
      ChainHead head = new ChainHead("partner.politie.outbox-0", 12L, "ab".repeat(32));
      ByteBuffer headBytes = head.toByteBuffer();
      assertThat(ChainHead.fromByteBuffer(ByteBuffer.wrap(SingleObjectEncoding.bytes(head))))
          .isEqualTo(head);
      assertThat(SingleObjectEncoding.bytes(head)).hasSize(headBytes.remaining());
    }
  }

  @Test
  void optionalFieldsAreEncodedAsAvroDoesWhetherSetOrNot() throws Exception {
    AuditRecord every = record("set");
    every.setSenderSpanId("00f067aa0ba902b7");
    every.setReason("NO_RULE");
    AuditRecord none = record("");
    for (int field = 0; field < none.getSchema().getFields().size(); field++) {
      if (none.getSchema().getFields().get(field).schema().isNullable()) {
        none.put(field, null);
      }
    }
    assertThat(none.getOccurredAt()).as("a logical type among them").isNull();
    for (AuditRecord record : List.of(every, none)) {
      ByteBuffer avro = record.toByteBuffer();
      byte[] expected = new byte[avro.remaining()];
      avro.get(expected);
      assertThat(SingleObjectEncoding.bytes(record)).isEqualTo(expected);
      assertThat(AuditRecord.fromByteBuffer(ByteBuffer.wrap(SingleObjectEncoding.bytes(record))))
          .isEqualTo(record);
    }
  }

  @Test
  void anyChangeBreaksTheLink() {
    AuditRecord record = record("detail");
    AuditHash.sealed(record);
    record.setRecipient("riec");
    assertThat(AuditHash.follows(record, AuditHash.GENESIS)).isFalse();
    AuditRecord other = record("detail");
    AuditHash.sealed(other);
    assertThat(AuditHash.follows(other, "f".repeat(64))).as("wrong predecessor").isFalse();
  }

  /**
   * A record the hub wrote before {@code senderSpanId} (made by commit 263b5bd's code and kept as
   * bytes): still read, still verified, and a change to it still found.
   */
  @Test
  void aRecordOfTheFirstSchemaVersionIsReadAndStillHolds() throws Exception {
    byte[] written;
    try (var in = getClass().getResourceAsStream("/audit/audit-record-v1.bin")) {
      written = in.readAllBytes();
    }
    AuditHash.trustGeneratedClasses();

    AuditRecord old = AuditRecord.fromByteBuffer(ByteBuffer.wrap(written));

    assertThat(old.getSenderSpanId()).isNull();
    assertThat(old.getHash())
        .isEqualTo("3abd5865d96f61b61ed1230de7f7b1220d82595bcc7190665977baa0173dfeef");
    assertThat(AuditHash.of(old)).as("not its hash in the new version").isNotEqualTo(old.getHash());
    assertThat(AuditHash.follows(old, AuditHash.GENESIS)).as("holds as version 1").isTrue();
    AuditRecord changed = AuditRecord.newBuilder(old).setRecipient("riec").build();
    assertThat(AuditHash.holdsItsHash(changed)).as("a changed field is found").isFalse();
    AuditRecord spanAdded = AuditRecord.newBuilder(old).setSenderSpanId("b7ad6b7169203331").build();
    assertThat(AuditHash.holdsItsHash(spanAdded)).as("a sender span put in is found").isFalse();
  }

  @Test
  void aRecordWithASenderSpanHoldsOnlyInTheCurrentVersion() {
    AuditRecord record = record("with span");
    record.setSenderSpanId("00f067aa0ba902b7");
    AuditHash.sealed(record);
    assertThat(AuditHash.holdsItsHash(record)).isTrue();
    record.setSenderSpanId("00f067aa0ba902b8");
    assertThat(AuditHash.holdsItsHash(record)).as("the span is sealed too").isFalse();
  }
}
