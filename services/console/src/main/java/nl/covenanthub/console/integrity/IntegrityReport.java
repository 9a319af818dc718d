package nl.covenanthub.console.integrity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import nl.covenanthub.console.Said;

/**
 * The result of an integrity check: one report per chain.
 *
 * @param chainId the chain checked, or null for all
 * @param from start of the decidedAt range checked (inclusive), or null from the beginning
 * @param to end of the range (exclusive), or null up to the newest record
 * @param anchoredAs what the index was compared with outside the console's database, in words
 * @param rehashed records whose hash this check computed again (the others of {@code checked} were
 *     re-hashed by an earlier walk, at {@code rehashedBefore} or later)
 * @param rehashedBefore when the oldest earlier walk this check went on from re-hashed its records,
 *     or null when this check re-hashed every record itself
 */
public record IntegrityReport(
    Instant checkedAt,
    String chainId,
    Instant from,
    Instant to,
    List<ChainReport> chains,
    @JsonIgnore Said anchoredAs,
    long rehashed,
    Instant rehashedBefore) {
  public IntegrityReport {
    chains = List.copyOf(chains);
  }

  @JsonProperty
  public boolean intact() {
    return chains.stream().allMatch(ChainReport::intact);
  }

  /** What the index was compared with, in English (the API's {@code anchoring}). */
  @JsonProperty
  public String anchoring() {
    return anchoredAs.getDefaultMessage();
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
