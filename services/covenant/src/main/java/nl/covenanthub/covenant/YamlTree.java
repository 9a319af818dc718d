package nl.covenanthub.covenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as a JSON tree (for JSON Schema validation and mapping) together with the line of
 * every node, so that any problem found later can name its line.
 */
final class YamlTree {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  final JsonNode root;
  final Map<String, Integer> lines = new HashMap<>();
  final List<Problem> problems = new java.util.ArrayList<>();

  private final String file;

  /** The collections being converted, outermost first: an alias to one of them is a cycle. */
  private final java.util.Set<Node> enclosing =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private YamlTree(String file, Node node) {
    this.file = file;
    this.root = convert(node, "");
  }

  /**
   * Parses {@code text}; YAML syntax errors and duplicate keys come back as problems, not
   * exceptions.
   */
  static YamlTree parse(String file, String text) throws CovenantException {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setAllowRecursiveKeys(false);
    Node node;
    try {
      node = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw new CovenantException(
          List.of(new Problem(file, line, "malformed YAML: " + e.getProblem())));
    } catch (RuntimeException e) {
      throw new CovenantException(
          List.of(new Problem(file, 1, "malformed YAML: " + e.getMessage())));
    }
    if (node == null) {
      throw new CovenantException(List.of(new Problem(file, 1, "the file is empty")));
    }
    YamlTree tree = new YamlTree(file, node);
    if (!tree.problems.isEmpty()) {
      throw new CovenantException(tree.problems);
    }
    return tree;
  }

  /** The line of the node at {@code pointer}, or of its nearest enclosing node that has one. */
  static int lineOf(Map<String, Integer> lines, String pointer) {
    String p = pointer;
    while (!p.isEmpty() && !lines.containsKey(p)) {
      p = p.substring(0, p.lastIndexOf('/'));
    }
    return lines.getOrDefault(p, 1);
  }

  int lineOf(String pointer) {
    return lineOf(lines, pointer);
  }

  private JsonNode convert(Node node, String pointer) {
    lines.putIfAbsent(pointer, node.getStartMark().getLine() + 1);
    if (node instanceof ScalarNode scalar) {
      return scalar(scalar);
    }
    if (!enclosing.add(node)) {
      // YAML lets an alias refer to a collection that contains it; as a tree it would never end.
      problems.add(new Problem(file, line(node), "an alias refers to a collection that holds it"));
      return JSON.nullNode();
    }
    try {
      return collection(node, pointer);
    } finally {
      enclosing.remove(node);
    }
  }

  private JsonNode collection(Node node, String pointer) {
    if (node instanceof MappingNode mapping) {
      ObjectNode object = JSON.objectNode();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
          problems.add(new Problem(file, line(tuple.getKeyNode()), "keys must be plain text"));
          continue;
        }
        String key = keyNode.getValue();
        String child = pointer + "/" + LoadedCovenant.escape(key);
        if (object.has(key)) {
          problems.add(new Problem(file, line(keyNode), "duplicate key '" + key + "'"));
          continue;
        }
        // A value's line is the line of its key: that is where a reader looks for "subject.bsn:
        // pass".
        lines.put(child, line(keyNode));
        object.set(key, convert(tuple.getValueNode(), child));
      }
      return object;
    }
    if (node instanceof SequenceNode sequence) {
      ArrayNode array = JSON.arrayNode();
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        array.add(convert(items.get(i), pointer + "/" + i));
      }
      return array;
    }
    throw new IllegalArgumentException("a YAML node that is neither text nor a collection");
  }

  private static JsonNode scalar(ScalarNode node) {
    Tag tag = node.getTag();
    String value = node.getValue();
    if (Tag.NULL.equals(tag)) {
      return JSON.nullNode();
    }
    if (Tag.BOOL.equals(tag)) {
      return JSON.booleanNode(Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT)));
    }
    if (Tag.INT.equals(tag)) {
      try {
        BigInteger number = new BigInteger(value.replace("_", ""));
        return number.bitLength() < 32
            ? JSON.numberNode(number.intValue())
            : number.bitLength() < 64
                ? JSON.numberNode(number.longValue())
                : JSON.numberNode(number);
      } catch (NumberFormatException e) {
        return JSON.textNode(value);
      }
    }
    // Dates, floats and everything else stay text: the model parses what it needs, with clear
    // errors.
    return JSON.textNode(value);
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }
}
