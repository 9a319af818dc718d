package nl.covenanthub.covenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A covenant version as read from its YAML: the model, where each part stood in the text (for
 * messages), the hash of its canonical form (for the audit), the text itself, and the parties that
 * have revoked their participation in this version.
 *
 * @param lines JSON pointer of each YAML node (e.g. {@code /rules/0/fields/narrative}) to its
 *     1-based line
 * @param contentHash {@link CovenantLoader#canonicalHash}: what the audit and the inbox name
 * @param source the YAML text as proposed or committed, byte for byte
 * @param revokedBy parties that stopped taking part: nothing is disclosed to or from them under it
 */
public record LoadedCovenant(
    String file,
    Covenant covenant,
    Map<String, Integer> lines,
    String contentHash,
    String source,
    Set<String> revokedBy) {
  public LoadedCovenant {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(covenant, "covenant");
    lines = Map.copyOf(lines);
    Objects.requireNonNull(contentHash, "contentHash");
    Objects.requireNonNull(source, "source");
    revokedBy = Set.copyOf(revokedBy);
  }

  /** The same version after {@code parties} revoked their participation (the content is kept). */
  public LoadedCovenant revokedBy(Set<String> parties) {
    return new LoadedCovenant(file, covenant, lines, contentHash, source, parties);
  }

  public boolean isRevokedBy(String party) {
    return revokedBy.contains(party);
  }

  /** The covenant's id, the key of its versions. */
  public String id() {
    return covenant.id();
  }

  /** The version number, ascending per covenant id. */
  public int version() {
    return covenant.version();
  }

  /** Whether its validity period ended before the day (in Dutch local time) of {@code moment}. */
  public boolean hasEndedAt(java.time.Instant moment) {
    return covenant.validity().hasEndedBefore(java.time.LocalDate.ofInstant(moment, Validity.ZONE));
  }

  /**
   * The moment it stops being in force: the start of the day after its last day, in Dutch local
   * time (for alerts that it is about to end).
   */
  public java.time.Instant endsAt() {
    return covenant.validity().until().plusDays(1).atStartOfDay(Validity.ZONE).toInstant();
  }

  public boolean hasParty(String party) {
    return covenant.hasParty(party);
  }

  /** The covenant's parties: what a service may know of a covenant without reading its rules. */
  public List<Party> parties() {
    return covenant.parties();
  }

  public CovenantRef ref() {
    return new CovenantRef(covenant.id(), covenant.version(), contentHash);
  }

  /** The line of the node at {@code pointer}, or of its nearest enclosing node that has one. */
  public int lineOf(String pointer) {
    return YamlTree.lineOf(lines, pointer);
  }

  public Problem problem(String pointer, String message) {
    return new Problem(file, lineOf(pointer), message);
  }

  /** The pointer segment of a map key: JSON pointer escaping of {@code ~} and {@code /}. */
  public static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
