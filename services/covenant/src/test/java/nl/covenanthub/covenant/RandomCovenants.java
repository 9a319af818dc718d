package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Generators shared by the covenant properties (random covenants as model objects, random events with
 * traceable values) and an independent model of what a covenant allows, written from the rules' meaning
 * rather than from {@link LeafTreatments}, {@link FieldPlan} or {@link ViewBuilder}, so that the
 * properties compare two readings of a covenant instead of the code with itself.
 */
final class RandomCovenants {
  static final EventCatalog CATALOG = EventCatalog.standard();
  static final KeyRing KEYS = KeyRing.of(Map.of("k", new byte[32]));
  static final String REDACTED = "x";
  static final List<String> PARTIES = List.of("politie", "lzn", "veilig-thuis");
  /** Not a party: decisions for it must be withheld whatever the rules say. */
  static final String OUTSIDER = "buitenstaander";
  static final List<String> PURPOSES = List.of("zorg", "veiligheid");
  /** Not a purpose of the covenant. */
  static final String UNKNOWN_PURPOSE = "onbekend";
  /** Every basis named, so that the validator lets any sensitive field pass and only overlaps can fail it. */
  static final LegalBasis EVERY_BASIS = new LegalBasis(
      "AVG art. 6 lid 1 sub e", Optional.of("AVG art. 9 lid 2 sub g"), Optional.of("AVG art. 10"), Optional.of("Wabb art. 10"));
  /** Every string value starts with this, so a leaked value can be found in a view's text. */
  static final String MARKER = "v-";

  private static final LocalDate EARLIEST = LocalDate.of(2020, 1, 1);
  private static final Pattern POSTCODE_DIGITS = Pattern.compile("^\\s*(\\d{4})");
  private static final String CONTRADICTION = "make their conditions exclusive or agree on the field";

  /** Sentinel for a path that a record's schema does not have (as opposed to a null value). */
  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<absent>";
    }
  };

  private RandomCovenants() {}

  // ---------------------------------------------------------------------------------------------------
  // Covenants

  /**
   * Rules draw most treatments from one palette per covenant, so that rules for the same key often agree
   * and apply together (merged plans) instead of mostly contradicting each other and being refused.
   */
  static Arbitrary<Covenant> covenants() {
    return Combinators.combine(validities(), palettes())
        .flatAs((validity, palette) -> rules(palette).list().ofMinSize(1).ofMaxSize(5)
            // jqwik favours short lists and mixes in the shortest as an edge case; several rules are the
            // interesting case (merged plans, contradictions), so sizes are uniform and edge cases longer.
            .withSizeDistribution(RandomDistribution.uniform())
            .edgeCases(edgeCases -> edgeCases.filter(rules -> rules.size() > 1))
            .map(rules -> covenant(validity, rules)));
  }

  static Covenant covenant(Validity validity, List<Rule> rules) {
    List<Rule> numbered = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      numbered.add(new Rule("r" + i, r.from(), r.to(), r.purpose(), r.eventTypes(), r.when(), r.fields(), r.legalBasis()));
    }
    Map<String, Period> retention = new LinkedHashMap<>();
    PARTIES.forEach(p -> retention.put(p, Period.ofYears(1)));
    return new Covenant("random", "Random covenant", 1, validity, PARTIES.get(0),
        PARTIES.stream().map(p -> new Party(p, p)).toList(),
        PURPOSES.stream().map(p -> new Purpose(p, p, EVERY_BASIS)).toList(),
        numbered, retention);
  }

  static LoadedCovenant loaded(Covenant covenant) {
    return new LoadedCovenant("random.yaml", covenant, Map.of(), "hash");
  }

  /** From 2020 on, one day to some years long. */
  static Arbitrary<Validity> validities() {
    return Combinators.combine(Arbitraries.integers().between(0, 3000), Arbitraries.integers().between(0, 2000))
        .as((start, length) -> new Validity(EARLIEST.plusDays(start), EARLIEST.plusDays(start + length)));
  }

  /** The first instant of the validity's first day, in the covenant's zone. */
  static Instant start(Validity validity) {
    return validity.from().atStartOfDay(Validity.ZONE).toInstant();
  }

  /** The first instant after the validity's last day, in the covenant's zone. */
  static Instant end(Validity validity) {
    return validity.until().plusDays(1).atStartOfDay(Validity.ZONE).toInstant();
  }

  /** Instants inside the validity; jqwik's edge cases bring in its first and last millisecond. */
  static Arbitrary<Instant> instantsWithin(Validity validity) {
    return Arbitraries.longs().between(start(validity).toEpochMilli(), end(validity).toEpochMilli() - 1)
        .map(Instant::ofEpochMilli);
  }

  /** Instants before the validity starts or after it has ended, up to twenty years away. */
  static Arbitrary<Instant> instantsOutside(Validity validity) {
    long year = 366L * 24 * 3600 * 1000;
    long before = start(validity).toEpochMilli();
    long after = end(validity).toEpochMilli();
    return Arbitraries.oneOf(
        Arbitraries.longs().between(before - 20 * year, before - 1),
        Arbitraries.longs().between(after, after + 20 * year))
        .map(Instant::ofEpochMilli);
  }

  /** Sender and recipient; one pair is favoured so that rules for the same key are common. */
  private static Arbitrary<List<String>> pairs() {
    List<Tuple.Tuple2<Integer, List<String>>> pairs = new ArrayList<>();
    for (String from : PARTIES) {
      for (String to : PARTIES) {
        if (!from.equals(to)) {
          pairs.add(Tuple.of(pairs.isEmpty() ? 6 : 1, List.of(from, to)));
        }
      }
    }
    return Arbitraries.frequency(pairs);
  }

  /** Rules with id "r" (the covenant numbers them). */
  static Arbitrary<Rule> rules(Map<String, Treatment> palette) {
    Arbitrary<String> purposes = Arbitraries.frequency(Tuple.of(3, PURPOSES.get(0)), Tuple.of(1, PURPOSES.get(1)));
    return Combinators.combine(pairs(), purposes, eventTypeLists(), basisOverrides())
        .flatAs((pair, purpose, types, basis) -> Combinators.combine(conditions(types), fields(types, palette))
            .as((when, fields) -> new Rule("r", pair.get(0), pair.get(1), purpose, types, when, fields, basis)));
  }

  /** A treatment for every path of every event type (fields of the same name have the same type). */
  static Arbitrary<Map<String, Treatment>> palettes() {
    Map<String, FieldRef> refs = new LinkedHashMap<>();
    CATALOG.eventTypes().forEach(t -> schema(t).paths().forEach(p -> refs.putIfAbsent(p, schema(t).resolve(p).orElseThrow())));
    List<Arbitrary<Map.Entry<String, Treatment>>> entries = new ArrayList<>();
    refs.forEach((path, ref) -> entries.add(treatments(ref).map(t -> Map.entry(path, t))));
    return Combinators.combine(entries).as(list -> {
      Map<String, Treatment> palette = new LinkedHashMap<>();
      list.forEach(e -> palette.put(e.getKey(), e.getValue()));
      return palette;
    });
  }

  /** Mostly one type, so conditions on its own fields are possible; sometimes several sharing fields. */
  private static Arbitrary<List<String>> eventTypeLists() {
    return Arbitraries.frequency(
        Tuple.of(4, List.of("CaseSignal")),
        Tuple.of(3, List.of("CaseStatusChange")),
        Tuple.of(2, List.of("CaseReference")),
        Tuple.of(1, List.of("CaseSignal", "CaseReference")),
        Tuple.of(1, List.of("CaseSignal", "CaseStatusChange", "CaseReference")));
  }

  private static Arbitrary<Optional<LegalBasis>> basisOverrides() {
    return Arbitraries.just(new LegalBasis("Wpg art. 20", Optional.empty(), Optional.of("Wpg art. 20; AVG art. 10"),
        Optional.empty())).optional(0.2);
  }

  static EventSchema schema(String eventType) {
    return CATALOG.eventType(eventType).orElseThrow();
  }

  /** Paths (records and leaves) that every listed event type has, with the same type. */
  static List<String> commonPaths(List<String> types) {
    EventSchema first = schema(types.get(0));
    return first.paths().stream()
        .filter(p -> types.stream().allMatch(t -> schema(t).resolve(p)
            .filter(f -> f.type().equals(first.resolve(p).orElseThrow().type())).isPresent()))
        .toList();
  }

  /**
   * Each common path is named with some probability, mostly with the palette's treatment, else with any
   * that suits its type. Never empty: jqwik's edge cases would otherwise make "no fields" most rules.
   */
  static Arbitrary<Map<String, Treatment>> fields(List<String> types, Map<String, Treatment> palette) {
    EventSchema schema = schema(types.get(0));
    List<Arbitrary<Optional<Map.Entry<String, Treatment>>>> entries = new ArrayList<>();
    for (String path : commonPaths(types)) {
      FieldRef ref = schema.resolve(path).orElseThrow();
      Arbitrary<Treatment> treatment = Arbitraries.frequencyOf(
          Tuple.of(3, Arbitraries.just(palette.get(path))), Tuple.of(1, treatments(ref)));
      entries.add(treatment.map(t -> Map.entry(path, t)).optional(ref.isRecord() ? 0.15 : 0.3));
    }
    return Combinators.combine(entries).as(list -> {
      Map<String, Treatment> fields = new LinkedHashMap<>();
      list.forEach(e -> e.ifPresent(entry -> fields.put(entry.getKey(), entry.getValue())));
      return fields;
    }).filter(fields -> !fields.isEmpty());
  }

  /** Pass or drop for a record; for a leaf every treatment that the type allows. */
  static Arbitrary<Treatment> treatments(FieldRef field) {
    if (field.isRecord()) {
      return Arbitraries.frequency(Tuple.of(3, new Treatment.Pass()), Tuple.of(1, new Treatment.Drop()));
    }
    List<Tuple.Tuple2<Integer, Treatment>> options = new ArrayList<>();
    options.add(Tuple.of(4, new Treatment.Pass()));
    options.add(Tuple.of(1, new Treatment.Drop()));
    options.add(Tuple.of(1, new Treatment.Redact(REDACTED)));
    for (Treatment t : List.of(new Treatment.Pseudonymise("k"),
        new Treatment.Generalise(Treatment.Generalisation.YEAR),
        new Treatment.Generalise(Treatment.Generalisation.POSTCODE_AREA))) {
      if (t.unsuitableFor(field.type()).isEmpty()) {
        options.add(Tuple.of(2, t));
      }
    }
    return Arbitraries.frequency(options);
  }

  /** Conditions on the enum fields of single-type rules, as covenants use them; none otherwise. */
  static Arbitrary<Optional<Condition>> conditions(List<String> types) {
    if (types.equals(List.of("CaseSignal"))) {
      List<String> concerns = symbols("CaseSignal", "concerns");
      List<String> risks = symbols("CaseSignal", "riskLevel");
      Arbitrary<Condition> containsAny = some(concerns).map(v -> new Condition.ContainsAny("concerns", v));
      Arbitrary<Condition> contains = Arbitraries.of(concerns).map(v -> new Condition.Contains("concerns", v));
      Arbitrary<Condition> in = some(risks).map(v -> new Condition.OneOf("riskLevel", v));
      Arbitrary<Condition> equals = Arbitraries.of(risks).map(v -> new Condition.Equals("riskLevel", v));
      Arbitrary<Condition> all = Combinators.combine(containsAny, in).as((a, b) -> new Condition.All(List.of(a, b)));
      return Arbitraries.<Optional<Condition>>frequencyOf(
          Tuple.of(3, Arbitraries.just(Optional.empty())),
          Tuple.of(2, containsAny.map(Optional::of)),
          Tuple.of(1, contains.map(Optional::of)),
          Tuple.of(2, in.map(Optional::of)),
          Tuple.of(1, equals.map(Optional::of)),
          Tuple.of(1, all.map(Optional::of)));
    }
    if (types.equals(List.of("CaseStatusChange"))) {
      List<String> statuses = symbols("CaseStatusChange", "status");
      return Arbitraries.<Optional<Condition>>frequencyOf(
          Tuple.of(2, Arbitraries.just(Optional.empty())),
          Tuple.of(2, some(statuses).map(v -> Optional.of(new Condition.OneOf("status", v)))),
          Tuple.of(1, Arbitraries.of(statuses).map(v -> Optional.of(new Condition.Equals("status", v)))));
    }
    return Arbitraries.just(Optional.empty());
  }

  private static Arbitrary<Set<String>> some(List<String> values) {
    return Arbitraries.subsetOf(values).ofMinSize(1).ofMaxSize(3);
  }

  /** The enum symbols of a field, or of an array field's elements. */
  static List<String> symbols(String eventType, String path) {
    Schema type = schema(eventType).resolve(path).orElseThrow().type();
    return (type.getType() == Schema.Type.ARRAY ? type.getElementType() : type).getEnumSymbols();
  }

  // ---------------------------------------------------------------------------------------------------
  // Events

  /** One event of each type, then a few more of any type. */
  static Arbitrary<List<GenericData.Record>> eventLists() {
    List<Arbitrary<GenericData.Record>> each = CATALOG.eventTypes().stream().map(t -> events(schema(t))).toList();
    return Combinators.combine(Combinators.combine(each).as(List::copyOf), Arbitraries.oneOf(each).list().ofMaxSize(2))
        .as((one, more) -> {
          List<GenericData.Record> all = new ArrayList<>(one);
          all.addAll(more);
          return all;
        });
  }

  static Arbitrary<GenericData.Record> events(EventSchema type) {
    return record(type.avro(), "");
  }

  private static Arbitrary<GenericData.Record> record(Schema schema, String prefix) {
    List<Arbitrary<Object>> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(value(field.schema(), prefix + field.name()));
    }
    return Combinators.combine(fields).as(values -> {
      GenericData.Record record = new GenericData.Record(schema);
      for (int i = 0; i < values.size(); i++) {
        record.put(i, values.get(i));
      }
      return record;
    });
  }

  private static Arbitrary<Object> value(Schema schema, String path) {
    return switch (schema.getType()) {
      case UNION -> value(schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow(), path)
          .injectNull(0.25);
      case RECORD -> record(schema, path + ".").asGeneric();
      case STRING -> path.endsWith("postcode") ? postcodes(path) : markers(path).asGeneric();
      // Dates and timestamps from 1900 to 2100, so that generalising to a year has something to do.
      case LONG -> Arbitraries.longs().between(-2_208_988_800_000L, 4_102_444_800_000L).asGeneric();
      case INT -> Arbitraries.integers().between(-25_567, 47_482).asGeneric();
      case ENUM -> Arbitraries.of(schema.getEnumSymbols()).map(s -> (Object) new GenericData.EnumSymbol(schema, s));
      case ARRAY -> value(schema.getElementType(), path).list().ofMaxSize(4)
          .map(items -> (Object) new GenericData.Array<>(schema, items));
      default -> throw new IllegalArgumentException("no generator for " + schema.getType() + " at " + path);
    };
  }

  /** "v-PATH-N": names its field, so that a leak shows which field leaked. */
  private static Arbitrary<String> markers(String path) {
    return Arbitraries.longs().between(0, 999_999_999L).map(n -> MARKER + path + "-" + n);
  }

  /** Real postcodes (which generalise), markers (which do not) and postcodes followed by a marker. */
  private static Arbitrary<Object> postcodes(String path) {
    Arbitrary<String> real = Combinators.combine(
            Arbitraries.integers().between(1000, 9999), Arbitraries.strings().withCharRange('A', 'Z').ofLength(2))
        .as((digits, letters) -> digits + " " + letters);
    return Arbitraries.oneOf(real, markers(path), Combinators.combine(real, markers(path)).as((r, m) -> r + " " + m))
        .asGeneric();
  }

  /** A copy of {@code event} changed just enough to meet {@code when}. */
  static GenericData.Record meeting(Optional<Condition> when, GenericData.Record event) {
    GenericData.Record copy = GenericData.get().deepCopy(event.getSchema(), event);
    when.ifPresent(c -> force(c, copy));
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static void force(Condition condition, GenericData.Record event) {
    if (condition instanceof Condition.All all) {
      all.conditions().forEach(c -> force(c, event));
      return;
    }
    String path = condition.paths().get(0);
    Schema type = schema(event.getSchema().getName()).resolve(path).orElseThrow().type();
    String value;
    if (condition instanceof Condition.Equals c) {
      value = c.value();
    } else if (condition instanceof Condition.OneOf c) {
      value = new TreeSet<>(c.values()).first();
    } else if (condition instanceof Condition.Contains c) {
      value = c.value();
    } else if (condition instanceof Condition.ContainsAny c) {
      value = new TreeSet<>(c.values()).first();
    } else {
      throw new IllegalArgumentException(condition.toString());
    }
    if (type.getType() == Schema.Type.ARRAY) {
      ((GenericData.Array<Object>) event.get(path)).add(new GenericData.EnumSymbol(type.getElementType(), value));
    } else {
      event.put(path, new GenericData.EnumSymbol(type, value));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Compiling

  /**
   * The covenant compiled with the clock at {@code now}, or empty if the validator refused it. The only
   * refusal these generators can provoke is two rules that may apply together and disagree on a field;
   * the validator must refuse exactly those.
   */
  static Optional<CovenantSet> compile(Covenant covenant, Instant now) {
    Optional<CovenantSet> set;
    try {
      set = Optional.of(CovenantSet.compile(List.of(loaded(covenant)), CATALOG, KEYS, Clock.fixed(now, ZoneOffset.UTC)));
    } catch (CovenantException e) {
      assertThat(e.problems()).as("problems with a generated covenant other than contradicting overlaps:\n%s", covenant)
          .allSatisfy(p -> assertThat(p.message()).contains(CONTRADICTION));
      set = Optional.empty();
    }
    assertThat(set.isEmpty())
        .as("validator refuses (%s) iff two rules that can apply to one event disagree on a field (%s):\n%s",
            set.isEmpty(), contradiction(covenant).orElse("none"), covenant)
        .isEqualTo(contradiction(covenant).isPresent());
    return set;
  }

  // ---------------------------------------------------------------------------------------------------
  // The independent model of what a covenant allows

  /** Leaf path to the treatment a rule gives it: the entry for the leaf or for its nearest named record. */
  static Map<String, Treatment> leafTreatments(Rule rule, EventSchema schema) {
    Map<String, Treatment> leaves = new LinkedHashMap<>();
    for (String leaf : schema.leaves()) {
      for (String path = leaf; path != null; path = parent(path)) {
        Treatment t = rule.fields().get(path);
        if (t != null) {
          leaves.put(leaf, t);
          break;
        }
      }
    }
    return leaves;
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? null : path.substring(0, dot);
  }

  /** Whether the condition holds for the event, read from the event's values as text. */
  static boolean holds(Optional<Condition> when, GenericRecord event) {
    return when.map(c -> holds(c, event)).orElse(true);
  }

  static boolean holds(Condition condition, GenericRecord event) {
    if (condition instanceof Condition.All all) {
      return all.conditions().stream().allMatch(c -> holds(c, event));
    }
    Object value = valueAt(event, condition.paths().get(0));
    List<String> values = new ArrayList<>();
    if (value instanceof List<?> items) {
      items.forEach(i -> values.add(String.valueOf(i)));
    }
    String text = value == null || value == ABSENT ? null : value.toString();
    if (condition instanceof Condition.Equals c) {
      return c.value().equals(text);
    }
    if (condition instanceof Condition.OneOf c) {
      return text != null && c.values().contains(text);
    }
    if (condition instanceof Condition.Contains c) {
      return values.contains(c.value());
    }
    if (condition instanceof Condition.ContainsAny c) {
      return values.stream().anyMatch(c.values()::contains);
    }
    throw new IllegalArgumentException(condition.toString());
  }

  /** Whether some event meets both: only equals/in on the same field can exclude each other. */
  static boolean canHoldTogether(Optional<Condition> a, Optional<Condition> b) {
    Map<String, Set<String>> allowed = new HashMap<>();
    List<Condition> tests = new ArrayList<>();
    a.ifPresent(c -> tests.addAll(c instanceof Condition.All all ? all.conditions() : List.of(c)));
    b.ifPresent(c -> tests.addAll(c instanceof Condition.All all ? all.conditions() : List.of(c)));
    for (Condition c : tests) {
      Set<String> values = c instanceof Condition.Equals e ? Set.of(e.value())
          : c instanceof Condition.OneOf o ? o.values() : null;
      if (values != null) {
        allowed.merge(c.paths().get(0), new HashSet<>(values), (x, y) -> {
          x.retainAll(y);
          return x;
        });
      }
    }
    return allowed.values().stream().noneMatch(Set::isEmpty);
  }

  /** Two rules that may apply to the same event and treat a field differently, described; empty if none. */
  static Optional<String> contradiction(Covenant covenant) {
    List<Rule> rules = covenant.rules();
    for (int j = 0; j < rules.size(); j++) {
      for (int i = 0; i < j; i++) {
        Rule a = rules.get(i);
        Rule b = rules.get(j);
        if (!a.from().equals(b.from()) || !a.to().equals(b.to()) || !a.purpose().equals(b.purpose())
            || !canHoldTogether(a.when(), b.when())) {
          continue;
        }
        for (String type : b.eventTypes()) {
          if (!a.eventTypes().contains(type)) {
            continue;
          }
          Map<String, Treatment> ta = leafTreatments(a, schema(type));
          Map<String, Treatment> tb = leafTreatments(b, schema(type));
          for (String leaf : tb.keySet()) {
            if (ta.containsKey(leaf) && !ta.get(leaf).equals(tb.get(leaf))) {
              return Optional.of(a.id() + " and " + b.id() + " on " + type + "." + leaf);
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What the covenant says about one event for one key at one moment.
   *
   * @param reason why it is withheld, or null if it is disclosed
   * @param applying the rules for the key whose condition holds
   * @param allowed leaf path to treatment, for the leaves that an applying rule lets pass in some form
   * @param named leaf path to treatment, for every leaf that an applying rule names (drop included)
   */
  record Expectation(Decision.Reason reason, List<Rule> applying, Map<String, Treatment> allowed,
      Map<String, Treatment> named) {}

  static Expectation expect(Covenant covenant, PlanKey key, GenericRecord event, Instant at) {
    List<Rule> forKey = covenant.rules().stream()
        .filter(r -> r.from().equals(key.sender()) && r.to().equals(key.recipient()) && r.purpose().equals(key.purpose())
            && r.eventTypes().contains(key.eventType()))
        .toList();
    if (forKey.isEmpty()) {
      Decision.Reason reason = covenant.purpose(key.purpose()).isEmpty() ? Decision.Reason.UNKNOWN_PURPOSE
          : !covenant.hasParty(key.sender()) || !covenant.hasParty(key.recipient()) ? Decision.Reason.NOT_A_PARTY
          : Decision.Reason.NO_RULE;
      return new Expectation(reason, List.of(), Map.of(), Map.of());
    }
    LocalDate day = LocalDate.ofInstant(at, Validity.ZONE);
    if (day.isBefore(covenant.validity().from()) || day.isAfter(covenant.validity().until())) {
      return new Expectation(Decision.Reason.COVENANT_NOT_IN_FORCE, List.of(), Map.of(), Map.of());
    }
    List<Rule> applying = forKey.stream().filter(r -> holds(r.when(), event)).toList();
    if (applying.isEmpty()) {
      return new Expectation(Decision.Reason.CONDITION_NOT_MET, applying, Map.of(), Map.of());
    }
    Map<String, Treatment> named = new LinkedHashMap<>();
    for (Rule rule : applying) {
      leafTreatments(rule, schema(key.eventType())).forEach((leaf, t) -> {
        Treatment earlier = named.putIfAbsent(leaf, t);
        assertThat(earlier == null || earlier.equals(t))
            .as("rules %s apply together to %s but disagree on %s (%s vs %s): the validator let that through",
                applying.stream().map(Rule::id).toList(), key, leaf, earlier, t)
            .isTrue();
      });
    }
    Map<String, Treatment> allowed = new LinkedHashMap<>();
    named.forEach((leaf, t) -> {
      if (!(t instanceof Treatment.Drop)) {
        allowed.put(leaf, t);
      }
    });
    return new Expectation(allowed.isEmpty() ? Decision.Reason.NO_FIELDS : null, applying, allowed, named);
  }

  /** Every key a decision can be asked for: parties, an outsider, the covenant's purposes and an unknown one. */
  static List<PlanKey> keys(String eventType) {
    List<String> who = new ArrayList<>(PARTIES);
    who.add(OUTSIDER);
    List<String> why = new ArrayList<>(PURPOSES);
    why.add(UNKNOWN_PURPOSE);
    List<PlanKey> keys = new ArrayList<>();
    for (String sender : who) {
      for (String recipient : who) {
        for (String purpose : why) {
          keys.add(new PlanKey(sender, recipient, purpose, eventType));
        }
      }
    }
    return keys;
  }

  /** The value at a dotted path; null if it or a record on the way is null; ABSENT if the schema lacks it. */
  static Object valueAt(GenericRecord record, String path) {
    Object value = record;
    for (String name : path.split("\\.")) {
      if (value == null) {
        return null;
      }
      if (!(value instanceof GenericRecord r) || r.getSchema().getField(name) == null) {
        return ABSENT;
      }
      value = r.get(name);
    }
    return value;
  }

  /** What generalising {@code raw} must give, computed here rather than by the treatment. */
  static Object generalised(Treatment.Generalisation to, Object raw) {
    return switch (to) {
      case YEAR -> raw instanceof Long millis
          ? Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).getYear()
          : LocalDate.ofEpochDay((Integer) raw).getYear();
      case POSTCODE_AREA -> {
        Matcher m = POSTCODE_DIGITS.matcher(raw.toString());
        yield m.find() ? m.group(1) : null;
      }
    };
  }

  /** The marker inside a string value (from "v-" on), or null if the value carries none. */
  static String marker(Object raw) {
    if (!(raw instanceof CharSequence text)) {
      return null;
    }
    int at = text.toString().indexOf(MARKER);
    return at < 0 ? null : text.toString().substring(at);
  }
}
