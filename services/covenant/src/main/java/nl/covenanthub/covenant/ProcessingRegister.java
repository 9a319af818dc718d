package nl.covenanthub.covenant;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The register of processing activities (AVG art. 30) that the covenants imply: one activity per
 * (covenant version, purpose), with its controllers, the categories of data subjects and of data
 * (from the schemas' marks), the recipients, the legal bases and the retention per recipient. Each
 * activity has an id of its own, a URN made of the covenant id, its version and the purpose, which
 * every audit record therefore names (it carries all three).
 */
public final class ProcessingRegister {
  private ProcessingRegister() {}

  /** One processing activity. */
  public record Activity(
      String id,
      String covenantId,
      int covenantVersion,
      String covenantHash,
      String covenantTitle,
      String purpose,
      String description,
      List<String> controllers,
      List<String> dataSubjects,
      Map<String, List<String>> dataCategories,
      List<Flow> flows,
      List<String> legalBases,
      Map<String, String> retention) {}

  /** Who gives what to whom under the activity, by rule. */
  public record Flow(String rule, String from, String to, List<String> eventTypes) {}

  /** The id of the activity of {@code purpose} under this covenant version. */
  public static String activityId(String covenantId, int version, String purpose) {
    return "urn:covenant-hub:processing-activity:" + covenantId + ":v" + version + ":" + purpose;
  }

  /** The register of a directory of covenants, and the problems of the files left out of it. */
  public record Loaded(List<Activity> activities, List<Problem> problems) {}

  /**
   * The register of the covenant files ({@code .yaml}, {@code .yml}) in {@code directory}: the
   * valid ones, an ended covenant included (a past activity); an invalid file is left out, with its
   * problems.
   */
  public static Loaded fromDirectory(Path directory, EventCatalog catalog, LocalDate today)
      throws IOException {
    List<Path> files = CovenantLoader.filesIn(directory);
    CovenantValidator validator = new CovenantValidator(catalog);
    List<Problem> problems = new ArrayList<>();
    List<LoadedCovenant> valid = new ArrayList<>();
    for (Path file : files) {
      try {
        LoadedCovenant loaded = CovenantLoader.load(file);
        List<Problem> found = validator.validate(loaded, today, false);
        problems.addAll(found);
        if (found.isEmpty()) {
          valid.add(loaded);
        }
      } catch (CovenantException e) {
        problems.addAll(e.problems());
      }
    }
    return new Loaded(of(valid, catalog), List.copyOf(problems));
  }

  /** The register of {@code covenants} (valid ones, as loaded for use). */
  public static List<Activity> of(List<LoadedCovenant> covenants, EventCatalog catalog) {
    List<Activity> activities = new ArrayList<>();
    for (LoadedCovenant loaded : covenants) {
      Covenant covenant = loaded.covenant();
      for (Purpose purpose : covenant.purposes()) {
        activities.add(activity(loaded, purpose, catalog));
      }
    }
    return activities;
  }

  private static Activity activity(LoadedCovenant loaded, Purpose purpose, EventCatalog catalog) {
    Covenant covenant = loaded.covenant();
    Set<String> controllers = new TreeSet<>();
    Set<String> subjects = new TreeSet<>();
    Map<String, Set<String>> categories = new TreeMap<>();
    List<Flow> flows = new ArrayList<>();
    Set<String> bases = new LinkedHashSet<>();
    Map<String, String> retention = new TreeMap<>();
    bases.add(purpose.legalBasis().general());
    for (Rule rule : covenant.rules()) {
      if (!rule.purpose().equals(purpose.id())) {
        continue;
      }
      controllers.add(partyName(covenant, rule.from()));
      controllers.add(partyName(covenant, rule.to()));
      flows.add(new Flow(rule.id(), rule.from(), rule.to(), rule.eventTypes()));
      Period kept = covenant.retention().get(rule.to());
      if (kept != null) {
        retention.put(rule.to(), kept.toString());
      }
      LegalBasis basis = purpose.legalBasis().overriddenBy(rule.legalBasis());
      bases.add(basis.general());
      for (String type : rule.eventTypes()) {
        catalog
            .eventType(type)
            .ifPresent(event -> describe(rule, event, basis, subjects, categories, bases));
      }
    }
    Map<String, List<String>> categoryLists = new LinkedHashMap<>();
    categories.forEach((category, fields) -> categoryLists.put(category, List.copyOf(fields)));
    return new Activity(
        activityId(covenant.id(), covenant.version(), purpose.id()),
        covenant.id(),
        covenant.version(),
        loaded.ref().contentHash(),
        covenant.title(),
        purpose.id(),
        purpose.description(),
        List.copyOf(controllers),
        List.copyOf(subjects),
        categoryLists,
        flows,
        List.copyOf(bases),
        retention);
  }

  /** What the rule discloses (and what its condition reveals), by kind of data and subject. */
  private static void describe(
      Rule rule,
      EventSchema event,
      LegalBasis basis,
      Set<String> subjects,
      Map<String, Set<String>> categories,
      Set<String> bases) {
    Set<Sensitivity> used = EnumSet.noneOf(Sensitivity.class);
    LeafTreatments.of(rule, event)
        .forEach(
            (leaf, treatment) -> {
              if (!treatment.discloses()) {
                return;
              }
              FieldRef field = event.resolve(leaf).orElseThrow();
              Set<Sensitivity> revealed = CovenantValidator.needsBasis(field, treatment);
              used.addAll(revealed);
              add(categories, leaf, revealed, treatment);
              if (leaf.contains(".")) {
                subjects.add(leaf.substring(0, leaf.indexOf('.')));
              }
            });
    CovenantValidator.revealedByCondition(rule, event)
        .forEach(
            (path, revealed) -> {
              used.addAll(revealed);
              for (Sensitivity s : revealed) {
                categories
                    .computeIfAbsent(category(s), c -> new TreeSet<>())
                    .add(path + " (tested in a condition)");
              }
            });
    bases.addAll(basis.parts(used));
  }

  private static void add(
      Map<String, Set<String>> categories,
      String leaf,
      Set<Sensitivity> revealed,
      Treatment treatment) {
    String shown =
        treatment instanceof Treatment.Pass ? leaf : leaf + " (" + treatment.name() + ")";
    if (revealed.isEmpty()) {
      categories.computeIfAbsent("personal data", c -> new TreeSet<>()).add(shown);
    }
    for (Sensitivity s : revealed) {
      categories.computeIfAbsent(category(s), c -> new TreeSet<>()).add(shown);
    }
  }

  private static String category(Sensitivity sensitivity) {
    return sensitivity.label() + " data";
  }

  private static String partyName(Covenant covenant, String id) {
    return covenant.parties().stream()
        .filter(p -> p.id().equals(id))
        .map(p -> p.name() + " (" + id + ")")
        .findFirst()
        .orElse(id);
  }
}
