package nl.covenanthub.covenant;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.avro.generic.IndexedRecord;

/**
 * What a proposed covenant version would change, worked out before it is approved: per (sender →
 * recipient, purpose, event type) and per field, what the recipient receives under the active and
 * under the proposed version, classified as wider, narrower or changed; and, replaying sample
 * events through both, how many events disclose each field and which events change decision.
 *
 * <p>Values never appear raw, so the preview can go to whoever approves: an example shows a value
 * masked ({@code P*** (9 chars)}), a pseudonym as "pseudonym" and a redacted field as "redacted".
 * Decisions, reasons and field names are shown as they are; they carry no values.
 */
public final class ImpactPreview {
  /** How many examples are kept per field of a pair. */
  public static final int EXAMPLES_PER_FIELD = 3;

  /** How many changed events {@link #render} lists per pair; the result keeps them all. */
  static final int EVENTS_SHOWN_PER_PAIR = 20;

  private static final String WITHHELD = "withheld";

  private final List<CovenantRef> active;
  private final List<CovenantRef> proposed;
  private final List<PairChange> pairs;
  private final List<PairReplay> replay;
  private final int eventsReplayed;
  private final int eventsChanged;

  private ImpactPreview(
      List<CovenantRef> active,
      List<CovenantRef> proposed,
      List<PairChange> pairs,
      List<PairReplay> replay,
      int eventsReplayed,
      int eventsChanged) {
    this.active = List.copyOf(active);
    this.proposed = List.copyOf(proposed);
    this.pairs = List.copyOf(pairs);
    this.replay = List.copyOf(replay);
    this.eventsReplayed = eventsReplayed;
    this.eventsChanged = eventsChanged;
  }

  /** Whether a difference lets a recipient learn more, less, or something else. */
  public enum Impact {
    /** More is disclosed: a field newly passes, or passes with a weaker treatment. */
    WIDER,
    /** Less is disclosed: a field no longer passes, or passes with a stronger treatment. */
    NARROWER,
    /** Different, but neither clearly more nor less (pseudonymised ↔ generalised, another key). */
    CHANGED;

    /** The one that matters more to whoever approves: wider, then changed, then narrower. */
    Impact max(Impact other) {
      return other == null || weight() >= other.weight() ? this : other;
    }

    private int weight() {
      return this == WIDER ? 2 : this == CHANGED ? 1 : 0;
    }

    static Optional<Impact> of(boolean wider, boolean narrower) {
      if (wider && narrower) {
        return Optional.of(CHANGED);
      }
      return wider ? Optional.of(WIDER) : narrower ? Optional.of(NARROWER) : Optional.empty();
    }
  }

  /**
   * One event to replay: what the sender sent for which purpose. The label names it in the preview
   * (a file name, an event id); it must not hold personal data.
   */
  public record Sample(String label, String sender, String purpose, IndexedRecord event) {
    public Sample {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(purpose, "purpose");
      Objects.requireNonNull(event, "event");
    }
  }

  /** A field the recipient receives differently: each treatment in words, e.g. "passes". */
  public record FieldChange(String field, String active, String proposed, Impact impact) {
    public FieldChange {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(active, "active");
      Objects.requireNonNull(proposed, "proposed");
      Objects.requireNonNull(impact, "impact");
    }
  }

  /**
   * A term of a pair other than its fields that differs: {@code when} (the rules' conditions),
   * {@code legal basis}, {@code retention} or {@code in force} (the validity period).
   */
  public record TermChange(String term, String active, String proposed, Impact impact) {
    public TermChange {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(active, "active");
      Objects.requireNonNull(proposed, "proposed");
      Objects.requireNonNull(impact, "impact");
    }
  }

  /** Whether a pair is new in the proposed version, gone from it, or in both. */
  public enum Presence {
    ADDED,
    REMOVED,
    KEPT
  }

  /** The rule-level differences of one (sender → recipient, purpose, event type). */
  public record PairChange(
      PlanKey key, Presence presence, List<FieldChange> fields, List<TermChange> terms) {
    public PairChange {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(presence, "presence");
      fields = List.copyOf(fields);
      terms = List.copyOf(terms);
    }

    /** The impact of the whole pair: wider if anything in it is wider. */
    public Impact impact() {
      Impact impact = null;
      for (FieldChange field : fields) {
        impact = field.impact().max(impact);
      }
      for (TermChange term : terms) {
        impact = term.impact().max(impact);
      }
      return impact != null ? impact : Impact.CHANGED;
    }
  }

  /** How one field fared in the replay of one pair: events that disclose it under each version. */
  public record FieldCount(String field, int active, int proposed, int changed) {
    public FieldCount {
      Objects.requireNonNull(field, "field");
    }
  }

  /** A decision in words: DISCLOSED, or WITHHELD with its reason and detail. */
  public record Outcome(String decision, Optional<Decision.Reason> reason, String detail) {
    public Outcome {
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    static Outcome of(Decision decision) {
      if (decision instanceof Decision.Withheld withheld) {
        return new Outcome(withheld.outcome(), Optional.of(withheld.reason()), withheld.detail());
      }
      return new Outcome(decision.outcome(), Optional.empty(), "rules " + decision.ruleIds());
    }

    @Override
    public String toString() {
      return reason.map(r -> decision + " (" + r + ": " + detail + ")").orElse(decision);
    }
  }

  /**
   * A sample whose decision for a pair changes: the outcome under each version and the fields it
   * gains, loses or gets in another form.
   */
  public record ChangedEvent(
      String sample,
      Outcome active,
      Outcome proposed,
      List<String> gained,
      List<String> lost,
      List<String> treatedDifferently,
      Impact impact) {
    public ChangedEvent {
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(active, "active");
      Objects.requireNonNull(proposed, "proposed");
      gained = List.copyOf(gained);
      lost = List.copyOf(lost);
      treatedDifferently = List.copyOf(treatedDifferently);
      Objects.requireNonNull(impact, "impact");
    }
  }

  /**
   * What the recipient would receive of one field of one sample, under each version: a masked value
   * with its treatment, "pseudonym", "redacted" or "withheld". Never the value itself.
   */
  public record Example(String sample, String field, String active, String proposed) {
    public Example {
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(active, "active");
      Objects.requireNonNull(proposed, "proposed");
    }
  }

  /**
   * The replay of the samples for one pair that disclosed something under either version.
   *
   * @param events how many samples were decided for this pair
   * @param disclosedActive how many of them the active version discloses (the rest it withholds)
   * @param disclosedProposed how many of them the proposed version discloses
   * @param fields every field disclosed under either version, in schema order
   * @param examples up to {@link #EXAMPLES_PER_FIELD} per field whose form changed
   */
  public record PairReplay(
      PlanKey key,
      int events,
      int disclosedActive,
      int disclosedProposed,
      List<FieldCount> fields,
      List<ChangedEvent> changed,
      List<Example> examples) {
    public PairReplay {
      Objects.requireNonNull(key, "key");
      fields = List.copyOf(fields);
      changed = List.copyOf(changed);
      examples = List.copyOf(examples);
    }
  }

  /** The rule-level differences only: no events replayed. */
  public static ImpactPreview of(CovenantSet active, CovenantSet proposed) {
    return of(active, proposed, List.of(), Instant.EPOCH);
  }

  /**
   * The differences between two compiled versions, and the replay of {@code samples} through both,
   * each decided at {@code at}.
   */
  public static ImpactPreview of(
      CovenantSet active, CovenantSet proposed, List<Sample> samples, Instant at) {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(proposed, "proposed");
    Objects.requireNonNull(samples, "samples");
    Objects.requireNonNull(at, "at");
    List<PairChange> pairs = compareRules(keyRules(active), keyRules(proposed));
    Replay replay = new Replay();
    samples.forEach(sample -> replay.add(sample, active, proposed, at));
    return new ImpactPreview(
        active.covenants(),
        proposed.covenants(),
        pairs,
        replay.pairs(),
        samples.size(),
        replay.changedSamples.size());
  }

  public List<CovenantRef> active() {
    return active;
  }

  public List<CovenantRef> proposed() {
    return proposed;
  }

  /** The pairs whose rules differ, in covenant order (the active version's first). */
  public List<PairChange> pairs() {
    return pairs;
  }

  /** The pairs any sample was disclosed to under either version, in the order first met. */
  public List<PairReplay> replay() {
    return replay;
  }

  public int eventsReplayed() {
    return eventsReplayed;
  }

  /** How many samples change decision for at least one recipient. */
  public int eventsChanged() {
    return eventsChanged;
  }

  public boolean hasDifferences() {
    return impact().isPresent();
  }

  /**
   * The impact of the whole change: wider if any pair or replayed event is, else changed if any is,
   * else narrower; empty if nothing differs.
   */
  public Optional<Impact> impact() {
    Impact impact = null;
    for (PairChange pair : pairs) {
      impact = pair.impact().max(impact);
    }
    for (PairReplay pair : replay) {
      for (ChangedEvent event : pair.changed()) {
        impact = event.impact().max(impact);
      }
    }
    return Optional.ofNullable(impact);
  }

  /**
   * The parties whose disclosures (as sender) the change widens: each must accept the new version.
   * A pair that is only {@link Impact#CHANGED} does not count; the preview lists it for whoever
   * approves to judge.
   */
  public Set<String> widenedSenders() {
    Set<String> senders = new TreeSet<>();
    pairs.stream()
        .filter(p -> p.impact() == Impact.WIDER)
        .forEach(p -> senders.add(p.key().sender()));
    for (PairReplay pair : replay) {
      if (pair.changed().stream().anyMatch(e -> e.impact() == Impact.WIDER)) {
        senders.add(pair.key().sender());
      }
    }
    return java.util.Collections.unmodifiableSet(senders);
  }

  /**
   * The parties that must accept the version: the senders of every pair it does not clearly narrow.
   * A {@link Impact#CHANGED} pair counts too (a condition on another field, another pseudonym key):
   * the rules alone cannot tell whether it discloses more, and a sample of events may simply not
   * hold the event it would, so its sender decides. A version that only narrows needs no party's
   * acceptance.
   */
  public Set<String> partiesToAccept() {
    Set<String> parties = new TreeSet<>(widenedSenders());
    pairs.stream()
        .filter(p -> p.impact() == Impact.CHANGED)
        .forEach(p -> parties.add(p.key().sender()));
    return java.util.Collections.unmodifiableSet(parties);
  }

  /** The first line of {@link #render}: {@code pairs: 1 wider, 0 narrower, 0 changed; ...}. */
  public String summary() {
    Map<Impact, Integer> counts = new LinkedHashMap<>();
    for (Impact impact : Impact.values()) {
      counts.put(impact, 0);
    }
    pairs.forEach(p -> counts.merge(p.impact(), 1, Integer::sum));
    return "pairs: "
        + counts.get(Impact.WIDER)
        + " wider, "
        + counts.get(Impact.NARROWER)
        + " narrower, "
        + counts.get(Impact.CHANGED)
        + " changed; events replayed: "
        + eventsReplayed
        + ", changed decision: "
        + eventsChanged;
  }

  /** The preview as plain text for whoever approves: {@link #summary}, then {@link #details}. */
  public String render() {
    return summary() + "\n" + details();
  }

  /** Everything after the summary line: the versions, then per pair its fields and replay. */
  public String details() {
    StringBuilder text = new StringBuilder();
    text.append("active:   ").append(refs(active)).append('\n');
    text.append("proposed: ").append(refs(proposed)).append('\n');
    Set<String> widened = widenedSenders();
    if (!widened.isEmpty()) {
      text.append("widened senders (each must accept): ")
          .append(String.join(", ", widened))
          .append('\n');
    }
    if (!hasDifferences()) {
      text.append("no difference in what any recipient receives\n");
    }
    Map<PlanKey, PairReplay> replayed = new LinkedHashMap<>();
    replay.forEach(r -> replayed.put(r.key(), r));
    Set<PlanKey> shown = new LinkedHashSet<>();
    for (PairChange pair : pairs) {
      shown.add(pair.key());
      renderPair(text, pair, replayed.get(pair.key()));
    }
    for (PairReplay pair : replay) {
      if (!shown.contains(pair.key()) && !pair.changed().isEmpty()) {
        shown.add(pair.key());
        renderPair(text, null, pair);
      }
    }
    List<PairReplay> alike = replay.stream().filter(r -> !shown.contains(r.key())).toList();
    if (!alike.isEmpty()) {
      text.append("\nunchanged in the replay:\n");
      for (PairReplay pair : alike) {
        text.append("  ")
            .append(pairName(pair.key()))
            .append(": ")
            .append(pair.events())
            .append(pair.events() == 1 ? " event" : " events")
            .append(", ")
            .append(pair.disclosedActive())
            .append(" disclosed, alike under both\n");
      }
    }
    return text.toString();
  }

  private static void renderPair(StringBuilder text, PairChange change, PairReplay replay) {
    PlanKey key = change != null ? change.key() : replay.key();
    text.append('\n').append(pairName(key)).append(": ");
    if (change != null) {
      text.append(change.impact());
      if (change.presence() == Presence.ADDED) {
        text.append(" (new pair)");
      } else if (change.presence() == Presence.REMOVED) {
        text.append(" (pair removed)");
      }
    } else {
      text.append("rules alike, decisions differ");
    }
    text.append('\n');
    if (change != null) {
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("field", "active", "proposed", "impact"));
      change
          .fields()
          .forEach(f -> rows.add(List.of(f.field(), f.active(), f.proposed(), f.impact().name())));
      change
          .terms()
          .forEach(
              t ->
                  rows.add(
                      List.of("(" + t.term() + ")", t.active(), t.proposed(), t.impact().name())));
      table(text, "  ", rows);
    }
    if (replay == null) {
      return;
    }
    text.append("  replay: ")
        .append(replay.events())
        .append(replay.events() == 1 ? " event" : " events")
        .append(", disclosed ")
        .append(replay.disclosedActive())
        .append(" (active) and ")
        .append(replay.disclosedProposed())
        .append(" (proposed), ")
        .append(replay.changed().size())
        .append(" changed decision\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("field", "disclosed active", "disclosed proposed", "changed"));
    int alike = 0;
    for (FieldCount field : replay.fields()) {
      if (field.changed() == 0) {
        alike++;
      } else {
        rows.add(
            List.of(
                field.field(),
                String.valueOf(field.active()),
                String.valueOf(field.proposed()),
                String.valueOf(field.changed())));
      }
    }
    if (rows.size() > 1) {
      table(text, "    ", rows);
    }
    if (alike > 0) {
      text.append("    ")
          .append(alike)
          .append(alike == 1 ? " other field" : " other fields")
          .append(" disclosed as before\n");
    }
    if (!replay.changed().isEmpty()) {
      text.append("  changed decisions:\n");
      List<ChangedEvent> changed = replay.changed();
      for (ChangedEvent event :
          changed.subList(0, Math.min(EVENTS_SHOWN_PER_PAIR, changed.size()))) {
        text.append("    ")
            .append(event.sample())
            .append(": ")
            .append(event.active())
            .append(" -> ")
            .append(event.proposed())
            .append(" [")
            .append(event.impact())
            .append(']');
        appendFields(text, "gains", event.gained());
        appendFields(text, "loses", event.lost());
        appendFields(text, "in another form", event.treatedDifferently());
        text.append('\n');
      }
      if (changed.size() > EVENTS_SHOWN_PER_PAIR) {
        text.append("    ... and ")
            .append(changed.size() - EVENTS_SHOWN_PER_PAIR)
            .append(" more\n");
      }
    }
    if (!replay.examples().isEmpty()) {
      text.append("  examples (values masked):\n");
      for (Example example : replay.examples()) {
        text.append("    ")
            .append(example.sample())
            .append(' ')
            .append(example.field())
            .append(": ")
            .append(example.active())
            .append(" -> ")
            .append(example.proposed())
            .append('\n');
      }
    }
  }

  private static void appendFields(StringBuilder text, String label, List<String> fields) {
    if (!fields.isEmpty()) {
      text.append("; ").append(label).append(' ').append(String.join(", ", fields));
    }
  }

  private static void table(StringBuilder text, String indent, List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < columns; i++) {
        line.append(row.get(i));
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
        }
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String pairName(PlanKey key) {
    return key.sender() + " -> " + key.recipient() + ", " + key.purpose() + ", " + key.eventType();
  }

  private static String refs(List<CovenantRef> refs) {
    if (refs.isEmpty()) {
      return "(none)";
    }
    return refs.stream()
        .map(
            r ->
                r.id()
                    + " v"
                    + r.version()
                    + " ("
                    + r.contentHash().substring(0, Math.min(12, r.contentHash().length()))
                    + ")")
        .collect(Collectors.joining(", "));
  }

  // --- rule level ---------------------------------------------------------------------------

  /** One version's rules for one key, their treatments spread over the event type's leaves. */
  private record KeyRules(
      PlanKey key,
      LoadedCovenant owner,
      List<Rule> rules,
      List<String> leafOrder,
      Map<String, Set<Treatment>> leaves) {}

  private static Map<PlanKey, KeyRules> keyRules(CovenantSet set) {
    Map<PlanKey, List<Rule>> rulesByKey = new LinkedHashMap<>();
    Map<PlanKey, LoadedCovenant> owners = new LinkedHashMap<>();
    for (LoadedCovenant loaded : set.loaded()) {
      for (Rule rule : loaded.covenant().rules()) {
        // A party that revoked its participation neither sends nor receives under the version.
        if (loaded.isRevokedBy(rule.from()) || loaded.isRevokedBy(rule.to())) {
          continue;
        }
        for (String type : rule.eventTypes()) {
          PlanKey key = new PlanKey(rule.from(), rule.to(), rule.purpose(), type);
          rulesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(rule);
          owners.put(key, loaded);
        }
      }
    }
    Map<PlanKey, KeyRules> byKey = new LinkedHashMap<>();
    rulesByKey.forEach(
        (key, rules) -> {
          EventSchema schema = set.catalog().eventType(key.eventType()).orElseThrow();
          Map<String, Set<Treatment>> leaves = new LinkedHashMap<>();
          for (Rule rule : rules) {
            LeafTreatments.of(rule, schema)
                .forEach(
                    (leaf, treatment) -> {
                      if (treatment.discloses()) {
                        leaves.computeIfAbsent(leaf, l -> new LinkedHashSet<>()).add(treatment);
                      }
                    });
          }
          byKey.put(key, new KeyRules(key, owners.get(key), rules, schema.leaves(), leaves));
        });
    return byKey;
  }

  private static List<PairChange> compareRules(
      Map<PlanKey, KeyRules> active, Map<PlanKey, KeyRules> proposed) {
    Set<PlanKey> keys = new LinkedHashSet<>(active.keySet());
    keys.addAll(proposed.keySet());
    List<PairChange> changes = new ArrayList<>();
    for (PlanKey key : keys) {
      KeyRules before = active.get(key);
      KeyRules after = proposed.get(key);
      List<String> leafOrder = new ArrayList<>();
      for (KeyRules rules : new KeyRules[] {before, after}) {
        if (rules != null) {
          rules.leafOrder().stream().filter(l -> !leafOrder.contains(l)).forEach(leafOrder::add);
        }
      }
      List<FieldChange> fields = new ArrayList<>();
      for (String leaf : leafOrder) {
        Set<Treatment> was =
            before != null ? before.leaves().getOrDefault(leaf, Set.of()) : Set.of();
        Set<Treatment> is = after != null ? after.leaves().getOrDefault(leaf, Set.of()) : Set.of();
        compare(was, is)
            .ifPresent(impact -> fields.add(new FieldChange(leaf, words(was), words(is), impact)));
      }
      Presence presence =
          before == null ? Presence.ADDED : after == null ? Presence.REMOVED : Presence.KEPT;
      List<TermChange> terms = presence == Presence.KEPT ? compareTerms(before, after) : List.of();
      // A rule that lets nothing pass discloses nothing: its coming or going changes nothing.
      if (!fields.isEmpty() || !terms.isEmpty()) {
        changes.add(new PairChange(key, presence, fields, terms));
      }
    }
    return changes;
  }

  /** How a field's treatments compare; each set holds what the key's rules give it. */
  static Optional<Impact> compare(Set<Treatment> active, Set<Treatment> proposed) {
    if (active.equals(proposed)) {
      return Optional.empty();
    }
    if (active.isEmpty()) {
      return Optional.of(Impact.WIDER);
    }
    if (proposed.isEmpty()) {
      return Optional.of(Impact.NARROWER);
    }
    // Wider if the proposed version gives a form more revealing than every active one; narrower
    // if an active form is more revealing than every proposed one.
    boolean wider =
        proposed.stream()
            .anyMatch(
                p -> active.stream().allMatch(a -> compare(a, p).orElse(null) == Impact.WIDER));
    boolean narrower =
        active.stream()
            .anyMatch(
                a ->
                    proposed.stream().allMatch(p -> compare(a, p).orElse(null) == Impact.NARROWER));
    return Optional.of(Impact.of(wider, narrower).orElse(Impact.CHANGED));
  }

  /** How the proposed treatment of a field compares to the active one; empty if the same. */
  static Optional<Impact> compare(Treatment active, Treatment proposed) {
    if (active.equals(proposed)) {
      return Optional.empty();
    }
    int was = strength(active);
    int is = strength(proposed);
    if (was != is) {
      return Optional.of(is > was ? Impact.WIDER : Impact.NARROWER);
    }
    if (active instanceof Treatment.Pseudonymise a
        && proposed instanceof Treatment.Pseudonymise p
        && a.keyRef().equals(p.keyRef())
        && a.shared() != p.shared()) {
      // A shared pseudonym lets recipients link what they hold about one person.
      return Optional.of(p.shared() ? Impact.WIDER : Impact.NARROWER);
    }
    return Optional.of(Impact.CHANGED);
  }

  /** How much of a value a treatment reveals, from 3 (passes) down to 0 (withheld). */
  private static int strength(Treatment treatment) {
    if (treatment instanceof Treatment.Pass) {
      return 3;
    }
    if (treatment instanceof Treatment.Generalise || treatment instanceof Treatment.Pseudonymise) {
      return 2;
    }
    return treatment.discloses() ? 1 : 0;
  }

  private static String words(Set<Treatment> treatments) {
    if (treatments.isEmpty()) {
      return WITHHELD;
    }
    return treatments.stream()
        .sorted(Comparator.comparingInt(ImpactPreview::strength).reversed())
        .map(ImpactPreview::words)
        .collect(Collectors.joining(" or "));
  }

  /** A treatment in words: {@code passes}, {@code pseudonymised (key subject-key)}, ... */
  static String words(Treatment treatment) {
    if (treatment instanceof Treatment.Pass) {
      return "passes";
    }
    if (treatment instanceof Treatment.Pseudonymise p) {
      return "pseudonymised (key "
          + p.keyRef()
          + (p.shared() ? ", shared as " + p.sharedAs() : "")
          + ")";
    }
    if (treatment instanceof Treatment.Generalise g) {
      return "generalised to " + g.to().yamlName.replace('-', ' ');
    }
    if (treatment instanceof Treatment.Redact r) {
      return "redacted to \"" + r.replacement() + "\"";
    }
    return WITHHELD;
  }

  private static List<TermChange> compareTerms(KeyRules active, KeyRules proposed) {
    List<TermChange> terms = new ArrayList<>();
    Set<Optional<Condition>> whenBefore = conditions(active);
    Set<Optional<Condition>> whenAfter = conditions(proposed);
    if (!whenBefore.equals(whenAfter)) {
      terms.add(
          new TermChange(
              "when",
              whenWords(whenBefore),
              whenWords(whenAfter),
              compareWhen(whenBefore, whenAfter)));
    }
    Set<String> basisBefore = legalBases(active);
    Set<String> basisAfter = legalBases(proposed);
    if (!basisBefore.equals(basisAfter)) {
      terms.add(
          new TermChange(
              "legal basis",
              String.join(" | ", basisBefore),
              String.join(" | ", basisAfter),
              Impact.CHANGED));
    }
    Period keptBefore = active.owner().covenant().retention().get(active.key().recipient());
    Period keptAfter = proposed.owner().covenant().retention().get(proposed.key().recipient());
    if (!Objects.equals(keptBefore, keptAfter)) {
      terms.add(
          new TermChange(
              "retention",
              String.valueOf(keptBefore),
              String.valueOf(keptAfter),
              compareRetention(keptBefore, keptAfter)));
    }
    Validity validBefore = active.owner().covenant().validity();
    Validity validAfter = proposed.owner().covenant().validity();
    if (!validBefore.equals(validAfter)) {
      terms.add(
          new TermChange(
              "in force",
              validBefore.from() + " to " + validBefore.until(),
              validAfter.from() + " to " + validAfter.until(),
              compareValidity(validBefore, validAfter)));
    }
    return terms;
  }

  private static Set<Optional<Condition>> conditions(KeyRules rules) {
    Set<Optional<Condition>> conditions = new LinkedHashSet<>();
    rules.rules().forEach(r -> conditions.add(r.when()));
    return conditions;
  }

  private static Set<String> legalBases(KeyRules rules) {
    Set<String> bases = new LinkedHashSet<>();
    Purpose purpose = rules.owner().covenant().purpose(rules.key().purpose()).orElse(null);
    for (Rule rule : rules.rules()) {
      LegalBasis basis =
          purpose != null
              ? purpose.legalBasis().overriddenBy(rule.legalBasis())
              : rule.legalBasis().orElse(LegalBasis.of("(none)"));
      StringBuilder text = new StringBuilder(basis.general());
      basis.specialCategories().ifPresent(b -> text.append("; art. 9: ").append(b));
      basis.criminalData().ifPresent(b -> text.append("; art. 10: ").append(b));
      basis.bsn().ifPresent(b -> text.append("; BSN: ").append(b));
      bases.add(text.toString());
    }
    return bases;
  }

  /** Conditions in words, one per rule of the key, joined by "or"; no condition is "always". */
  private static String whenWords(Set<Optional<Condition>> conditions) {
    return conditions.stream()
        .map(c -> c.map(ImpactPreview::words).orElse("always"))
        .collect(Collectors.joining(" or "));
  }

  static String words(Condition condition) {
    if (condition instanceof Condition.Equals c) {
      return c.path() + " = " + c.value();
    }
    if (condition instanceof Condition.OneOf c) {
      return c.path() + " in " + new TreeSet<>(c.values());
    }
    if (condition instanceof Condition.Contains c) {
      return c.path() + " contains " + c.value();
    }
    if (condition instanceof Condition.ContainsAny c) {
      return c.path() + " contains any of " + new TreeSet<>(c.values());
    }
    if (condition instanceof Condition.All all) {
      return all.conditions().stream()
          .map(ImpactPreview::words)
          .collect(Collectors.joining(" and ", "(", ")"));
    }
    return condition.operator() + " " + condition.paths();
  }

  /**
   * Rules without a condition apply to every event; otherwise a condition on the same field that
   * allows more values is wider. Anything else is changed: the replay shows its effect.
   */
  private static Impact compareWhen(
      Set<Optional<Condition>> active, Set<Optional<Condition>> proposed) {
    boolean alwaysBefore = active.contains(Optional.<Condition>empty());
    boolean alwaysAfter = proposed.contains(Optional.<Condition>empty());
    if (alwaysBefore != alwaysAfter) {
      return alwaysAfter ? Impact.WIDER : Impact.NARROWER;
    }
    if (active.size() == 1 && proposed.size() == 1 && !alwaysBefore) {
      Condition before = active.iterator().next().orElseThrow();
      Condition after = proposed.iterator().next().orElseThrow();
      Optional<Set<String>> was = allowed(before);
      Optional<Set<String>> is = allowed(after);
      if (was.isPresent()
          && is.isPresent()
          && before.paths().equals(after.paths())
          && before.wantsArray() == after.wantsArray()) {
        boolean wider = is.get().containsAll(was.get());
        boolean narrower = was.get().containsAll(is.get());
        return Impact.of(wider, narrower).orElse(Impact.CHANGED);
      }
    }
    return Impact.CHANGED;
  }

  /** The values a single-field condition lets through, or empty for a combined one. */
  private static Optional<Set<String>> allowed(Condition condition) {
    if (condition instanceof Condition.Contains c) {
      return Optional.of(Set.of(c.value()));
    }
    if (condition instanceof Condition.ContainsAny c) {
      return Optional.of(c.values());
    }
    if (condition instanceof Condition.All) {
      return Optional.empty();
    }
    return condition.allowedValues(condition.paths().get(0));
  }

  private static Impact compareRetention(Period active, Period proposed) {
    if (active == null || proposed == null) {
      return Impact.CHANGED;
    }
    long was = approximateDays(active);
    long is = approximateDays(proposed);
    return was == is ? Impact.CHANGED : is > was ? Impact.WIDER : Impact.NARROWER;
  }

  private static long approximateDays(Period period) {
    return period.getYears() * 365L + period.getMonths() * 30L + period.getDays();
  }

  private static Impact compareValidity(Validity active, Validity proposed) {
    boolean wider =
        proposed.from().isBefore(active.from()) || proposed.until().isAfter(active.until());
    boolean narrower =
        proposed.from().isAfter(active.from()) || proposed.until().isBefore(active.until());
    return Impact.of(wider, narrower).orElse(Impact.CHANGED);
  }

  // --- replay -------------------------------------------------------------------------------

  /** The replay so far: per pair its counts, changed events and examples. */
  private static final class Replay {
    final Map<PlanKey, PairTally> pairs = new LinkedHashMap<>();
    final Set<Integer> changedSamples = new LinkedHashSet<>();
    int index;

    void add(Sample sample, CovenantSet active, CovenantSet proposed, Instant at) {
      int number = index++;
      Set<String> recipients =
          new LinkedHashSet<>(active.recipients(sample.sender(), sample.purpose()));
      recipients.addAll(proposed.recipients(sample.sender(), sample.purpose()));
      for (String recipient : recipients) {
        Decision before =
            active.decide(sample.sender(), recipient, sample.purpose(), sample.event(), at);
        Decision after =
            proposed.decide(sample.sender(), recipient, sample.purpose(), sample.event(), at);
        PlanKey key =
            new PlanKey(
                sample.sender(), recipient, sample.purpose(), sample.event().getSchema().getName());
        PairTally tally =
            pairs.computeIfAbsent(
                key,
                k ->
                    new PairTally(
                        k,
                        active
                            .catalog()
                            .eventType(k.eventType())
                            .map(EventSchema::leaves)
                            .orElse(List.of())));
        if (tally.add(sample, before, after)) {
          changedSamples.add(number);
        }
      }
    }

    List<PairReplay> pairs() {
      return pairs.values().stream()
          .filter(PairTally::disclosedAny)
          .map(PairTally::result)
          .toList();
    }
  }

  /** One pair's replay, counted as the samples come. */
  private static final class PairTally {
    final PlanKey key;
    int events;
    int disclosedActive;
    int disclosedProposed;
    final Map<String, int[]> counts = new LinkedHashMap<>();
    final List<ChangedEvent> changed = new ArrayList<>();
    final Map<String, List<Example>> examples = new LinkedHashMap<>();
    final List<String> leafOrder;

    PairTally(PlanKey key, List<String> leafOrder) {
      this.key = key;
      this.leafOrder = leafOrder;
    }

    boolean disclosedAny() {
      return !counts.isEmpty();
    }

    /** Counts one sample's decisions; true if they differ. */
    boolean add(Sample sample, Decision before, Decision after) {
      events++;
      disclosedActive += before.disclosed() ? 1 : 0;
      disclosedProposed += after.disclosed() ? 1 : 0;
      Map<String, String> was = forms(before);
      Map<String, String> is = forms(after);
      Set<String> fields = new LinkedHashSet<>(was.keySet());
      fields.addAll(is.keySet());
      List<String> gained = new ArrayList<>();
      List<String> lost = new ArrayList<>();
      List<String> other = new ArrayList<>();
      Impact impact = null;
      for (String field : fields) {
        int[] count = counts.computeIfAbsent(field, f -> new int[3]);
        String formBefore = was.get(field);
        String formAfter = is.get(field);
        count[0] += formBefore != null ? 1 : 0;
        count[1] += formAfter != null ? 1 : 0;
        if (Objects.equals(formBefore, formAfter)) {
          continue;
        }
        count[2]++;
        Impact change;
        if (formBefore == null) {
          gained.add(field);
          change = Impact.WIDER;
        } else if (formAfter == null) {
          lost.add(field);
          change = Impact.NARROWER;
        } else {
          other.add(field);
          change = compareForms(formBefore, formAfter);
        }
        impact = change.max(impact);
        List<Example> kept = examples.computeIfAbsent(field, f -> new ArrayList<>());
        if (kept.size() < EXAMPLES_PER_FIELD) {
          kept.add(
              new Example(
                  sample.label(),
                  field,
                  shown(before, field, formBefore),
                  shown(after, field, formAfter)));
        }
      }
      boolean differs = !before.outcome().equals(after.outcome()) || impact != null;
      if (differs) {
        changed.add(
            new ChangedEvent(
                sample.label(),
                Outcome.of(before),
                Outcome.of(after),
                gained,
                lost,
                other,
                impact != null ? impact : Impact.CHANGED));
      }
      return differs;
    }

    PairReplay result() {
      List<FieldCount> fields = new ArrayList<>();
      List<String> order = new ArrayList<>(leafOrder);
      counts.keySet().stream().filter(f -> !order.contains(f)).forEach(order::add);
      for (String field : order) {
        int[] count = counts.get(field);
        if (count != null) {
          fields.add(new FieldCount(field, count[0], count[1], count[2]));
        }
      }
      List<Example> all = new ArrayList<>();
      order.forEach(f -> all.addAll(examples.getOrDefault(f, List.of())));
      return new PairReplay(key, events, disclosedActive, disclosedProposed, fields, changed, all);
    }
  }

  /** Leaf path to treatment name of what a decision discloses; empty when withheld. */
  private static Map<String, String> forms(Decision decision) {
    return decision instanceof Decision.Disclosed d ? d.plan().treatments() : Map.of();
  }

  /** How treatment names (as a plan gives them) compare, for the replay. */
  private static Impact compareForms(String active, String proposed) {
    int was = formStrength(active);
    int is = formStrength(proposed);
    return was == is ? Impact.CHANGED : is > was ? Impact.WIDER : Impact.NARROWER;
  }

  private static int formStrength(String form) {
    if (form.equals("pass")) {
      return 3;
    }
    return form.startsWith("generalise") || form.equals("pseudonymise") ? 2 : 1;
  }

  /** What the recipient receives of one field, masked: never the value itself. */
  private static String shown(Decision decision, String field, String form) {
    if (form == null || !(decision instanceof Decision.Disclosed disclosed)) {
      return WITHHELD;
    }
    if (form.equals("pseudonymise")) {
      return "pseudonym";
    }
    if (form.equals("redact")) {
      return "redacted";
    }
    JsonNode node = EventJson.write(disclosed.view());
    for (String part : field.split("\\.")) {
      node = node == null ? null : node.get(part);
    }
    return mask(node) + ", " + formWords(form);
  }

  private static String formWords(String form) {
    if (form.equals("pass")) {
      return "passes";
    }
    if (form.startsWith("generalise:")) {
      return "generalised to " + form.substring("generalise:".length()).replace('-', ' ');
    }
    return form;
  }

  /** A value as an example may show it: its first character (of four or more), and its length. */
  static String mask(JsonNode value) {
    if (value == null || value.isNull()) {
      return "(empty)";
    }
    if (value.isContainerNode()) {
      return value.isArray() ? "(list of " + value.size() + ")" : "(record)";
    }
    return mask(value.asText());
  }

  /** {@code P*** (9 chars)}; a value under four characters shows none of them. */
  public static String mask(String value) {
    if (value == null) {
      return "(empty)";
    }
    int length = value.codePointCount(0, value.length());
    String first = length >= 4 ? new String(Character.toChars(value.codePointAt(0))) : "";
    return first + "*** (" + length + (length == 1 ? " char)" : " chars)");
  }
}
