package nl.covenanthub.covenant;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.generic.IndexedRecord;

/**
 * A test on an event's fields that a rule requires before it applies, e.g. "concerns contains
 * HUISELIJK_GEWELD". Values compare as text, so enum symbols are written as in the schema.
 */
public sealed interface Condition
    permits Condition.Equals,
        Condition.OneOf,
        Condition.Contains,
        Condition.ContainsAny,
        Condition.All {

  /** The field paths this condition reads. */
  List<String> paths();

  /** The operator as written in YAML, for messages. */
  String operator();

  /** Whether the operator expects an array field ({@code contains}) or a single value. */
  default boolean wantsArray() {
    return false;
  }

  /**
   * The values this condition still allows for {@code path}, or empty if it does not restrict that
   * path.
   */
  default Optional<Set<String>> allowedValues(String path) {
    return Optional.empty();
  }

  /** Whether this condition holds for a field's value (text, or a collection of values). */
  boolean holdsFor(Object value);

  /** This condition as a predicate on events of one schema: paths are resolved once, here. */
  default Predicate<IndexedRecord> compile(EventSchema schema) {
    FieldRef field = schema.resolve(paths().get(0)).orElseThrow();
    return event -> holdsFor(field.valueIn(event));
  }

  /**
   * Whether no event can meet both conditions, judged from the values they allow on shared paths.
   */
  static boolean disjoint(Optional<Condition> a, Optional<Condition> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    for (String path : a.get().paths()) {
      Optional<Set<String>> left = a.get().allowedValues(path);
      Optional<Set<String>> right = b.get().allowedValues(path);
      if (left.isPresent() && right.isPresent()) {
        Set<String> both = new HashSet<>(left.get());
        both.retainAll(right.get());
        if (both.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The field equals the value. */
  record Equals(String path, String value) implements Condition {
    public Equals {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }

    public List<String> paths() {
      return List.of(path);
    }

    public String operator() {
      return "equals";
    }

    public Optional<Set<String>> allowedValues(String p) {
      return p.equals(path) ? Optional.of(Set.of(value)) : Optional.empty();
    }

    public boolean holdsFor(Object actual) {
      return actual != null && value.equals(actual.toString());
    }
  }

  /** The field equals one of the values (YAML {@code in}). */
  record OneOf(String path, Set<String> values) implements Condition {
    public OneOf {
      Objects.requireNonNull(path, "path");
      values = Set.copyOf(values);
    }

    public List<String> paths() {
      return List.of(path);
    }

    public String operator() {
      return "in";
    }

    public Optional<Set<String>> allowedValues(String p) {
      return p.equals(path) ? Optional.of(values) : Optional.empty();
    }

    public boolean holdsFor(Object actual) {
      return actual != null && values.contains(actual.toString());
    }
  }

  /** The array field contains the value. */
  record Contains(String path, String value) implements Condition {
    public Contains {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
    }

    public List<String> paths() {
      return List.of(path);
    }

    public String operator() {
      return "contains";
    }

    public boolean wantsArray() {
      return true;
    }

    public boolean holdsFor(Object actual) {
      if (actual instanceof Collection<?> items) {
        for (Object item : items) {
          if (item != null && value.equals(item.toString())) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** The array field contains at least one of the values. */
  record ContainsAny(String path, Set<String> values) implements Condition {
    public ContainsAny {
      Objects.requireNonNull(path, "path");
      values = Set.copyOf(values);
    }

    public List<String> paths() {
      return List.of(path);
    }

    public String operator() {
      return "containsAny";
    }

    public boolean wantsArray() {
      return true;
    }

    public boolean holdsFor(Object actual) {
      if (actual instanceof Collection<?> items) {
        for (Object item : items) {
          if (item != null && values.contains(item.toString())) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** Every one of the conditions holds: what several entries under {@code when} mean. */
  record All(List<Condition> conditions) implements Condition {
    public All {
      conditions = List.copyOf(conditions);
    }

    public static Condition of(Map<String, Condition> byPath) {
      List<Condition> list = List.copyOf(byPath.values());
      return list.size() == 1 ? list.get(0) : new All(list);
    }

    public List<String> paths() {
      return conditions.stream().flatMap(c -> c.paths().stream()).toList();
    }

    public String operator() {
      return "all";
    }

    public Optional<Set<String>> allowedValues(String path) {
      Optional<Set<String>> allowed = Optional.empty();
      for (Condition c : conditions) {
        Optional<Set<String>> these = c.allowedValues(path);
        if (these.isPresent()) {
          Set<String> narrowed = new HashSet<>(these.get());
          allowed.ifPresent(narrowed::retainAll);
          allowed = Optional.of(narrowed);
        }
      }
      return allowed;
    }

    public boolean holdsFor(Object value) {
      throw new UnsupportedOperationException(
          "All tests several fields: compile it against a schema");
    }

    public Predicate<IndexedRecord> compile(EventSchema schema) {
      Predicate<IndexedRecord> all = event -> true;
      for (Condition c : conditions) {
        all = all.and(c.compile(schema));
      }
      return all;
    }
  }
}
