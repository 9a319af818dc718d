package nl.covenanthub.covenant;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Checks what a covenant means, beyond its shape: every party, purpose, event type and field it
 * names exists; sensitive fields pass only with their own legal basis; overlapping rules do not
 * contradict each other; the covenant is in force. Returns every problem with its line.
 */
public final class CovenantValidator {
  private final EventCatalog catalog;

  public CovenantValidator(EventCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Problems of one covenant, judged on {@code today} (an ended covenant is refused). */
  public List<Problem> validate(LoadedCovenant loaded, LocalDate today) {
    return validate(loaded, today, true);
  }

  /**
   * Problems of one covenant, judged on {@code today}; an ended covenant is a problem only when
   * {@code refuseEnded} (lint and preview refuse it; the hub keeps it, inactive).
   */
  public List<Problem> validate(LoadedCovenant loaded, LocalDate today, boolean refuseEnded) {
    Check check = new Check(loaded);
    Covenant covenant = loaded.covenant();
    checkValidity(check, covenant, refuseEnded ? today : LocalDate.MIN);
    checkParties(check, covenant);
    checkPurposes(check, covenant);
    List<Rule> rules = covenant.rules();
    Set<String> ruleIds = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String pointer = "/rules/" + i;
      Rule rule = rules.get(i);
      if (!ruleIds.add(rule.id())) {
        check.problem(pointer + "/id", "rule id '" + rule.id() + "' is used twice");
      }
      checkRule(check, covenant, rule, pointer);
    }
    checkOverlaps(check, rules);
    checkRetention(check, covenant);
    return check.problems;
  }

  /** Problems across covenants that are active together: each purpose belongs to one covenant. */
  public static List<Problem> validateTogether(List<LoadedCovenant> covenants) {
    List<Problem> problems = new ArrayList<>();
    Map<String, LoadedCovenant> owner = new HashMap<>();
    Map<String, LoadedCovenant> byId = new HashMap<>();
    for (LoadedCovenant loaded : covenants) {
      LoadedCovenant sameId = byId.putIfAbsent(loaded.covenant().id(), loaded);
      if (sameId != null) {
        problems.add(
            loaded.problem(
                "/id",
                "covenant '" + loaded.covenant().id() + "' is also defined in " + sameId.file()));
      }
      List<Purpose> purposes = loaded.covenant().purposes();
      for (int i = 0; i < purposes.size(); i++) {
        LoadedCovenant other = owner.putIfAbsent(purposes.get(i).id(), loaded);
        if (other != null && other != loaded) {
          problems.add(
              loaded.problem(
                  "/purposes/" + i + "/id",
                  "purpose '"
                      + purposes.get(i).id()
                      + "' is also a purpose of covenant '"
                      + other.covenant().id()
                      + "' ("
                      + other.file()
                      + "): an event names its purpose, so a purpose must belong to one covenant"));
        }
      }
    }
    return problems;
  }

  private static void checkValidity(Check check, Covenant covenant, LocalDate today) {
    Validity validity = covenant.validity();
    if (validity.isEmpty()) {
      check.problem(
          "/validity/until",
          "validity period is empty: until "
              + validity.until()
              + " is before from "
              + validity.from());
    } else if (validity.hasEndedBefore(today)) {
      check.problem(
          "/validity/until",
          "validity period ended on "
              + validity.until()
              + ": an ended covenant discloses nothing; make a new version with a new period");
    }
  }

  private static void checkParties(Check check, Covenant covenant) {
    Set<String> ids = new java.util.LinkedHashSet<>();
    List<Party> parties = covenant.parties();
    for (int i = 0; i < parties.size(); i++) {
      if (!ids.add(parties.get(i).id())) {
        check.problem(
            "/parties/" + i + "/id", "party '" + parties.get(i).id() + "' is listed twice");
      }
    }
    if (!covenant.hasParty(covenant.coordinator())) {
      check.problem(
          "/coordinator",
          "coordinator '" + covenant.coordinator() + "' is not one of the parties " + ids);
    }
  }

  private static void checkPurposes(Check check, Covenant covenant) {
    Set<String> ids = new HashSet<>();
    List<Purpose> purposes = covenant.purposes();
    for (int i = 0; i < purposes.size(); i++) {
      if (!ids.add(purposes.get(i).id())) {
        check.problem(
            "/purposes/" + i + "/id", "purpose '" + purposes.get(i).id() + "' is listed twice");
      }
      int at = i;
      purposes.get(i).matching().ifPresent(m -> checkMatching(check, purposes.get(at), m, at));
    }
  }

  /**
   * Matching names its own basis, counts a signal at most two years (the Verwijsindex's limit), and
   * rests on the BSN, so the purpose needs a basis for processing it.
   */
  private static void checkMatching(Check check, Purpose purpose, Matching matching, int index) {
    String pointer = "/purposes/" + index + "/matching";
    String label = "purpose '" + purpose.id() + "': matching ";
    if (matching.legalBasis().isBlank()) {
      check.problem(pointer + "/legalBasis", label + "needs a legal basis of its own");
    }
    LocalDate start = LocalDate.of(2000, 1, 1);
    LocalDate end = start.plus(matching.keepFor());
    if (!end.isAfter(start) || end.isAfter(start.plus(Matching.LONGEST))) {
      check.problem(
          pointer + "/keepFor",
          label + "keeps a signal for " + matching.keepFor() + ": more than nothing, at most P2Y");
    }
    if (purpose.legalBasis().bsn().isEmpty()) {
      check.problem(
          pointer,
          label
              + "compares data subjects by their BSN, but the purpose names no legal basis for the"
              + " BSN (legalBasis.bsn)");
    }
  }

  private void checkRule(Check check, Covenant covenant, Rule rule, String pointer) {
    String label = "rule '" + rule.id() + "': ";
    if (!covenant.hasParty(rule.from())) {
      check.problem(
          pointer + "/from",
          label + "sender '" + rule.from() + "' is not a party to this covenant");
    }
    if (!covenant.hasParty(rule.to())) {
      check.problem(
          pointer + "/to", label + "recipient '" + rule.to() + "' is not a party to this covenant");
    }
    if (rule.from().equals(rule.to())) {
      check.problem(pointer + "/to", label + "a party does not disclose to itself");
    }
    Optional<Purpose> purpose = covenant.purpose(rule.purpose());
    if (purpose.isEmpty()) {
      check.problem(
          pointer + "/purpose",
          label + "purpose '" + rule.purpose() + "' is not a purpose of this covenant");
    }
    for (int t = 0; t < rule.eventTypes().size(); t++) {
      String type = rule.eventTypes().get(t);
      Optional<EventSchema> schema = catalog.eventType(type);
      if (schema.isEmpty()) {
        check.problem(
            pointer + "/eventTypes/" + t,
            label + "unknown event type '" + type + "'; known: " + catalog.eventTypes());
        continue;
      }
      checkFields(check, rule, schema.get(), pointer, label);
      rule.when().ifPresent(when -> checkCondition(check, when, schema.get(), pointer, label));
      purpose.ifPresent(p -> checkSensitiveFields(check, rule, p, schema.get(), pointer, label));
    }
  }

  private static void checkFields(
      Check check, Rule rule, EventSchema schema, String pointer, String label) {
    for (Map.Entry<String, Treatment> field : rule.fields().entrySet()) {
      String path = field.getKey();
      String at = fieldPointer(pointer, path);
      Optional<FieldRef> ref = schema.resolve(path);
      if (ref.isEmpty()) {
        check.problem(
            at,
            label
                + "unknown field '"
                + path
                + "' in "
                + schema.eventType()
                + suggestion(schema, path));
        continue;
      }
      Treatment treatment = field.getValue();
      if (ref.get().isRecord()) {
        if (!(treatment instanceof Treatment.Pass || treatment instanceof Treatment.Drop)) {
          check.problem(
              at,
              label
                  + "'"
                  + path
                  + "' is a record: only pass or drop apply to a whole record; "
                  + "name its fields to "
                  + treatment.name()
                  + " them");
        }
        continue;
      }
      treatment
          .unsuitableFor(ref.get().type())
          .ifPresent(why -> check.problem(at, label + path + ": " + why));
    }
  }

  private static void checkCondition(
      Check check, Condition when, EventSchema schema, String pointer, String label) {
    List<Condition> tests = when instanceof Condition.All all ? all.conditions() : List.of(when);
    for (Condition test : tests) {
      String path = test.paths().get(0);
      String at = pointer + "/when/" + LoadedCovenant.escape(path);
      Optional<FieldRef> ref = schema.resolve(path);
      if (ref.isEmpty()) {
        check.problem(
            at,
            label
                + "condition on unknown field '"
                + path
                + "' in "
                + schema.eventType()
                + suggestion(schema, path));
        continue;
      }
      FieldRef field = ref.get();
      if (field.isRecord()) {
        check.problem(at, label + "condition on '" + path + "', a record: test one of its fields");
      } else if (test.wantsArray() != field.isArray()) {
        check.problem(
            at,
            label
                + "'"
                + test.operator()
                + "' "
                + (test.wantsArray()
                    ? "tests a list, but '" + path + "' is a single value: use equals or in"
                    : "tests a single value, but '"
                        + path
                        + "' is a list: use contains or containsAny"));
      } else {
        Schema values = field.isArray() ? field.type().getElementType() : field.type();
        if (values.getType() == Schema.Type.ENUM) {
          for (String value : test.allowedValues(path).orElseGet(() -> conditionValues(test))) {
            if (!values.getEnumSymbols().contains(value)) {
              check.problem(
                  at,
                  label
                      + "'"
                      + value
                      + "' is not a value of "
                      + path
                      + "; it is one of "
                      + values.getEnumSymbols());
            }
          }
        }
      }
    }
  }

  private static Set<String> conditionValues(Condition test) {
    if (test instanceof Condition.Contains c) {
      return Set.of(c.value());
    }
    if (test instanceof Condition.ContainsAny c) {
      return c.values();
    }
    return Set.of();
  }

  private static void checkSensitiveFields(
      Check check, Rule rule, Purpose purpose, EventSchema schema, String pointer, String label) {
    LegalBasis basis = purpose.legalBasis().overriddenBy(rule.legalBasis());
    Set<String> reported = new HashSet<>();
    for (Map.Entry<String, Treatment> leaf : LeafTreatments.of(rule, schema).entrySet()) {
      FieldRef field = schema.resolve(leaf.getKey()).orElseThrow();
      // Problems point at the path the rule names (a record path covers its leaves).
      String at =
          fieldPointer(
              pointer, LeafTreatments.namedPathFor(rule, leaf.getKey()).orElse(leaf.getKey()));
      if (leaf.getValue().discloses() && holdsRecords(field.type())) {
        check.problem(
            at,
            label
                + "'"
                + leaf.getKey()
                + "' is an array, map or union that holds records; the core does not look inside"
                + " it, so it would pass whatever they hold (a BSN, health data) unchecked: drop it");
        continue;
      }
      for (Sensitivity sensitivity : needsBasis(field, leaf.getValue())) {
        if (basis.basisFor(sensitivity).isEmpty() && reported.add(leaf.getKey() + sensitivity)) {
          check.problem(
              at,
              label
                  + "'"
                  + leaf.getKey()
                  + "' is "
                  + missingBasis(sensitivity, purpose)
                  + (sensitivity == Sensitivity.BSN
                      ? "; pseudonymise it instead, or name the law that allows using the BSN"
                      : ""));
        }
      }
    }
    for (Map.Entry<String, Set<Sensitivity>> tested :
        revealedByCondition(rule, schema).entrySet()) {
      for (Sensitivity sensitivity : tested.getValue()) {
        if (basis.basisFor(sensitivity).isEmpty() && reported.add(tested.getKey() + sensitivity)) {
          check.problem(
              pointer + "/when/" + LoadedCovenant.escape(tested.getKey()),
              label
                  + "'"
                  + tested.getKey()
                  + "' is tested in this rule's when, so receiving the event (and its rule-id)"
                  + " tells the recipient that the test held: that counts as disclosing it, and it"
                  + " is "
                  + missingBasis(sensitivity, purpose));
        }
      }
    }
  }

  /**
   * Whether a leaf's type is a container (array, map, union) with records somewhere inside: the
   * core treats such a field whole, so it cannot apply the rules (or see the marks) of their
   * fields. Containers of plain values carry their marks on the field itself.
   */
  static boolean holdsRecords(Schema type) {
    return switch (type.getType()) {
      case ARRAY -> containsRecord(type.getElementType());
      case MAP -> containsRecord(type.getValueType());
      case UNION -> type.getTypes().stream().anyMatch(CovenantValidator::containsRecord);
      default -> false;
    };
  }

  private static boolean containsRecord(Schema type) {
    return type.getType() == Schema.Type.RECORD || holdsRecords(type);
  }

  private static String missingBasis(Sensitivity sensitivity, Purpose purpose) {
    return sensitivity.label()
        + " data, but purpose '"
        + purpose.id()
        + "' names no legalBasis."
        + sensitivity.basisField()
        + " for it";
  }

  /**
   * What a rule's condition reveals, per field it tests: the sensitivities of the values it tests
   * for. An enum can mark its symbols ({@value #SYMBOL_MARKS_ATTRIBUTE}, e.g. HENNEPTEELT as
   * criminal data only); a symbol without marks, and any other field, reveals all the field's
   * marks.
   */
  static Map<String, Set<Sensitivity>> revealedByCondition(Rule rule, EventSchema schema) {
    Map<String, Set<Sensitivity>> revealed = new LinkedHashMap<>();
    rule.when().ifPresent(when -> collectRevealed(when, schema, revealed));
    return revealed;
  }

  static final String SYMBOL_MARKS_ATTRIBUTE = "avgBySymbol";

  private static void collectRevealed(
      Condition test, EventSchema schema, Map<String, Set<Sensitivity>> revealed) {
    if (test instanceof Condition.All all) {
      all.conditions().forEach(c -> collectRevealed(c, schema, revealed));
      return;
    }
    String path = test.paths().get(0);
    Optional<FieldRef> field = schema.resolve(path);
    if (field.isEmpty()) {
      return; // reported by checkCondition
    }
    Set<Sensitivity> marks = revealed.computeIfAbsent(path, p -> EnumSet.noneOf(Sensitivity.class));
    Map<?, ?> bySymbol = symbolMarks(field.get().type());
    Set<String> values = testedValues(test);
    if (bySymbol == null || values.isEmpty()) {
      marks.addAll(field.get().sensitivities());
      return;
    }
    for (String value : values) {
      if (bySymbol.get(value) instanceof List<?> symbolMarks) {
        for (Object mark : symbolMarks) {
          Sensitivity.fromMarking(String.valueOf(mark)).ifPresent(marks::add);
        }
      } else {
        marks.addAll(field.get().sensitivities());
      }
    }
  }

  /** The values a single test looks for. */
  private static Set<String> testedValues(Condition test) {
    if (test instanceof Condition.Equals c) {
      return Set.of(c.value());
    }
    if (test instanceof Condition.OneOf c) {
      return c.values();
    }
    return conditionValues(test);
  }

  /** The symbol marks of an enum, or of the enum items of an array, if it has them. */
  private static Map<?, ?> symbolMarks(Schema type) {
    Schema schema = type;
    if (schema.getType() == Schema.Type.UNION) {
      schema = schema.getTypes().stream().filter(t -> !t.isNullable()).findFirst().orElse(schema);
    }
    if (schema.getType() == Schema.Type.ARRAY) {
      schema = schema.getElementType();
    }
    return schema.getType() == Schema.Type.ENUM
            && schema.getObjectProp(SYMBOL_MARKS_ATTRIBUTE) instanceof Map<?, ?> marks
        ? marks
        : null;
  }

  /**
   * The sensitivities whose own basis a field needs under a treatment: none if nothing of the value
   * is revealed.
   */
  static Set<Sensitivity> needsBasis(FieldRef field, Treatment treatment) {
    Set<Sensitivity> needed = EnumSet.noneOf(Sensitivity.class);
    if (!treatment.revealsValue()) {
      return needed;
    }
    for (Sensitivity s : field.sensitivities()) {
      // A pseudonymised BSN is no longer the BSN (any other form of it, even in part, still is);
      // special-category and criminal data stay personal data when pseudonymised.
      if (s != Sensitivity.BSN || !(treatment instanceof Treatment.Pseudonymise)) {
        needed.add(s);
      }
    }
    return needed;
  }

  private void checkOverlaps(Check check, List<Rule> rules) {
    for (int j = 0; j < rules.size(); j++) {
      for (int i = 0; i < j; i++) {
        Rule first = rules.get(i);
        Rule second = rules.get(j);
        if (!first.from().equals(second.from())
            || !first.to().equals(second.to())
            || !first.purpose().equals(second.purpose())
            || Condition.disjoint(first.when(), second.when())) {
          continue;
        }
        for (String type : second.eventTypes()) {
          Optional<EventSchema> schema = catalog.eventType(type);
          if (first.eventTypes().contains(type) && schema.isPresent()) {
            reportContradictions(check, first, i, second, j, schema.get());
          }
        }
      }
    }
  }

  private static void reportContradictions(
      Check check, Rule first, int i, Rule second, int j, EventSchema schema) {
    Map<String, Treatment> a = LeafTreatments.of(first, schema);
    Map<String, Treatment> b = LeafTreatments.of(second, schema);
    for (Map.Entry<String, Treatment> leaf : b.entrySet()) {
      Treatment other = a.get(leaf.getKey());
      if (other != null && !other.equals(leaf.getValue())) {
        String named = LeafTreatments.namedPathFor(second, leaf.getKey()).orElse(leaf.getKey());
        check.problem(
            fieldPointer("/rules/" + j, named),
            "rule '"
                + second.id()
                + "' gives '"
                + leaf.getKey()
                + "' treatment "
                + leaf.getValue().name()
                + ", but rule '"
                + first.id()
                + "' (line "
                + check.loaded.lineOf("/rules/" + i)
                + ") applies to the same "
                + schema.eventType()
                + " events and gives it "
                + other.name()
                + "; make their conditions exclusive or agree on the field");
        return;
      }
    }
  }

  private static void checkRetention(Check check, Covenant covenant) {
    for (String party : covenant.retention().keySet()) {
      if (!covenant.hasParty(party)) {
        check.problem(
            "/retention/" + LoadedCovenant.escape(party),
            "retention for '" + party + "', which is not a party");
      }
    }
    List<Rule> rules = covenant.rules();
    Set<String> reported = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String recipient = rules.get(i).to();
      if (!covenant.retention().containsKey(recipient)
          && covenant.hasParty(recipient)
          && reported.add(recipient)) {
        check.problem(
            "/rules/" + i + "/to",
            "recipient '" + recipient + "' has no retention period under 'retention'");
      }
    }
  }

  private static String suggestion(EventSchema schema, String path) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    List<String> similar =
        schema.paths().stream()
            .filter(p -> p.endsWith("." + name) || p.equals(name) || p.equalsIgnoreCase(path))
            .toList();
    return similar.isEmpty() ? "" : "; did you mean " + String.join(" or ", similar) + "?";
  }

  private static String fieldPointer(String rulePointer, String path) {
    return rulePointer + "/fields/" + LoadedCovenant.escape(path);
  }

  /** Problems found so far, placed at their lines. */
  private static final class Check {
    final LoadedCovenant loaded;
    final List<Problem> problems = new ArrayList<>();

    Check(LoadedCovenant loaded) {
      this.loaded = loaded;
    }

    void problem(String pointer, String message) {
      problems.add(loaded.problem(pointer, message));
    }
  }
}
