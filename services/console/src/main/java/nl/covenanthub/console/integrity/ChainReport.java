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
}
