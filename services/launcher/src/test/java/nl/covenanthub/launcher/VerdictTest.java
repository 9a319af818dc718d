package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * What {@code bin/chaos} counts at the end, on a small world made by hand: police signal a case to
 * lzn and withdraw it, and lzn acknowledges; the hub must have delivered and audited the signal,
 * told lzn of the withdrawal once, passed the acknowledgement on, and signed the chain's last
 * record. Each way of breaking one of these shows in the count that names it.
 */
class VerdictTest {
  private static final String OUTBOX = "partner.politie.outbox";
  private static final String CHAIN = OUTBOX + "-0";
  private static final Traffic.Published SIGNAL = new Traffic.Published(OUTBOX, 0, 10, "e-1");
  private static final Traffic.Published WITHDRAWAL = new Traffic.Published(OUTBOX, 0, 11, "e-2");
  private static final Traffic.Published ACK =
      new Traffic.Published("partner.lzn.outbox", 0, 5, "e-3");
  private static final HeadSignatures.Signer HUBS =
      HeadSignatures.Signer.of(HeadSignatures.DEMO_PRIVATE_KEY, HeadSignatures.DEMO_PUBLIC_KEY);
  private static final HeadSignatures.Verifier CHECKER =
      HeadSignatures.Verifier.of(List.of(HeadSignatures.DEMO_PUBLIC_KEY));

  /** The audit and the inboxes of the world as it should be, to be broken by each test. */
  private final List<AuditRecord> audit = new ArrayList<>();

  private final List<String> inboxIds = new ArrayList<>();
  private final List<Traffic.Published> events = new ArrayList<>(List.of(SIGNAL, WITHDRAWAL, ACK));
  private final List<Traffic.NoticeRequest> noticeRequests =
      new ArrayList<>(List.of(new Traffic.NoticeRequest(WITHDRAWAL, SIGNAL)));
  private final List<String> acceptedOverHttp = new ArrayList<>();
  private final List<String> refusedOverHttp = new ArrayList<>();

  VerdictTest() {
    decided(SIGNAL, "CaseSignal", "lzn", AuditDecision.DISCLOSED, "d-1");
    decided(WITHDRAWAL, "CaseStatusChange", "lzn", AuditDecision.WITHHELD, "d-2");
    decided(WITHDRAWAL, Verdict.WITHDRAWAL_NOTICE, "lzn", AuditDecision.DISCLOSED, "n-1");
    decided(ACK, Verdict.ACKNOWLEDGEMENT, "politie", AuditDecision.DISCLOSED, "a-1");
    inboxIds.addAll(List.of("d-1", "n-1", "a-1"));
  }

  @Test
  void aWorldThatKeptItsPromisesHolds() {
    Verdict verdict = verdict(signedHead(lastRecord()));
    assertThat(verdict.holds()).isTrue();
    assertThat(verdict.line())
        .isEqualTo(
            "events=3 delivered=3 withheld=1 deadlettered=0 lost=0 duplicated=0 unaudited=0"
                + " chain_breaks=0 console_missing=0 kills=1");
  }

  @Test
  void aWithdrawalNotToldToARecipientOfItsCaseIsLost() {
    audit.remove(2);
    rehashFrom(2);
    inboxIds.remove("n-1");
    Verdict verdict = verdict(signedHead(lastRecord()));
    assertThat(verdict.lost()).isEqualTo(1);
    assertThat(verdict.holds()).isFalse();
  }

  @Test
  void aWithdrawalToldTwiceOrToAPartnerThatGotNothingIsDuplicated() {
    decided(WITHDRAWAL, Verdict.WITHDRAWAL_NOTICE, "lzn", AuditDecision.DISCLOSED, "n-1");
    assertThat(verdict(signedHead(lastRecord())).duplicated()).as("told twice").isEqualTo(1);

    audit.remove(audit.size() - 1);
    decided(WITHDRAWAL, Verdict.WITHDRAWAL_NOTICE, "riec", AuditDecision.DISCLOSED, "n-2");
    inboxIds.add("n-2");
    assertThat(verdict(signedHead(lastRecord())).duplicated())
        .as("told a partner that received nothing of the case")
        .isEqualTo(1);
  }

  @Test
  void anErasureRequestIsHeldToTheSamePromiseAsAWithdrawal() {
    // A second case, to lzn and veilig-thuis; its sender asks erasure, and the hub tells lzn only.
    Traffic.Published signal = new Traffic.Published(OUTBOX, 0, 12, "e-4");
    Traffic.Published erasure = new Traffic.Published(OUTBOX, 0, 13, "e-5");
    decided(signal, "CaseSignal", "lzn", AuditDecision.DISCLOSED, "d-3");
    decided(signal, "CaseSignal", "veilig-thuis", AuditDecision.DISCLOSED, "d-4");
    decided(erasure, Verdict.WITHDRAWAL_NOTICE, "lzn", AuditDecision.DISCLOSED, "n-2");
    inboxIds.addAll(List.of("d-3", "d-4", "n-2"));
    noticeRequests.add(new Traffic.NoticeRequest(erasure, signal));
    events.addAll(List.of(signal, erasure));

    Verdict verdict = verdict(signedHead(lastRecord()));
    assertThat(verdict.lost()).as("veilig-thuis not told").isEqualTo(1);

    decided(erasure, Verdict.WITHDRAWAL_NOTICE, "veilig-thuis", AuditDecision.DISCLOSED, "n-3");
    inboxIds.add("n-3");
    verdict = verdict(signedHead(lastRecord()));
    assertThat(verdict.holds()).as("both told").isTrue();
    assertThat(verdict.events()).isEqualTo(5);
  }

  @Test
  void anEventOverHttpMustBeDecidedAndDisclosedOnceHoweverOftenItReachedTheOutbox() {
    // lzn posted e-6; the hub that took it died before answering, and the retry reached the
    // outbox again: the first copy is disclosed to politie, the second refused as a duplicate.
    Traffic.Published first = new Traffic.Published("partner.lzn.outbox", 1, 7, "e-6");
    Traffic.Published again = new Traffic.Published("partner.lzn.outbox", 1, 8, "e-6");
    decided(first, "CaseSignal", "politie", AuditDecision.DISCLOSED, "d-5");
    decided(again, "CaseSignal", null, AuditDecision.REJECTED, "r-1");
    inboxIds.add("d-5");
    acceptedOverHttp.add("e-6");
    Verdict verdict = verdict(signedHead(lastRecord()), List.of(dead(again)));
    assertThat(verdict.holds()).as("decided once").isTrue();
    assertThat(verdict.events()).isEqualTo(4);

    AuditRecord rejected = lastRecord();
    rejected.setDecision(AuditDecision.DISCLOSED);
    rejected.setRecipient("politie");
    rehashFrom(audit.size() - 1);
    inboxIds.add("r-1");
    assertThat(verdict(signedHead(lastRecord())).duplicated())
        .as("disclosed twice to politie")
        .isEqualTo(1);

    acceptedOverHttp.add("e-7");
    assertThat(verdict(signedHead(lastRecord())).lost()).as("accepted, never decided").isEqualTo(1);
  }

  @Test
  void aValidEventNoHubAcceptedOverHttpIsLost() {
    refusedOverHttp.add("e-8");
    assertThat(verdict(signedHead(lastRecord())).lost()).isEqualTo(1);
  }

  @Test
  void anAcknowledgementNotPassedOnToThePartnerThatWithdrewIsLost() {
    AuditRecord passedOn = audit.get(3);
    passedOn.setDecision(AuditDecision.WITHHELD);
    rehashFrom(3);
    inboxIds.remove("a-1");
    assertThat(verdict(signedHead(lastRecord())).lost()).isEqualTo(1);
  }

  @Test
  void aDisclosureAuditedButNeverDeliveredIsLost() {
    inboxIds.remove("d-1");
    assertThat(verdict(signedHead(lastRecord())).lost()).isEqualTo(1);
  }

  @Test
  void aDeliveryWithoutItsAuditRecordIsUnaudited() {
    inboxIds.add("d-unknown");
    assertThat(verdict(signedHead(lastRecord())).unaudited()).isEqualTo(1);
  }

  @Test
  void aChainWhoseSignedHeadIsMissingBehindOrNotTheHubsIsBroken() {
    assertThat(verdict().chainBreaks()).as("no head").isEqualTo(1);
    assertThat(verdict(signedHead(audit.get(1))).chainBreaks()).as("behind").isEqualTo(1);

    ConsumerRecord<String, byte[]> forged =
        headRecord(
            head(lastRecord()),
            new RecordHeader(
                HeadSignatures.KEY_ID_HEADER, HUBS.keyId().getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(HeadSignatures.SIGNATURE_HEADER, new byte[64]));
    assertThat(verdict(forged).chainBreaks()).as("not signed by the hubs' key").isEqualTo(1);
  }

  @Test
  void aChainRehashedAfterATamperedRecordIsBrokenAtItsHead() {
    // Whoever rewrites a record and re-hashes the rest keeps the links; the signed head differs.
    ConsumerRecord<String, byte[]> head = signedHead(lastRecord());
    AuditRecord first = audit.get(0);
    first.setRecipient("riec");
    rehashFrom(0);
    assertThat(Verdict.linkBreaks(audit)).isEmpty();
    assertThat(verdict(head).chainBreaks()).isEqualTo(1);
  }

  private Verdict verdict(ConsumerRecord<String, byte[]> head) {
    return verdict(List.of(head));
  }

  private Verdict verdict() {
    return verdict(List.of());
  }

  private Verdict verdict(List<ConsumerRecord<String, byte[]>> heads) {
    return verdict(heads, List.of());
  }

  private Verdict verdict(
      ConsumerRecord<String, byte[]> head, List<ConsumerRecord<String, byte[]>> deadLetters) {
    return verdict(List.of(head), deadLetters);
  }

  private Verdict verdict(
      List<ConsumerRecord<String, byte[]>> heads,
      List<ConsumerRecord<String, byte[]>> deadLetters) {
    List<ConsumerRecord<String, byte[]>> inboxes = new ArrayList<>();
    for (String id : inboxIds) {
      inboxes.add(
          record(
              "partner.lzn.inbox",
              new byte[0],
              new RecordHeader("disclosure-id", id.getBytes(StandardCharsets.UTF_8))));
    }
    Set<String> indexed = new java.util.HashSet<>();
    audit.forEach(a -> indexed.add(a.getChainId() + "#" + a.getSequence()));
    return Verdict.of(
        new Verdict.Observed(List.copyOf(audit), inboxes, deadLetters, heads),
        new Verdict.Sent(
            events, List.of(), noticeRequests, List.of(ACK), acceptedOverHttp, refusedOverHttp),
        indexed,
        CHECKER,
        1);
  }

  /** The dead letter of a refused outbox record. */
  private static ConsumerRecord<String, byte[]> dead(Traffic.Published source) {
    return record(
        "hub.deadletter",
        new byte[0],
        new RecordHeader("deadletter-source-topic", bytes(source.topic())),
        new RecordHeader("deadletter-source-partition", bytes(source.partition())),
        new RecordHeader("deadletter-source-offset", bytes(source.offset())));
  }

  private static byte[] bytes(Object value) {
    return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
  }

  private void decided(
      Traffic.Published source,
      String eventType,
      String recipient,
      AuditDecision decision,
      String disclosureId) {
    AuditRecord record =
        AuditRecord.newBuilder()
            .setTraceId("0".repeat(32))
            .setSpanId("0".repeat(16))
            .setDisclosureId(disclosureId)
            .setDecision(decision)
            .setEventId(source.eventId())
            .setEventType(eventType)
            .setSender("politie")
            .setRecipient(recipient)
            .setDecidedAt(java.time.Instant.parse("2026-12-07T20:00:00Z"))
            .setSourceTopic(source.topic())
            .setSourcePartition(source.partition())
            .setSourceOffset(source.offset())
            .setChainId(CHAIN)
            .setSequence(audit.size() + 1L)
            .setPreviousHash("")
            .setHash("")
            .build();
    audit.add(record);
    rehashFrom(audit.size() - 1);
  }

  /**
   * Numbers, links and seals the chain from {@code index} on, as the hub (or a careful forger)
   * would.
   */
  private void rehashFrom(int index) {
    for (int i = index; i < audit.size(); i++) {
      AuditRecord record = audit.get(i);
      record.setSequence(i + 1L);
      record.setPreviousHash(i == 0 ? AuditHash.GENESIS : audit.get(i - 1).getHash());
      record.setHash(AuditHash.of(record));
    }
  }

  private AuditRecord lastRecord() {
    return audit.get(audit.size() - 1);
  }

  private static ChainHead head(AuditRecord last) {
    return new ChainHead(last.getChainId(), last.getSequence(), last.getHash());
  }

  private static ConsumerRecord<String, byte[]> signedHead(AuditRecord last) {
    ChainHead head = head(last);
    return headRecord(
        head,
        new RecordHeader(
            HeadSignatures.KEY_ID_HEADER, HUBS.keyId().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader(HeadSignatures.SIGNATURE_HEADER, HUBS.sign(head)));
  }

  private static ConsumerRecord<String, byte[]> headRecord(
      ChainHead head, RecordHeader... headers) {
    try {
      java.nio.ByteBuffer buffer = head.toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return record("hub.audit.chain", bytes, headers);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ConsumerRecord<String, byte[]> record(
      String topic, byte[] value, RecordHeader... headers) {
    return new ConsumerRecord<>(
        topic,
        0,
        0,
        ConsumerRecord.NO_TIMESTAMP,
        TimestampType.NO_TIMESTAMP_TYPE,
        0,
        value.length,
        null,
        value,
        new RecordHeaders(headers),
        java.util.Optional.empty());
  }
}
