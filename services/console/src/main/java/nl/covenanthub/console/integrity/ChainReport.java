package nl.covenanthub.console.integrity;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The result of verifying one chain over positions {@code firstSequence} to {@code lastSequence}.
 *
 * @param checked records verified before the first break (all of them when intact)
 * @param firstBreak null when the chain holds over the range
 */
public record ChainReport(
    String chainId, long firstSequence, long lastSequence, long checked, ChainBreak firstBreak) {

  @JsonProperty
  public boolean intact() {
    return firstBreak == null;
  }

  /** This chain, found broken at {@code sequence} by a check after its walk. */
  ChainReport brokenAt(ChainBreak.Kind kind, long sequence, String disclosureId, String detail) {
    return new ChainReport(
        chainId,
        firstSequence,
        lastSequence,
        Math.max(0, Math.min(checked, sequence - firstSequence)),
        new ChainBreak(kind, sequence, disclosureId, detail));
  }
}
