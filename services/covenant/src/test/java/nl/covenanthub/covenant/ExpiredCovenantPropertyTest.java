package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.covenant.RandomCovenants.Statistics;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A covenant outside its validity discloses nothing: a set compiled while it was in force withholds
 * every event before its first and after its last day, and a covenant that has already ended is not
 * compiled at all. The same set, asked inside the validity, does disclose, so these properties can
 * fail.
 */
class ExpiredCovenantPropertyTest {

  /**
   * @param compiledAt when the set was compiled (inside the validity, as the validator requires)
   * @param inside a moment inside the validity
   * @param outside a moment before it starts or after it ends
   */
  record Scenario(Covenant covenant, Instant compiledAt, Instant inside, Instant outside) {}

  static Gen<Scenario> scenarios() {
    Gen<Covenant> covenants = RandomCovenants.covenants();
    return in -> {
      Covenant c = covenants.generate(in);
      return new Scenario(
          c,
          RandomCovenants.instantsWithin(c.validity()).generate(in),
          RandomCovenants.instantsWithin(c.validity()).generate(in),
          RandomCovenants.instantsOutside(c.validity()).generate(in));
    };
  }

  /**
   * 300 examples from {@link RandomCovenants#SEED}, a fixed seed: every run tries the same
   * examples, so a failure shows again on the next run and the coverage counts below are the same
   * each time.
   */
  @Test
  void aCovenantOutsideItsValidityDisclosesNothing() {
    int examples = 300;
    Statistics statistics =
        new Statistics("ExpiredCovenantPropertyTest:aCovenantOutsideItsValidityDisclosesNothing");
    qt().withFixedSeed(RandomCovenants.SEED)
        .withExamples(examples)
        .withShrinkCycles(RandomCovenants.SHRINK_CYCLES)
        .forAll(scenarios(), RandomCovenants.eventLists())
        .checkAssert(
            (scenario, events) ->
                aCovenantOutsideItsValidityDisclosesNothing(scenario, events, statistics));
    System.out.print(statistics);

    statistics.checkCount("covenant", examples * 95 / 100);
    // Contradicting overlaps are refused by design; this keeps them from crowding out the rest.
    statistics.checkAtLeast("covenant", "compiled", 0.60);
    // The control must have something to control most of the time.
    statistics.checkAtLeast("disclosed inside the validity", true, 0.80);
  }

  private static void aCovenantOutsideItsValidityDisclosesNothing(
      Scenario scenario, List<GenericData.Record> events, Statistics statistics) {
    Covenant covenant = scenario.covenant();
    Optional<CovenantSet> compiled = RandomCovenants.compile(covenant, scenario.compiledAt());
    statistics.collect("covenant", compiled.isPresent() ? "compiled" : "refused: rules contradict");
    if (compiled.isEmpty()) {
      return; // The validator refused it, as compile has checked it must: nothing to decide with.
    }
    CovenantSet set = compiled.get();
    Validity validity = covenant.validity();
    // The drawn moments, and the millisecond on either side of each boundary of the validity.
    List<Instant> outside =
        List.of(
            scenario.outside(),
            RandomCovenants.start(validity).minusMillis(1),
            RandomCovenants.end(validity));
    List<Instant> inside =
        List.of(
            scenario.inside(),
            RandomCovenants.start(validity),
            RandomCovenants.end(validity).minusMillis(1));

    List<GenericData.Record> all = AllowListPropertyTest.withEveryRuleMet(covenant, events);
    for (GenericData.Record event : all) {
      for (PlanKey key : RandomCovenants.keys(event.getSchema().getName())) {
        boolean hasRule =
            covenant.rules().stream()
                .anyMatch(
                    r ->
                        r.from().equals(key.sender())
                            && r.to().equals(key.recipient())
                            && r.purpose().equals(key.purpose())
                            && r.eventTypes().contains(key.eventType()));
        for (Instant at : outside) {
          Decision decision = set.decide(key.sender(), key.recipient(), key.purpose(), event, at);
          String where = key + " at " + at + " (validity " + validity + ") for " + event;
          assertThat(decision)
              .as("decision outside the validity for %s", where)
              .isInstanceOf(Decision.Withheld.class);
          // Where a rule exists, the validity is the reason; elsewhere there was never a
          // permission.
          assertThat(((Decision.Withheld) decision).reason())
              .as("reason withheld for %s", where)
              .isIn(
                  hasRule
                      ? Set.of(
                          Decision.Reason.COVENANT_NOT_IN_FORCE, Decision.Reason.COVENANT_ENDED)
                      : Set.of(
                          Decision.Reason.NO_RULE,
                          Decision.Reason.NOT_A_PARTY,
                          Decision.Reason.UNKNOWN_PURPOSE));
        }
      }
    }

    // The control: inside the validity, an event that meets a rule which lets a field pass is
    // disclosed.
    int disclosedInside = 0;
    for (Rule rule : covenant.rules()) {
      for (GenericData.Record event : events) {
        String type = event.getSchema().getName();
        boolean letsSomethingPass =
            RandomCovenants.leafTreatments(rule, RandomCovenants.schema(type)).values().stream()
                .anyMatch(t -> !(t instanceof Treatment.Drop));
        if (!rule.eventTypes().contains(type) || !letsSomethingPass) {
          continue;
        }
        GenericData.Record meeting = RandomCovenants.meeting(rule.when(), event);
        for (Instant at : inside) {
          Decision decision = set.decide(rule.from(), rule.to(), rule.purpose(), meeting, at);
          assertThat(decision)
              .as(
                  "decision inside the validity (%s) at %s under rule %s for %s",
                  validity, at, rule.id(), meeting)
              .isInstanceOf(Decision.Disclosed.class);
          disclosedInside++;
        }
      }
    }
    statistics.collect("disclosed inside the validity", disclosedInside > 0);
    statistics.collect(
        "outside", scenario.outside().isBefore(scenario.inside()) ? "before from" : "after until");
  }

  /** 100 examples from the same fixed seed as the property above. */
  @Test
  void aCovenantThatHasEndedIsNotCompiled() {
    int examples = 100;
    Statistics statistics =
        new Statistics("ExpiredCovenantPropertyTest:aCovenantThatHasEndedIsNotCompiled");
    qt().withFixedSeed(RandomCovenants.SEED)
        .withExamples(examples)
        .withShrinkCycles(RandomCovenants.SHRINK_CYCLES)
        .forAll(scenarios())
        .checkAssert(scenario -> aCovenantThatHasEndedIsNotCompiled(scenario, statistics));
    System.out.print(statistics);
    statistics.checkCount("compiled at", examples * 95 / 100);
  }

  private static void aCovenantThatHasEndedIsNotCompiled(Scenario scenario, Statistics statistics) {
    Validity validity = scenario.covenant().validity();
    Instant after =
        scenario.outside().isBefore(RandomCovenants.start(validity))
            ? RandomCovenants.end(validity) // The first moment after its last day.
            : scenario.outside();
    statistics.collect(
        "compiled at",
        after.equals(RandomCovenants.end(validity)) ? "first moment after" : "later");
    CovenantException refused =
        catchThrowableOfType(
            () ->
                CovenantSet.compile(
                    List.of(RandomCovenants.loaded(scenario.covenant())),
                    RandomCovenants.CATALOG,
                    RandomCovenants.KEYS,
                    Clock.fixed(after, ZoneOffset.UTC)),
            CovenantException.class);
    assertThat(refused).as("compiling a covenant valid %s at %s", validity, after).isNotNull();
    List<String> messages = new ArrayList<>();
    refused.problems().forEach(p -> messages.add(p.message()));
    assertThat(messages)
        .as("problems compiling a covenant valid %s at %s", validity, after)
        .anySatisfy(m -> assertThat(m).contains("validity period ended"));
  }
}
