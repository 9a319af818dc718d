package nl.covenanthub.covenant;

import java.time.Period;
import java.util.Objects;

/**
 * Hit/no-hit matching a purpose allows (the Verwijsindex idea): when two parties hold open cases
 * about the same data subject under the purpose, each is told the other's contact and case
 * reference, never content.
 *
 * @param legalBasis the legal basis of matching itself
 * @param keepFor how long a signal counts for matching after it was made (the Verwijsindex keeps
 *     one at most two years)
 */
public record Matching(String legalBasis, Period keepFor) {
  /** The longest a signal may count for matching. */
  public static final Period LONGEST = Period.ofYears(2);

  public Matching {
    Objects.requireNonNull(legalBasis, "legalBasis");
    Objects.requireNonNull(keepFor, "keepFor");
  }
}
