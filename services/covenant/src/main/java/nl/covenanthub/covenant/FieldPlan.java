package nl.covenanthub.covenant;

import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * What one recipient may see of one event type from one sender for one purpose, worked out once per
 * covenant version: the view schema, how to build a view, and what the audit says about it (which
 * fields pass, which are transformed, which are withheld, on which basis, under which rules).
 */
public final class FieldPlan {
  private final PlanKey key;
  private final CovenantRef covenant;
  private final List<String> ruleIds;
  private final String legalBasis;
  private final Period retention;
  private final Schema sourceSchema;
  private final List<String> disclosedFields;
  private final List<String> transformedFields;
  private final List<String> withheldFields;
  private final Map<String, String> treatments;
  private final ViewBuilder view;

  private FieldPlan(
      PlanKey key,
      CovenantRef covenant,
      List<String> ruleIds,
      String legalBasis,
      Period retention,
      Schema sourceSchema,
      Map<String, Treatment> leaves,
      List<String> allLeaves,
      ViewBuilder view) {
    this.key = key;
    this.covenant = covenant;
    this.ruleIds = List.copyOf(ruleIds);
    this.legalBasis = legalBasis;
    this.retention = retention;
    this.sourceSchema = sourceSchema;
    this.view = view;
    List<String> disclosed = new ArrayList<>();
    List<String> transformed = new ArrayList<>();
    List<String> withheld = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (String leaf : allLeaves) {
      Treatment treatment = leaves.get(leaf);
      if (treatment == null || !treatment.discloses()) {
        withheld.add(leaf);
      } else {
        (treatment instanceof Treatment.Pass ? disclosed : transformed).add(leaf);
        names.put(leaf, treatment.name());
      }
    }
    this.disclosedFields = List.copyOf(disclosed);
    this.transformedFields = List.copyOf(transformed);
    this.withheldFields = List.copyOf(withheld);
    this.treatments = java.util.Collections.unmodifiableMap(names);
  }

  /**
   * Compiles the plan for {@code rules} (all for the same key, all applying to the event together).
   * Assumes a validated covenant: overlapping rules agree on every field they share.
   */
  static FieldPlan compile(
      PlanKey key, LoadedCovenant loaded, List<Rule> rules, EventSchema event, KeyRing keys) {
    Covenant covenant = loaded.covenant();
    Purpose purpose = covenant.purpose(key.purpose()).orElseThrow();
    Map<String, Treatment> leaves = new LinkedHashMap<>();
    // Each rule discloses on its own basis (the sender's, where it names one); the plan cites them
    // all.
    Set<String> basis = new LinkedHashSet<>();
    for (Rule rule : rules) {
      Map<String, Treatment> ruleLeaves = LeafTreatments.of(rule, event);
      leaves.putAll(ruleLeaves);
      Set<Sensitivity> used = EnumSet.noneOf(Sensitivity.class);
      ruleLeaves.forEach(
          (leaf, treatment) ->
              used.addAll(
                  CovenantValidator.needsBasis(event.resolve(leaf).orElseThrow(), treatment)));
      // A condition discloses that it held (see CovenantValidator.revealedByCondition).
      CovenantValidator.revealedByCondition(rule, event).values().forEach(used::addAll);
      basis.addAll(purpose.legalBasis().overriddenBy(rule.legalBasis()).parts(used));
    }
    Map<String, Treatment> disclosed = new LinkedHashMap<>();
    leaves.forEach(
        (leaf, treatment) -> {
          if (treatment.discloses()) {
            disclosed.put(leaf, treatment);
          }
        });
    ViewBuilder view =
        ViewBuilder.compile(
            event,
            event.avro(),
            "",
            event.eventType(),
            disclosed,
            keys,
            new Treatment.Scope(covenant.id(), key.recipient(), key.purpose()));
    return new FieldPlan(
        key,
        loaded.ref(),
        rules.stream().map(Rule::id).toList(),
        String.join("; ", basis),
        covenant.retention().get(key.recipient()),
        event.avro(),
        leaves,
        event.leaves(),
        view);
  }

  public PlanKey key() {
    return key;
  }

  public CovenantRef covenant() {
    return covenant;
  }

  public List<String> ruleIds() {
    return ruleIds;
  }

  /** The general basis plus the art. 9, art. 10 and BSN bases of the fields this plan discloses. */
  public String legalBasis() {
    return legalBasis;
  }

  public Period retention() {
    return retention;
  }

  /**
   * Until when the recipient may keep what is disclosed at {@code decidedAt}: plus the covenant's
   * retention for it, counted in calendar days and months where the covenants are made; empty when
   * the covenant sets none.
   */
  public Optional<Instant> retainUntil(Instant decidedAt) {
    return retention == null
        ? Optional.empty()
        : Optional.of(decidedAt.atZone(Validity.ZONE).plus(retention).toInstant());
  }

  /** Leaf paths that pass unchanged. */
  public List<String> disclosedFields() {
    return disclosedFields;
  }

  /** Leaf paths that pass transformed (pseudonymised, generalised, redacted). */
  public List<String> transformedFields() {
    return transformedFields;
  }

  /** Leaf paths that do not pass. */
  public List<String> withheldFields() {
    return withheldFields;
  }

  /** Leaf path to the treatment name, for every field that passes. */
  public Map<String, String> treatments() {
    return treatments;
  }

  /** The schema of what the recipient receives, or empty if no field passes. */
  public Optional<Schema> viewSchema() {
    return Optional.ofNullable(view).map(ViewBuilder::schema);
  }

  Schema sourceSchema() {
    return sourceSchema;
  }

  /**
   * The recipient's view of {@code event}: the allowed fields only, transformed as the plan says.
   */
  public GenericData.Record apply(IndexedRecord event) {
    Objects.requireNonNull(event, "event");
    return view == null ? null : view.build(event);
  }
}
