package nl.covenanthub.console.integrity;

/**
 * The first place where a hash chain does not hold.
 *
 * @param sequence the chain position where it breaks
 * @param disclosureId the record at that position, or null when it is missing
 * @param detail what is wrong, in words (never a field's value)
 */
public record ChainBreak(Kind kind, long sequence, String disclosureId, String detail) {

  public enum Kind {
    /** The stored record is not what the hub sealed: its fields no longer give its hash. */
    ALTERED,
    /** A record of the chain is not there (removed, or never indexed). */
    MISSING,
    /**
     * The record is intact in itself but does not name its predecessor's hash: something was
     * replaced or inserted.
     */
    BROKEN_LINK,
    /** Two different records were read at one chain position: the hub's chain forked. */
    FORKED,
    /**
     * The chain holds in the index but is not what the hub wrote: its record differs from the one
     * in hub.audit, or from the head the hub signed. Rewritten and re-hashed in the database.
     */
    UNANCHORED
  }
}
