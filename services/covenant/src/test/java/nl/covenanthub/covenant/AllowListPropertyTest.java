package nl.covenanthub.covenant;

import static nl.covenanthub.covenant.RandomCovenants.ABSENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.covenant.RandomCovenants.Statistics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Data minimisation as a property: whatever the covenant and the event, a recipient sees only
 * fields that a rule applying to that event lets pass, each treated as the rule says, and nothing
 * where no rule applies. The expected outcome comes from {@link RandomCovenants#expect}, which
 * reads the rules itself.
 */
class AllowListPropertyTest {

  /** A covenant and the moment, inside its validity, at which it is compiled and decides. */
  record Scenario(Covenant covenant, Instant at) {}

  /** A covenant and a moment inside its validity. */
  static Gen<Scenario> scenarios() {
    return RandomCovenants.covenants()
        .flatMap(c -> RandomCovenants.instantsWithin(c.validity()).map(at -> new Scenario(c, at)));
  }

  /**
   * 300 examples from {@link RandomCovenants#SEED}, a fixed seed: every run tries the same
   * examples, so a failure shows again on the next run and the coverage counts below are the same
   * each time.
   */
  @Test
  void noFieldOutsideTheAllowListReachesARecipient() {
    int examples = 300;
    Statistics statistics =
        new Statistics("AllowListPropertyTest:noFieldOutsideTheAllowListReachesARecipient");
    qt().withFixedSeed(RandomCovenants.SEED)
        .withExamples(examples)
        .withShrinkCycles(RandomCovenants.SHRINK_CYCLES)
        .forAll(scenarios(), RandomCovenants.eventLists())
        .checkAssert(
            (scenario, events) ->
                noFieldOutsideTheAllowListReachesARecipient(scenario, events, statistics));
    System.out.print(statistics);

    statistics.checkCount("covenant", examples * 95 / 100);
    // Contradicting overlaps are refused by design; this keeps them from crowding out the rest.
    statistics.checkAtLeast("covenant", "compiled", 0.60);
    statistics.checkAtMost("views per covenant", "0", 0.25);
    // Several rules meeting one event is where plans are merged: make sure that happens often
    // enough.
    statistics.checkAtLeast("a view from several rules", true, 0.10);
  }

  private static void noFieldOutsideTheAllowListReachesARecipient(
      Scenario scenario, List<GenericData.Record> events, Statistics statistics) {
    Optional<CovenantSet> compiled = RandomCovenants.compile(scenario.covenant(), scenario.at());
    statistics.collect("covenant", compiled.isPresent() ? "compiled" : "refused: rules contradict");
    if (compiled.isEmpty()) {
      return; // The validator refused it, as compile has checked it must: nothing to decide with.
    }
    CovenantSet set = compiled.get();

    int views = 0;
    int fromSeveralRules = 0;
    Set<String> treatmentsSeen = new LinkedHashSet<>();
    for (GenericData.Record event : withEveryRuleMet(scenario.covenant(), events)) {
      EventSchema schema = RandomCovenants.schema(event.getSchema().getName());
      for (PlanKey key : RandomCovenants.keys(schema.eventType())) {
        Decision decision =
            set.decide(key.sender(), key.recipient(), key.purpose(), event, scenario.at());
        RandomCovenants.Expectation expected =
            RandomCovenants.expect(scenario.covenant(), key, event, scenario.at());
        String where = key + " at " + scenario.at() + " for " + event;
        if (expected.reason() != null) {
          // No applicable rule (or none that lets a field pass): nothing may reach the recipient.
          assertThat(decision).as("decision for %s", where).isInstanceOf(Decision.Withheld.class);
          assertThat(((Decision.Withheld) decision).reason())
              .as("reason withheld for %s", where)
              .isEqualTo(expected.reason());
          continue;
        }
        assertThat(decision)
            .as(
                "decision for %s (rules %s apply and allow %s)",
                where,
                expected.applying().stream().map(Rule::id).toList(),
                expected.allowed().keySet())
            .isInstanceOf(Decision.Disclosed.class);
        Decision.Disclosed disclosed = (Decision.Disclosed) decision;
        checkView(expected, disclosed.view(), event, where);
        checkPlan(expected, disclosed.plan(), schema, where);
        views++;
        fromSeveralRules += expected.applying().size() > 1 ? 1 : 0;
        expected.allowed().values().forEach(t -> treatmentsSeen.add(t.getClass().getSimpleName()));
      }
    }
    statistics.collect("rules in the covenant", scenario.covenant().rules().size());
    statistics.collect("views per covenant", views == 0 ? "0" : views < 10 ? "1-9" : "10+");
    statistics.collect("a view from several rules", fromSeveralRules > 0);
    statistics.collect("kinds of treatment in views", treatmentsSeen.size());
  }

  /**
   * The events as drawn, plus for each rule a copy of each event of its types that meets its
   * condition, plus a copy of each event that meets the conditions of all rules for its type at
   * once (as far as they can be met together), so that several rules often apply to one event.
   */
  static List<GenericData.Record> withEveryRuleMet(
      Covenant covenant, List<GenericData.Record> events) {
    List<GenericData.Record> all = new ArrayList<>(events);
    for (GenericData.Record event : events) {
      GenericData.Record meetingAll = event;
      for (Rule rule : covenant.rules()) {
        if (rule.eventTypes().contains(event.getSchema().getName())) {
          all.add(RandomCovenants.meeting(rule.when(), event));
          meetingAll = RandomCovenants.meeting(rule.when(), meetingAll);
        }
      }
      all.add(meetingAll);
    }
    return all;
  }

  private static void checkView(
      RandomCovenants.Expectation expected,
      GenericData.Record view,
      GenericData.Record event,
      String where) {
    Map<String, Treatment> allowed = expected.allowed();

    Map<String, Object> present = new LinkedHashMap<>();
    leavesWithValues(view, "", present);
    assertThat(present.keySet())
        .as("fields with a value in the view for %s; allowed: %s", where, allowed.keySet())
        .isSubsetOf(allowed.keySet());
    // The schema too: a recipient's schema should not even name a field it may not see.
    List<String> declared = new ArrayList<>();
    leavesOf(view.getSchema(), "", declared);
    assertThat(declared)
        .as("leaf fields of the view schema for %s", where)
        .containsExactlyInAnyOrderElementsOf(allowed.keySet());

    allowed.forEach(
        (leaf, treatment) -> {
          Object raw = RandomCovenants.valueAt(event, leaf);
          Object seen = RandomCovenants.valueAt(view, leaf);
          String field =
              "'" + leaf + "' (" + treatment.name() + ", raw " + raw + ") in the view for " + where;
          assertThat(seen).as("%s", field).isNotSameAs(ABSENT);
          if (raw == null) {
            assertThat(seen).as("%s: a null value stays null", field).isNull();
          } else if (treatment instanceof Treatment.Pass) {
            assertThat(seen).as("%s: passes unchanged", field).isEqualTo(raw);
          } else if (treatment instanceof Treatment.Pseudonymise) {
            assertThat(seen)
                .as("%s: is a pseudonym", field)
                .isNotNull()
                .isNotEqualTo(raw)
                .isNotEqualTo(raw.toString());
            assertThat(seen.toString())
                .as("%s: pseudonym holds nothing of the value", field)
                .doesNotContain(raw.toString());
          } else if (treatment instanceof Treatment.Generalise g) {
            assertThat(seen)
                .as("%s: is generalised", field)
                .isEqualTo(RandomCovenants.generalised(g.to(), raw));
          } else if (treatment instanceof Treatment.Redact r) {
            assertThat(seen).as("%s: is redacted", field).isEqualTo(r.replacement());
          }
        });

    // Whatever does not pass as is, neither withheld nor transformed, must leave no trace of its
    // value.
    String text = view.toString();
    for (String leaf : RandomCovenants.schema(event.getSchema().getName()).leaves()) {
      String marker = RandomCovenants.marker(RandomCovenants.valueAt(event, leaf));
      if (marker != null && !(allowed.get(leaf) instanceof Treatment.Pass)) {
        assertThat(text)
            .as(
                "view for %s leaks the value of '%s' (%s)",
                where, leaf, allowed.containsKey(leaf) ? allowed.get(leaf).name() : "not allowed")
            .doesNotContain(marker);
      }
    }
  }

  private static void checkPlan(
      RandomCovenants.Expectation expected, FieldPlan plan, EventSchema schema, String where) {
    List<String> parts = new ArrayList<>();
    parts.addAll(plan.disclosedFields());
    parts.addAll(plan.transformedFields());
    parts.addAll(plan.withheldFields());
    assertThat(parts)
        .as(
            "disclosed + transformed + withheld fields of the plan for %s partition the leaves",
            where)
        .containsExactlyInAnyOrderElementsOf(schema.leaves());
    Map<String, Treatment> allowed = expected.allowed();
    assertThat(plan.disclosedFields())
        .as("fields passing unchanged for %s", where)
        .containsExactlyInAnyOrderElementsOf(
            allowed.keySet().stream()
                .filter(l -> allowed.get(l) instanceof Treatment.Pass)
                .toList());
    assertThat(plan.transformedFields())
        .as("fields passing transformed for %s", where)
        .containsExactlyInAnyOrderElementsOf(
            allowed.keySet().stream()
                .filter(l -> !(allowed.get(l) instanceof Treatment.Pass))
                .toList());
    assertThat(plan.ruleIds())
        .as("rules the plan rests on for %s", where)
        .containsExactlyInAnyOrderElementsOf(expected.applying().stream().map(Rule::id).toList());
  }

  /**
   * Leaf path to value, for every leaf of the record (nested records walked) whose value is not
   * null.
   */
  private static void leavesWithValues(
      GenericRecord record, String prefix, Map<String, Object> out) {
    for (Schema.Field field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value instanceof GenericRecord nested) {
        leavesWithValues(nested, prefix + field.name() + ".", out);
      } else if (value != null) {
        out.put(prefix + field.name(), value);
      }
    }
  }

  /** Every leaf path a record schema declares, nullable unions unwrapped. */
  private static void leavesOf(Schema record, String prefix, List<String> out) {
    for (Schema.Field field : record.getFields()) {
      Schema type = field.schema();
      if (type.getType() == Schema.Type.UNION) {
        type =
            type.getTypes().stream()
                .filter(t -> t.getType() != Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
      }
      if (type.getType() == Schema.Type.RECORD) {
        leavesOf(type, prefix + field.name() + ".", out);
      } else {
        out.add(prefix + field.name());
      }
    }
  }
}
