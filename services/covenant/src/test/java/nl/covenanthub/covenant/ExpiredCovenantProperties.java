package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.avro.generic.GenericData;

/**
 * A covenant outside its validity discloses nothing: a set compiled while it was in force withholds every
 * event before its first and after its last day, and a covenant that has already ended is not compiled at
 * all. The same set, asked inside the validity, does disclose, so these properties can fail.
 */
class ExpiredCovenantProperties {

  /**
   * @param compiledAt when the set was compiled (inside the validity, as the validator requires)
   * @param inside a moment inside the validity
   * @param outside a moment before it starts or after it ends
   */
  record Scenario(Covenant covenant, Instant compiledAt, Instant inside, Instant outside) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    return RandomCovenants.covenants().flatMap(c -> Combinators.combine(
            RandomCovenants.instantsWithin(c.validity()),
            RandomCovenants.instantsWithin(c.validity()),
            RandomCovenants.instantsOutside(c.validity()))
        .as((compiledAt, inside, outside) -> new Scenario(c, compiledAt, inside, outside)));
  }

  @Provide
  Arbitrary<List<GenericData.Record>> events() {
    return RandomCovenants.eventLists();
  }

  @Property(tries = 300)
  void aCovenantOutsideItsValidityDisclosesNothing(
      @ForAll("scenarios") Scenario scenario, @ForAll("events") List<GenericData.Record> events) {
    Covenant covenant = scenario.covenant();
    Optional<CovenantSet> compiled = RandomCovenants.compile(covenant, scenario.compiledAt());
    Statistics.label("covenant").collect(compiled.isPresent() ? "compiled" : "refused: rules contradict")
        .coverage(c -> c.check("compiled").percentage(p -> p >= 60));
    Assume.that(compiled.isPresent());
    CovenantSet set = compiled.get();
    Validity validity = covenant.validity();
    // The drawn moments, and the millisecond on either side of each boundary of the validity.
    List<Instant> outside = List.of(scenario.outside(), RandomCovenants.start(validity).minusMillis(1),
        RandomCovenants.end(validity));
    List<Instant> inside = List.of(scenario.inside(), RandomCovenants.start(validity),
        RandomCovenants.end(validity).minusMillis(1));

    List<GenericData.Record> all = AllowListProperties.withEveryRuleMet(covenant, events);
    for (GenericData.Record event : all) {
      for (PlanKey key : RandomCovenants.keys(event.getSchema().getName())) {
        boolean hasRule = covenant.rules().stream().anyMatch(r -> r.from().equals(key.sender())
            && r.to().equals(key.recipient()) && r.purpose().equals(key.purpose())
            && r.eventTypes().contains(key.eventType()));
        for (Instant at : outside) {
          Decision decision = set.decide(key.sender(), key.recipient(), key.purpose(), event, at);
          String where = key + " at " + at + " (validity " + validity + ") for " + event;
          assertThat(decision).as("decision outside the validity for %s", where).isInstanceOf(Decision.Withheld.class);
          // Where a rule exists, the validity is the reason; elsewhere there was never a permission.
          assertThat(((Decision.Withheld) decision).reason()).as("reason withheld for %s", where)
              .isIn(hasRule ? Set.of(Decision.Reason.COVENANT_NOT_IN_FORCE)
                  : Set.of(Decision.Reason.NO_RULE, Decision.Reason.NOT_A_PARTY, Decision.Reason.UNKNOWN_PURPOSE));
        }
      }
    }

    // The control: inside the validity, an event that meets a rule which lets a field pass is disclosed.
    int disclosedInside = 0;
    for (Rule rule : covenant.rules()) {
      for (GenericData.Record event : events) {
        String type = event.getSchema().getName();
        boolean letsSomethingPass = RandomCovenants.leafTreatments(rule, RandomCovenants.schema(type)).values().stream()
            .anyMatch(t -> !(t instanceof Treatment.Drop));
        if (!rule.eventTypes().contains(type) || !letsSomethingPass) {
          continue;
        }
        GenericData.Record meeting = RandomCovenants.meeting(rule.when(), event);
        for (Instant at : inside) {
          Decision decision = set.decide(rule.from(), rule.to(), rule.purpose(), meeting, at);
          assertThat(decision).as("decision inside the validity (%s) at %s under rule %s for %s",
              validity, at, rule.id(), meeting).isInstanceOf(Decision.Disclosed.class);
          disclosedInside++;
        }
      }
    }
    Statistics.label("disclosed inside the validity").collect(disclosedInside > 0)
        .coverage(c -> c.check(true).percentage(p -> p >= 80));
    Statistics.label("outside").collect(scenario.outside().isBefore(scenario.inside()) ? "before from" : "after until");
  }

  @Property(tries = 100)
  void aCovenantThatHasEndedIsNotCompiled(@ForAll("scenarios") Scenario scenario) {
    Validity validity = scenario.covenant().validity();
    Instant after = scenario.outside().isBefore(RandomCovenants.start(validity))
        ? RandomCovenants.end(validity) // The first moment after its last day.
        : scenario.outside();
    CovenantException refused = catchThrowableOfType(
        () -> CovenantSet.compile(List.of(RandomCovenants.loaded(scenario.covenant())), RandomCovenants.CATALOG,
            RandomCovenants.KEYS, Clock.fixed(after, ZoneOffset.UTC)),
        CovenantException.class);
    assertThat(refused).as("compiling a covenant valid %s at %s", validity, after).isNotNull();
    List<String> messages = new ArrayList<>();
    refused.problems().forEach(p -> messages.add(p.message()));
    assertThat(messages).as("problems compiling a covenant valid %s at %s", validity, after)
        .anySatisfy(m -> assertThat(m).contains("validity period ended"));
  }
}
