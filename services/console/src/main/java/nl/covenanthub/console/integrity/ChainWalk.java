package nl.covenanthub.console.integrity;

import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.console.audit.Disclosure;

/**
 * Walks one chain's stored records in sequence order from an anchor (the genesis, a retention
 * checkpoint or the record before a range) and remembers the first break: a gap, a record whose
 * fields no longer give its hash, or one that does not name its predecessor's hash.
 */
final class ChainWalk {
  private final String chainId;
  private final long firstSequence;
  private final long lastSequence;
  private long expected;
  private String previousHash;
  private long checked;
  private ChainBreak firstBreak;

  /**
   * A walk over positions {@code anchorSequence + 1} to {@code lastSequence}, linking to {@code
   * anchorHash}.
   */
  ChainWalk(String chainId, long anchorSequence, String anchorHash, long lastSequence) {
    this.chainId = chainId;
    this.firstSequence = anchorSequence + 1;
    this.lastSequence = lastSequence;
    this.expected = anchorSequence + 1;
    this.previousHash = anchorHash;
  }

  /** A walk that cannot start: the record it would link to is not there. */
  static ChainReport missingAnchor(String chainId, long anchorSequence, long lastSequence) {
    return new ChainReport(
        chainId,
        anchorSequence,
        lastSequence,
        0,
        new ChainBreak(
            ChainBreak.Kind.MISSING,
            anchorSequence,
            null,
            "record " + anchorSequence + ", which the range links to, is missing"));
  }

  void accept(Disclosure stored) {
    if (firstBreak != null) {
      return;
    }
    if (stored.sequence() > expected) {
      firstBreak = missing(expected, stored.sequence() - 1);
      return;
    }
    if (!AuditHash.holdsItsHash(stored.toAuditRecord())) {
      firstBreak =
          new ChainBreak(
              ChainBreak.Kind.ALTERED,
              stored.sequence(),
              stored.disclosureId(),
              "the stored fields no longer give the record's hash: the record was changed after the hub sealed it");
      return;
    }
    if (!stored.previousHash().equals(previousHash)) {
      firstBreak =
          new ChainBreak(
              ChainBreak.Kind.BROKEN_LINK,
              stored.sequence(),
              stored.disclosureId(),
              "the record does not name the hash of record "
                  + (stored.sequence() - 1)
                  + ": a record before it was replaced, or this one was put in");
      return;
    }
    previousHash = stored.hash();
    expected++;
    checked++;
  }

  /** What a walk found, and the hash of the last record it verified (or of its anchor). */
  record Result(ChainReport report, String lastHash) {}

  Result finish() {
    if (firstBreak == null && expected <= lastSequence) {
      firstBreak = missing(expected, lastSequence);
    }
    return new Result(
        new ChainReport(chainId, firstSequence, lastSequence, checked, firstBreak), previousHash);
  }

  private static ChainBreak missing(long first, long last) {
    String which =
        first == last ? "record " + first + " is" : "records " + first + " to " + last + " are";
    return new ChainBreak(ChainBreak.Kind.MISSING, first, null, which + " missing");
  }
}
