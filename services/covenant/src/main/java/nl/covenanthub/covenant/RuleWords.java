package nl.covenanthub.covenant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A covenant's rules in words, one line per rule: who gets what, for which purpose, under which
 * basis. What an administrator, an approver and a party read before they decide.
 */
public final class RuleWords {
  private RuleWords() {}

  public static List<String> of(LoadedCovenant loaded) {
    return of(loaded.covenant());
  }

  static List<String> of(Covenant covenant) {
    List<String> lines = new ArrayList<>();
    for (Rule rule : covenant.rules()) {
      LegalBasis basis =
          covenant
              .purpose(rule.purpose())
              .map(p -> p.legalBasis().overriddenBy(rule.legalBasis()))
              .orElse(rule.legalBasis().orElse(LegalBasis.of("(none)")));
      Map<String, List<String>> byTreatment = new LinkedHashMap<>();
      rule.fields()
          .forEach(
              (field, treatment) ->
                  byTreatment
                      .computeIfAbsent(ImpactPreview.words(treatment), k -> new ArrayList<>())
                      .add(field));
      StringBuilder line =
          new StringBuilder()
              .append(rule.from())
              .append(" → ")
              .append(rule.to())
              .append(", for ")
              .append(rule.purpose())
              .append(", ")
              .append(String.join(", ", rule.eventTypes()))
              .append(rule.when().map(c -> " when " + ImpactPreview.words(c)).orElse(""))
              .append(": ");
      List<String> parts = new ArrayList<>();
      byTreatment.forEach((words, fields) -> parts.add(String.join(", ", fields) + " " + words));
      line.append(String.join("; ", parts)).append(". Basis: ").append(basis.general());
      basis.criminalData().ifPresent(b -> line.append("; criminal data: ").append(b));
      basis.specialCategories().ifPresent(b -> line.append("; special categories: ").append(b));
      basis.bsn().ifPresent(b -> line.append("; BSN: ").append(b));
      lines.add(line + " (rule " + rule.id() + ")");
    }
    return lines;
  }
}
