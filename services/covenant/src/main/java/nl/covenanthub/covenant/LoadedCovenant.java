package nl.covenanthub.covenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A covenant as read from its file: the model, where each part stood in the file (for messages),
 * and the SHA-256 of the file's bytes (for the audit).
 *
 * @param lines JSON pointer of each YAML node (e.g. {@code /rules/0/fields/narrative}) to its
 *     1-based line
 */
public record LoadedCovenant(
    String file, Covenant covenant, Map<String, Integer> lines, String contentHash) {
  public LoadedCovenant {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(covenant, "covenant");
    lines = Map.copyOf(lines);
    Objects.requireNonNull(contentHash, "contentHash");
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
