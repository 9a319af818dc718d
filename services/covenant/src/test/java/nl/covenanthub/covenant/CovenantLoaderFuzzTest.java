package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.apache.avro.generic.GenericData;

/**
 * Whatever bytes an administrator (or an attacker with write access to the covenant directory) puts
 * in a covenant file, loading and compiling it ends in a covenant or in a {@link CovenantException}
 * with problems that name a line, never in another exception; and a covenant that compiles decides
 * every event without one.
 *
 * <p>{@code mvn test} runs the seed corpus in {@code
 * src/test/resources/nl/covenanthub/covenant/CovenantLoaderFuzzTestInputs/} (regression mode);
 * {@code JAZZER_FUZZ=1} fuzzes from it (docs/reliability.md).
 */
class CovenantLoaderFuzzTest {
  /** Every key reference a fuzzed covenant may name exists: missing keys are not what is tested. */
  private static final KeyRing ANY_KEY = ref -> List.of(TestCovenants.SUBJECT_KEY);

  private static final List<GenericData.Record> EVENTS =
      List.of(
          TestEvents.caseSignal("politie", "zorg-en-veiligheid", List.of("VERWARD_GEDRAG"), "HOOG"),
          TestEvents.caseSignal("lzn", "aanpak-ondermijning", List.of("HENNEPTEELT"), "MIDDEN"),
          TestEvents.caseReference("veilig-thuis", "huiselijk-geweld"));

  @FuzzTest(maxDuration = "2m")
  void anyCovenantFileCompilesOrIsRefusedWithProblems(byte[] file) {
    CovenantSet compiled;
    try {
      LoadedCovenant loaded = CovenantLoader.load("fuzzed.yaml", file);
      compiled =
          CovenantSet.compile(
              List.of(loaded),
              TestEvents.CATALOG,
              ANY_KEY,
              TestCovenants.CLOCK,
              CovenantSet.Ended.INACTIVE);
    } catch (CovenantException refused) {
      assertThat(refused.problems()).as("a refusal says why").isNotEmpty();
      assertThat(refused.problems())
          .allSatisfy(problem -> assertThat(problem.file()).isEqualTo("fuzzed.yaml"));
      return;
    }
    // Every event type, from every party, for every purpose the fuzzed covenant names.
    for (GenericData.Record template : EVENTS) {
      for (String sender : compiled.partners()) {
        for (String purpose : compiled.purposes()) {
          GenericData.Record event = GenericData.get().deepCopy(template.getSchema(), template);
          event.put("sender", sender);
          event.put("purpose", purpose);
          for (String recipient : compiled.recipients(sender, purpose)) {
            Decision decision =
                compiled.decide(sender, recipient, purpose, event, TestCovenants.NOW);
            assertThat(decision.outcome()).isIn("DISCLOSED", "WITHHELD");
          }
        }
      }
    }
  }
}
