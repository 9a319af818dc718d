package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleWordsTest {
  @Test
  void eachRuleSaysWhoGetsWhatForWhichPurposeUnderWhichBasis() throws Exception {
    Covenant covenant =
        CovenantLoader.load(TestCovenants.COVENANTS_DIR.resolve("zorg-en-veiligheid.yaml"))
            .covenant();
    List<String> lines = RuleWords.of(covenant);
    assertThat(lines).hasSameSizeAs(covenant.rules());
    assertThat(lines.get(0))
        .startsWith(
            "politie → lzn, for zorg-en-veiligheid, CaseSignal when concerns contains any of")
        .contains("subject, concerns, riskLevel", "passes")
        .contains("narrative redacted to \"[opvragen bij de contactpersoon van de politie]\"")
        .contains("Basis: Wpg art. 20")
        .endsWith("(rule politie-signaal-zorg-aan-lzn)");
  }
}
