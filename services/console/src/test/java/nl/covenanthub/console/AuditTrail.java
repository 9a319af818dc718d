package nl.covenanthub.console;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;

/**
 * Writes audit records as the hub does: one hash chain per outbox partition, each record sealed
 * with {@link AuditHash} and linked to the one before, the data subject pseudonymised with the
 * hub's key and code.
 */
public final class AuditTrail {
  /** The hub's pseudonymiser with the tests' key (COVENANT_KEY_SUBJECT_KEY, set by the build). */
  public static final Pseudonymiser SUBJECTS =
      Pseudonymiser.forAuditSubject("subject-key", KeyRing.fromEnvironment());

  private final String sourceTopic;
  private final int sourcePartition;
  private long sequence;
  private String previousHash = AuditHash.GENESIS;

  /** The sealed record and its single-object encoding, as the hub writes it to hub.audit. */
  public record Sealed(AuditRecord record, byte[] bytes) {
    public String chainId() {
      return record.getChainId();
    }
  }

  private AuditTrail(String sourceTopic, int sourcePartition) {
    this.sourceTopic = sourceTopic;
    this.sourcePartition = sourcePartition;
  }

  /** A new chain of {@code sender}'s outbox, on a partition no other test uses. */
  public static AuditTrail of(String sender) {
    return new AuditTrail(
        "partner." + sender + ".outbox", ThreadLocalRandom.current().nextInt(1_000, 1_000_000));
  }

  public String chainId() {
    return sourceTopic + "-" + sourcePartition;
  }

  /**
   * The next record of the chain: a disclosure from politie to lzn decided now, changed by {@code
   * change}.
   */
  public Sealed next(Consumer<AuditRecord.Builder> change) {
    sequence++;
    String disclosureId = UUID.randomUUID().toString();
    AuditRecord.Builder builder =
        AuditRecord.newBuilder()
            .setTraceId(hex(16))
            .setSpanId(hex(8))
            .setDisclosureId(disclosureId)
            .setDecision(AuditDecision.DISCLOSED)
            .setEventId(UUID.randomUUID().toString())
            .setEventType("CaseSignal")
            .setCaseReference("PL0600-2026-" + (100_000 + sequence))
            .setSender("politie")
            .setRecipient("lzn")
            .setPurpose("zorg-en-veiligheid")
            .setLegalBasis("Wpg art. 20; AVG art. 6(1)(e)")
            .setCovenantId("zorg-en-veiligheid-west-maas-en-waal")
            .setCovenantVersion(1)
            .setCovenantHash(hex(32))
            .setRuleIds(List.of("politie-signaal-zorg-aan-lzn"))
            .setDisclosedFields(
                List.of(
                    "caseReference",
                    "subject.bsn",
                    "subject.name",
                    "subject.birthDate",
                    "concerns"))
            .setTransformedFields(List.of("narrative"))
            .setWithheldFields(List.of("subject.address"))
            .setRetention("P2Y")
            .setSubjectPseudonym(SUBJECTS.pseudonym("999990019"))
            .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(2))
            .setDecidedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
            .setSourceTopic(sourceTopic)
            .setSourcePartition(sourcePartition)
            .setSourceOffset(sequence - 1);
    change.accept(builder);
    AuditRecord record =
        builder
            .setChainId(chainId())
            .setSequence(sequence)
            .setPreviousHash(previousHash)
            .setHash("")
            .build();
    byte[] bytes = AuditHash.sealed(record);
    previousHash = record.getHash();
    return new Sealed(record, bytes);
  }

  public Sealed next() {
    return next(record -> {});
  }

  /** The next {@code count} records, each changed by {@code change}. */
  public List<Sealed> next(int count, Consumer<AuditRecord.Builder> change) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> next(change)).toList();
  }

  public List<Sealed> next(int count) {
    return next(count, record -> {});
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
