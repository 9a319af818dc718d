package nl.covenanthub.console.audit;

import java.util.List;
import nl.covenanthub.covenant.Pseudonymiser;

/**
 * The audit's pseudonyms of one person under every configured version of the hub's subject key, the
 * current one first: while the key is rotated, records made with the previous key are still found.
 * Written as one text, separated by commas (a pseudonym holds none), so that it travels between the
 * console's pages as one parameter.
 */
public final class SubjectPseudonyms {
  private final List<Pseudonymiser> versions;

  public SubjectPseudonyms(List<Pseudonymiser> versions) {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("no version of the subject key");
    }
    this.versions = List.copyOf(versions);
  }

  /** The pseudonyms of the BSN {@code canonicalBsn}, joined. */
  public String of(String canonicalBsn) {
    return String.join(",", versions.stream().map(p -> p.pseudonym(canonicalBsn)).toList());
  }

  /** The pseudonyms in {@code joined}, as {@link #of} writes them. */
  public static List<String> split(String joined) {
    return List.of(joined.split(","));
  }
}
