package nl.covenanthub.covenant;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A rule's field treatments spread over the leaf fields of one event type: a path that names a
 * record covers all its leaves, and a more specific path overrides it. Leaves not in the map do not
 * pass.
 */
final class LeafTreatments {
  private LeafTreatments() {}

  /**
   * Leaf path to treatment; paths the schema does not know are left out (the validator reports
   * them).
   */
  static Map<String, Treatment> of(Rule rule, EventSchema schema) {
    Map<String, Treatment> leaves = new LinkedHashMap<>();
    rule.fields().entrySet().stream()
        .sorted(Comparator.comparingInt(e -> depth(e.getKey())))
        .forEach(
            e -> schema.leavesUnder(e.getKey()).forEach(leaf -> leaves.put(leaf, e.getValue())));
    return leaves;
  }

  /**
   * The path in the rule that decides {@code leaf}: the leaf itself or its nearest named ancestor.
   */
  static Optional<String> namedPathFor(Rule rule, String leaf) {
    String path = leaf;
    while (true) {
      if (rule.fields().containsKey(path)) {
        return Optional.of(path);
      }
      int dot = path.lastIndexOf('.');
      if (dot < 0) {
        return Optional.empty();
      }
      path = path.substring(0, dot);
    }
  }

  private static int depth(String path) {
    return (int) path.chars().filter(c -> c == '.').count();
  }
}
