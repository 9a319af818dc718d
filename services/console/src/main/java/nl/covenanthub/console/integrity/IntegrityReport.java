package nl.covenanthub.console.integrity;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * The result of an integrity check: one report per chain.
 *
 * @param chainId the chain checked, or null for all
 * @param from start of the decidedAt range checked (inclusive), or null from the beginning
 * @param to end of the range (exclusive), or null up to the newest record
 * @param anchoring what the index was compared with outside the console's database, in words
 */
public record IntegrityReport(
    Instant checkedAt,
    String chainId,
    Instant from,
    Instant to,
    List<ChainReport> chains,
    String anchoring) {
  public IntegrityReport {
    chains = List.copyOf(chains);
  }

  @JsonProperty
  public boolean intact() {
    return chains.stream().allMatch(ChainReport::intact);
  }

  @JsonProperty
  public long checked() {
    return chains.stream().mapToLong(ChainReport::checked).sum();
  }

  /** The chains that do not hold. */
  public List<ChainReport> broken() {
    return chains.stream().filter(chain -> !chain.intact()).toList();
  }
}
