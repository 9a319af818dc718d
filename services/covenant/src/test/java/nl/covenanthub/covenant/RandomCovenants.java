package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators shared by the covenant properties (random covenants as model objects, random events
 * with traceable values) and an independent model of what a covenant allows, written from the
 * rules' meaning rather than from {@link LeafTreatments}, {@link FieldPlan} or {@link ViewBuilder},
 * so that the properties compare two readings of a covenant instead of the code with itself.
 *
 * <p>The generators are QuickTheories {@link Gen}s. Every random choice is drawn from the {@code
 * RandomnessSource} that QuickTheories passes in (never from a {@code java.util.Random}), so a run
 * is fixed by its seed and a failing example can be shrunk: QuickTheories shrinks the recorded
 * draws.
 */
final class RandomCovenants {
  /**
   * The seed of every property run: fixed, so that each run tries the same examples, a failure
   * shows again when the test is run again, and the coverage counts do not vary from run to run.
   * QuickTheories prints it with a falsified property ("Seed was ..."). Setting QuickTheories' own
   * system property, {@code mvn test -DQT_SEED=n}, replaces it: to explore other examples, or to
   * rerun a reported seed.
   */
  static final long SEED = Long.getLong("QT_SEED", 20_240_611L);

  /**
   * Attempts to shrink a falsified example. QuickTheories' default is a hundred times its default
   * number of examples (100,000 runs of the property), far too many for properties that take
   * milliseconds each.
   */
  static final int SHRINK_CYCLES = 200;

  static final EventCatalog CATALOG = EventCatalog.standard();
  static final KeyRing KEYS = KeyRing.of(Map.of("k", new byte[32]));
  static final String REDACTED = "x";
  static final List<String> PARTIES = List.of("politie", "lzn", "veilig-thuis");

  /** Not a party: decisions for it must be withheld whatever the rules say. */
  static final String OUTSIDER = "buitenstaander";

  static final List<String> PURPOSES = List.of("zorg", "veiligheid");

  /** Not a purpose of the covenant. */
  static final String UNKNOWN_PURPOSE = "onbekend";

  /**
   * Every basis named, so that the validator lets any sensitive field pass and only overlaps can
   * fail it.
   */
  static final LegalBasis EVERY_BASIS =
      new LegalBasis(
          "AVG art. 6 lid 1 sub e",
          Optional.of("AVG art. 9 lid 2 sub g"),
          Optional.of("AVG art. 10"),
          Optional.of("Wabb art. 10"));

  /**
   * Every string value carries this ("v-PATH-N"), so a leaked value can be found in a view's text.
   */
  static final String MARKER = "v-";

  private static final LocalDate EARLIEST = LocalDate.of(2020, 1, 1);
  private static final Pattern POSTCODE_DIGITS = Pattern.compile("^\\s*(\\d{4})");
  private static final String CONTRADICTION =
      "make their conditions exclusive or agree on the field";

  /** Sentinel for a path that a record's schema does not have (as opposed to a null value). */
  static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "<absent>";
        }
      };

  private RandomCovenants() {}

  // ---------------------------------------------------------------------------------------------------
  // Covenants

  /**
   * Rules draw most treatments from one palette per covenant, so that rules for the same key often
   * agree and apply together (merged plans) instead of mostly contradicting each other and being
   * refused. For the same reason one rule in four after the first is a {@linkplain #companions
   * companion} of an earlier one.
   */
  static Gen<Covenant> covenants() {
    Gen<Validity> validities = validities();
    Gen<Map<String, Treatment>> palettes = palettes();
    // The number of rules is uniform: several rules are the interesting case (merged plans,
    // contradictions), so one rule must not dominate; shrinking still goes towards a single rule.
    Gen<Integer> counts = Generate.range(1, 5, 1);
    Gen<Boolean> companion = chance(25);
    return in -> {
      Validity validity = validities.generate(in);
      Map<String, Treatment> palette = palettes.generate(in);
      Gen<Rule> fresh = rules(palette);
      List<Rule> rules = new ArrayList<>();
      for (int n = counts.generate(in); n > 0; n--) {
        rules.add(
            !rules.isEmpty() && companion.generate(in)
                ? companions(Generate.pick(rules).generate(in), palette).generate(in)
                : fresh.generate(in));
      }
      return covenant(validity, rules);
    };
  }

  /**
   * Rules for the same key as {@code earlier} (parties, purpose, event types) with a condition of
   * their own and fields that agree with the earlier rule's on every leaf both name: drawn again
   * until they do, ten times at most, else the earlier rule's fields. Independent rules rarely
   * share a key without contradicting each other, so without these, views from several rules (plans
   * merged from rules that apply together) come from about one compiled covenant in ten; with them,
   * from a third or more.
   */
  static Gen<Rule> companions(Rule earlier, Map<String, Treatment> palette) {
    List<String> types = earlier.eventTypes();
    Gen<Optional<Condition>> conditions = conditions(types);
    Gen<Map<String, Treatment>> fields = fields(types, palette);
    Gen<Optional<LegalBasis>> basisOverrides = basisOverrides();
    return in -> {
      Optional<LegalBasis> basis = basisOverrides.generate(in);
      Optional<Condition> when = conditions.generate(in);
      Map<String, Treatment> agreeing = earlier.fields();
      for (int attempt = 0; attempt < 10; attempt++) {
        Map<String, Treatment> candidate = fields.generate(in);
        if (agree(types, earlier.fields(), candidate)) {
          agreeing = candidate;
          break;
        }
      }
      return new Rule(
          "r", earlier.from(), earlier.to(), earlier.purpose(), types, when, agreeing, basis);
    };
  }

  /**
   * Whether two rules' fields treat every leaf that both name alike, for each of the event types.
   */
  private static boolean agree(
      List<String> types, Map<String, Treatment> a, Map<String, Treatment> b) {
    for (String type : types) {
      Map<String, Treatment> leavesA = leafTreatments(a, schema(type));
      Map<String, Treatment> leavesB = leafTreatments(b, schema(type));
      for (String leaf : leavesB.keySet()) {
        if (leavesA.containsKey(leaf) && !leavesA.get(leaf).equals(leavesB.get(leaf))) {
          return false;
        }
      }
    }
    return true;
  }

  static Covenant covenant(Validity validity, List<Rule> rules) {
    List<Rule> numbered = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      numbered.add(
          new Rule(
              "r" + i,
              r.from(),
              r.to(),
              r.purpose(),
              r.eventTypes(),
              r.when(),
              r.fields(),
              r.legalBasis()));
    }
    Map<String, Period> retention = new LinkedHashMap<>();
    PARTIES.forEach(p -> retention.put(p, Period.ofYears(1)));
    return new Covenant(
        "random",
        "Random covenant",
        1,
        validity,
        PARTIES.get(0),
        PARTIES.stream().map(p -> new Party(p, p)).toList(),
        PURPOSES.stream().map(p -> new Purpose(p, p, EVERY_BASIS)).toList(),
        numbered,
        retention);
  }

  static LoadedCovenant loaded(Covenant covenant) {
    return new LoadedCovenant("random.yaml", covenant, Map.of(), "hash", "", java.util.Set.of());
  }

  /**
   * The covenant written as covenant text and read back by {@link CovenantLoader}, which must give
   * the same model: the path a real covenant takes. JSON is used as the text, since every JSON is
   * YAML.
   */
  static LoadedCovenant viaText(Covenant covenant) {
    String text = text(covenant);
    LoadedCovenant loaded;
    try {
      loaded = CovenantLoader.load("random.yaml", text.getBytes(StandardCharsets.UTF_8));
    } catch (CovenantException e) {
      throw new AssertionError(
          "the loader refuses a generated covenant:\n" + e.getMessage() + "\n" + text, e);
    }
    assertThat(loaded.covenant())
        .as("covenant read back from its text:\n%s", text)
        .isEqualTo(covenant);
    return loaded;
  }

  static String text(Covenant c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("id", c.id());
    root.put("title", c.title());
    root.put("version", c.version());
    root.put(
        "validity",
        Map.of("from", c.validity().from().toString(), "until", c.validity().until().toString()));
    root.put("coordinator", c.coordinator());
    root.put(
        "parties", c.parties().stream().map(p -> Map.of("id", p.id(), "name", p.name())).toList());
    root.put(
        "purposes",
        c.purposes().stream()
            .map(
                p -> {
                  Map<String, Object> purpose = new LinkedHashMap<>();
                  purpose.put("id", p.id());
                  purpose.put("description", p.description());
                  purpose.put("legalBasis", text(p.legalBasis()));
                  return purpose;
                })
            .toList());
    root.put(
        "rules",
        c.rules().stream()
            .map(
                r -> {
                  Map<String, Object> rule = new LinkedHashMap<>();
                  rule.put("id", r.id());
                  rule.put("from", r.from());
                  rule.put("to", r.to());
                  rule.put("purpose", r.purpose());
                  rule.put("eventTypes", r.eventTypes());
                  r.when()
                      .ifPresent(
                          when -> {
                            Map<String, Object> tests = new LinkedHashMap<>();
                            for (Condition test :
                                when instanceof Condition.All all
                                    ? all.conditions()
                                    : List.of(when)) {
                              Object value =
                                  test instanceof Condition.Equals e
                                      ? e.value()
                                      : test instanceof Condition.Contains e
                                          ? e.value()
                                          : test instanceof Condition.OneOf e
                                              ? new TreeSet<>(e.values())
                                              : new TreeSet<>(
                                                  ((Condition.ContainsAny) test).values());
                              tests.put(test.paths().get(0), Map.of(test.operator(), value));
                            }
                            rule.put("when", tests);
                          });
                  r.legalBasis().ifPresent(b -> rule.put("legalBasis", text(b)));
                  Map<String, Object> fields = new LinkedHashMap<>();
                  r.fields()
                      .forEach(
                          (path, t) ->
                              fields.put(
                                  path,
                                  t instanceof Treatment.Pass || t instanceof Treatment.Drop
                                      ? t.name()
                                      : t instanceof Treatment.Pseudonymise p
                                          ? Map.of("pseudonymise", p.keyRef())
                                          : t instanceof Treatment.Generalise g
                                              ? Map.of(
                                                  "generalise",
                                                  g.name().substring("generalise:".length()))
                                              : Map.of(
                                                  "redact", ((Treatment.Redact) t).replacement())));
                  rule.put("fields", fields);
                  return rule;
                })
            .toList());
    Map<String, String> retention = new LinkedHashMap<>();
    c.retention().forEach((party, period) -> retention.put(party, period.toString()));
    root.put("retention", retention);
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> text(LegalBasis basis) {
    Map<String, String> text = new LinkedHashMap<>();
    text.put("general", basis.general());
    basis.specialCategories().ifPresent(b -> text.put("specialCategories", b));
    basis.criminalData().ifPresent(b -> text.put("criminalData", b));
    basis.bsn().ifPresent(b -> text.put("bsn", b));
    return text;
  }

  /** From 2020 on, one day to some years long. */
  static Gen<Validity> validities() {
    return Generate.range(0, 3000)
        .zip(
            Generate.range(0, 2000),
            (start, length) ->
                new Validity(EARLIEST.plusDays(start), EARLIEST.plusDays(start + length)));
  }

  /** The first instant of the validity's first day, in the covenant's zone. */
  static Instant start(Validity validity) {
    return validity.from().atStartOfDay(Validity.ZONE).toInstant();
  }

  /** The first instant after the validity's last day, in the covenant's zone. */
  static Instant end(Validity validity) {
    return validity.until().plusDays(1).atStartOfDay(Validity.ZONE).toInstant();
  }

  /** Instants inside the validity, its first and its last millisecond each one time in twenty. */
  static Gen<Instant> instantsWithin(Validity validity) {
    long first = start(validity).toEpochMilli();
    long last = end(validity).toEpochMilli() - 1;
    return Generate.frequency(
            List.of(
                Pair.of(18, Generate.longRange(first, last, first)),
                Pair.of(1, Generate.constant(first)),
                Pair.of(1, Generate.constant(last))))
        .map(Instant::ofEpochMilli);
  }

  /** Instants before the validity starts or after it has ended, up to twenty years away. */
  static Gen<Instant> instantsOutside(Validity validity) {
    long year = 366L * 24 * 3600 * 1000;
    long before = start(validity).toEpochMilli();
    long after = end(validity).toEpochMilli();
    return Generate.oneOf(
            Generate.longRange(before - 20 * year, before - 1, before - 1),
            Generate.longRange(after, after + 20 * year, after))
        .map(Instant::ofEpochMilli);
  }

  /** Sender and recipient; one pair is favoured so that rules for the same key are common. */
  private static Gen<List<String>> pairs() {
    List<Pair<Integer, Gen<List<String>>>> pairs = new ArrayList<>();
    for (String from : PARTIES) {
      for (String to : PARTIES) {
        if (!from.equals(to)) {
          pairs.add(Pair.of(pairs.isEmpty() ? 6 : 1, Generate.constant(List.of(from, to))));
        }
      }
    }
    return Generate.frequency(pairs);
  }

  /** Rules with id "r" (the covenant numbers them). */
  static Gen<Rule> rules(Map<String, Treatment> palette) {
    Gen<List<String>> pairs = pairs();
    Gen<String> purposes =
        Generate.frequency(
            List.of(
                Pair.of(3, Generate.constant(PURPOSES.get(0))),
                Pair.of(1, Generate.constant(PURPOSES.get(1)))));
    Gen<List<String>> eventTypeLists = eventTypeLists();
    Gen<Optional<LegalBasis>> basisOverrides = basisOverrides();
    return in -> {
      List<String> pair = pairs.generate(in);
      String purpose = purposes.generate(in);
      List<String> types = eventTypeLists.generate(in);
      Optional<LegalBasis> basis = basisOverrides.generate(in);
      Optional<Condition> when = conditions(types).generate(in);
      Map<String, Treatment> fields = fields(types, palette).generate(in);
      return new Rule("r", pair.get(0), pair.get(1), purpose, types, when, fields, basis);
    };
  }

  /**
   * A treatment for every path of every event type (fields of the same name have the same type).
   */
  static Gen<Map<String, Treatment>> palettes() {
    Map<String, Gen<Treatment>> treatments = new LinkedHashMap<>();
    CATALOG
        .eventTypes()
        .forEach(
            t ->
                schema(t)
                    .paths()
                    .forEach(
                        p ->
                            treatments.computeIfAbsent(
                                p, path -> treatments(schema(t).resolve(path).orElseThrow()))));
    return in -> {
      Map<String, Treatment> palette = new LinkedHashMap<>();
      treatments.forEach((path, treatment) -> palette.put(path, treatment.generate(in)));
      return palette;
    };
  }

  /**
   * Mostly one type, so conditions on its own fields are possible; sometimes several sharing
   * fields.
   */
  private static Gen<List<String>> eventTypeLists() {
    return Generate.frequency(
        List.of(
            Pair.of(4, Generate.constant(List.of("CaseSignal"))),
            Pair.of(3, Generate.constant(List.of("CaseStatusChange"))),
            Pair.of(2, Generate.constant(List.of("CaseReference"))),
            Pair.of(1, Generate.constant(List.of("CaseSignal", "CaseReference"))),
            Pair.of(
                1, Generate.constant(List.of("CaseSignal", "CaseStatusChange", "CaseReference")))));
  }

  private static Gen<Optional<LegalBasis>> basisOverrides() {
    return optional(
        Generate.constant(
            new LegalBasis(
                "Wpg art. 20",
                Optional.empty(),
                Optional.of("Wpg art. 20; AVG art. 10"),
                Optional.empty())),
        20);
  }

  static EventSchema schema(String eventType) {
    return CATALOG.eventType(eventType).orElseThrow();
  }

  /** Paths (records and leaves) that every listed event type has, with the same type. */
  static List<String> commonPaths(List<String> types) {
    EventSchema first = schema(types.get(0));
    return first.paths().stream()
        .filter(
            p ->
                types.stream()
                    .allMatch(
                        t ->
                            schema(t)
                                .resolve(p)
                                .filter(f -> f.type().equals(first.resolve(p).orElseThrow().type()))
                                .isPresent()))
        .toList();
  }

  /**
   * Each common path is named with some probability (15% for a record, 30% for a leaf), mostly with
   * the palette's treatment, else with any that suits its type. Never empty, as the covenant schema
   * requires: a draw that names no path is drawn again.
   */
  static Gen<Map<String, Treatment>> fields(List<String> types, Map<String, Treatment> palette) {
    EventSchema schema = schema(types.get(0));
    Map<String, Gen<Optional<Treatment>>> entries = new LinkedHashMap<>();
    for (String path : commonPaths(types)) {
      FieldRef ref = schema.resolve(path).orElseThrow();
      Gen<Treatment> treatment =
          Generate.frequency(
              List.of(
                  Pair.of(3, Generate.constant(palette.get(path))), Pair.of(1, treatments(ref))));
      entries.put(path, optional(treatment, ref.isRecord() ? 15 : 30));
    }
    return in -> {
      Map<String, Treatment> fields = new LinkedHashMap<>();
      while (fields.isEmpty()) {
        entries.forEach((path, entry) -> entry.generate(in).ifPresent(t -> fields.put(path, t)));
      }
      return fields;
    };
  }

  /** Pass or drop for a record; for a leaf every treatment that the type allows. */
  static Gen<Treatment> treatments(FieldRef field) {
    if (field.isRecord()) {
      return Generate.frequency(
          List.of(
              Pair.of(3, Generate.constant(new Treatment.Pass())),
              Pair.of(1, Generate.constant(new Treatment.Drop()))));
    }
    List<Pair<Integer, Gen<Treatment>>> options = new ArrayList<>();
    options.add(Pair.of(4, Generate.constant(new Treatment.Pass())));
    options.add(Pair.of(1, Generate.constant(new Treatment.Drop())));
    options.add(Pair.of(1, Generate.constant(new Treatment.Redact(REDACTED))));
    for (Treatment t :
        List.of(
            new Treatment.Pseudonymise("k"),
            new Treatment.Generalise(Treatment.Generalisation.YEAR),
            new Treatment.Generalise(Treatment.Generalisation.POSTCODE_AREA))) {
      if (t.unsuitableFor(field.type()).isEmpty()) {
        options.add(Pair.of(2, Generate.constant(t)));
      }
    }
    return Generate.frequency(options);
  }

  /** Conditions on the enum fields of single-type rules, as covenants use them; none otherwise. */
  static Gen<Optional<Condition>> conditions(List<String> types) {
    if (types.equals(List.of("CaseSignal"))) {
      List<String> concerns = symbols("CaseSignal", "concerns");
      List<String> risks = symbols("CaseSignal", "riskLevel");
      Gen<Condition> containsAny =
          some(concerns).map(v -> new Condition.ContainsAny("concerns", v));
      Gen<Condition> contains =
          Generate.pick(concerns).map(v -> new Condition.Contains("concerns", v));
      Gen<Condition> in = some(risks).map(v -> new Condition.OneOf("riskLevel", v));
      Gen<Condition> equals = Generate.pick(risks).map(v -> new Condition.Equals("riskLevel", v));
      Gen<Condition> all = containsAny.zip(in, (a, b) -> new Condition.All(List.of(a, b)));
      return Generate.frequency(
          List.of(
              Pair.of(3, Generate.constant(Optional.empty())),
              Pair.of(2, containsAny.map(Optional::of)),
              Pair.of(1, contains.map(Optional::of)),
              Pair.of(2, in.map(Optional::of)),
              Pair.of(1, equals.map(Optional::of)),
              Pair.of(1, all.map(Optional::of))));
    }
    if (types.equals(List.of("CaseStatusChange"))) {
      List<String> statuses = symbols("CaseStatusChange", "status");
      return Generate.frequency(
          List.of(
              Pair.of(2, Generate.constant(Optional.empty())),
              Pair.of(2, some(statuses).map(v -> Optional.of(new Condition.OneOf("status", v)))),
              Pair.of(
                  1,
                  Generate.pick(statuses)
                      .map(v -> Optional.of(new Condition.Equals("status", v))))));
    }
    return Generate.constant(Optional.empty());
  }

  /** One to three different values. */
  private static Gen<Set<String>> some(List<String> values) {
    Gen<Integer> sizes = Generate.range(1, Math.min(3, values.size()), 1);
    return in -> {
      List<String> left = new ArrayList<>(values);
      Set<String> some = new LinkedHashSet<>();
      for (int n = sizes.generate(in); n > 0; n--) {
        some.add(left.remove((int) Generate.range(0, left.size() - 1).generate(in)));
      }
      return some;
    };
  }

  /** The enum symbols of a field, or of an array field's elements. */
  static List<String> symbols(String eventType, String path) {
    Schema type = schema(eventType).resolve(path).orElseThrow().type();
    return (type.getType() == Schema.Type.ARRAY ? type.getElementType() : type).getEnumSymbols();
  }

  // ---------------------------------------------------------------------------------------------------
  // Events

  /** One event of each type, then up to two more of any type. */
  static Gen<List<GenericData.Record>> eventLists() {
    List<Gen<GenericData.Record>> each =
        CATALOG.eventTypes().stream().map(t -> events(schema(t))).toList();
    Gen<GenericData.Record> any = Generate.pick(each).flatMap(type -> type);
    Gen<Integer> more = Generate.range(0, 2);
    return in -> {
      List<GenericData.Record> all = new ArrayList<>();
      each.forEach(type -> all.add(type.generate(in)));
      all.addAll(listOf(any, more.generate(in)).generate(in));
      return all;
    };
  }

  static Gen<GenericData.Record> events(EventSchema type) {
    return record(type.avro(), "");
  }

  private static Gen<GenericData.Record> record(Schema schema, String prefix) {
    List<Gen<Object>> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(value(field.schema(), prefix + field.name()));
    }
    return in -> {
      GenericData.Record record = new GenericData.Record(schema);
      for (int i = 0; i < fields.size(); i++) {
        record.put(i, fields.get(i).generate(in));
      }
      return record;
    };
  }

  private static Gen<Object> value(Schema schema, String path) {
    return switch (schema.getType()) {
      case UNION ->
          orNull(
              value(
                  schema.getTypes().stream()
                      .filter(t -> t.getType() != Schema.Type.NULL)
                      .findFirst()
                      .orElseThrow(),
                  path),
              25);
      case RECORD -> generic(record(schema, path + "."));
      case STRING -> path.endsWith("postcode") ? postcodes(path) : generic(markers(path));
      // Dates and timestamps from 1900 to 2100, so that generalising to a year has something to do.
      case LONG -> generic(Generate.longRange(-2_208_988_800_000L, 4_102_444_800_000L));
      case INT -> generic(Generate.range(-25_567, 47_482));
      case ENUM ->
          Generate.pick(schema.getEnumSymbols()).map(s -> new GenericData.EnumSymbol(schema, s));
      case ARRAY -> {
        Gen<Object> items = value(schema.getElementType(), path);
        Gen<Integer> sizes = Generate.range(0, 4);
        yield in -> new GenericData.Array<>(schema, listOf(items, sizes.generate(in)).generate(in));
      }
      default ->
          throw new IllegalArgumentException(
              "no generator for " + schema.getType() + " at " + path);
    };
  }

  /** "v-PATH-N": names its field, so that a leak shows which field leaked. */
  private static Gen<String> markers(String path) {
    return Generate.longRange(0, 999_999_999L).map(n -> MARKER + path + "-" + n);
  }

  /**
   * Real postcodes (which generalise), markers (which do not) and postcodes followed by a marker.
   */
  private static Gen<Object> postcodes(String path) {
    Gen<Character> letters = Generate.range('A', 'Z').map(c -> (char) c.intValue());
    Gen<String> real =
        Generate.range(1000, 9999).zip(letters, letters, (digits, a, b) -> digits + " " + a + b);
    return generic(
        Generate.oneOf(real, markers(path), real.zip(markers(path), (r, m) -> r + " " + m)));
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
      ((GenericData.Array<Object>) event.get(path))
          .add(new GenericData.EnumSymbol(type.getElementType(), value));
    } else {
      event.put(path, new GenericData.EnumSymbol(type, value));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Building blocks for generators

  /** {@code size} values, each drawn from {@code values}. */
  static <T> Gen<List<T>> listOf(Gen<T> values, int size) {
    return in -> {
      List<T> list = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        list.add(values.generate(in));
      }
      return list;
    };
  }

  /** A value in {@code percent}% of draws, else empty; shrinks towards empty. */
  static <T> Gen<Optional<T>> optional(Gen<T> value, int percent) {
    Gen<Boolean> present = chance(percent);
    return in -> present.generate(in) ? Optional.of(value.generate(in)) : Optional.empty();
  }

  /** Null in {@code percent}% of draws, else a value; shrinks towards a value. */
  static Gen<Object> orNull(Gen<Object> value, int percent) {
    Gen<Boolean> isNull = chance(percent);
    return in -> isNull.generate(in) ? null : value.generate(in);
  }

  /** True in {@code percent}% of draws; shrinks towards false. */
  static Gen<Boolean> chance(int percent) {
    return Generate.range(0, 99, 99).map(n -> n < percent);
  }

  /** The same values, typed as objects (for Avro's generic records). */
  static <T> Gen<Object> generic(Gen<T> values) {
    return values::generate;
  }

  // ---------------------------------------------------------------------------------------------------
  // Statistics

  /**
   * What the examples of one property run were like, counted inside the property since
   * QuickTheories has no statistics of its own: values per label, reported after the run, and
   * coverage checks on them. Shrinking a falsified example runs the property again, so counts are
   * only checked (and meaningful) after a run that passed, which is where the properties check
   * them.
   */
  static final class Statistics {
    private final String property;
    private final Map<String, Map<Object, Integer>> counts = new LinkedHashMap<>();

    Statistics(String property) {
      this.property = property;
    }

    /** Counts one example under {@code label} as having {@code value}. */
    void collect(String label, Object value) {
      counts.computeIfAbsent(label, l -> new LinkedHashMap<>()).merge(value, 1, Integer::sum);
    }

    /** How many examples were counted under {@code label}. */
    int count(String label) {
      return counts.getOrDefault(label, Map.of()).values().stream()
          .mapToInt(Integer::intValue)
          .sum();
    }

    /** How many examples were counted under {@code label} as having {@code value}. */
    int count(String label, Object value) {
      return counts.getOrDefault(label, Map.of()).getOrDefault(value, 0);
    }

    /** Fails unless at least {@code min} examples were counted under {@code label}. */
    void checkCount(String label, int min) {
      assertThat(count(label))
          .as("examples counted under '%s'%n%s", label, this)
          .isGreaterThanOrEqualTo(min);
    }

    /**
     * Fails unless at least the fraction {@code min} of the examples under {@code label} had {@code
     * value}.
     */
    void checkAtLeast(String label, Object value, double min) {
      assertThat(fraction(label, value))
          .as("share of '%s' = %s%n%s", label, value, this)
          .isGreaterThanOrEqualTo(min);
    }

    /**
     * Fails unless at most the fraction {@code max} of the examples under {@code label} had {@code
     * value}.
     */
    void checkAtMost(String label, Object value, double max) {
      assertThat(fraction(label, value))
          .as("share of '%s' = %s%n%s", label, value, this)
          .isLessThanOrEqualTo(max);
    }

    private double fraction(String label, Object value) {
      assertThat(count(label)).as("examples counted under '%s'%n%s", label, this).isPositive();
      return (double) count(label, value) / count(label);
    }

    /** Per label, each value with its count and share, most frequent first. */
    @Override
    public String toString() {
      StringBuilder report = new StringBuilder();
      counts.forEach(
          (label, values) -> {
            report.append(String.format("[%s] (%d) %s =%n", property, count(label), label));
            int width =
                values.keySet().stream().mapToInt(v -> String.valueOf(v).length()).max().orElse(0);
            values.entrySet().stream()
                .sorted(Map.Entry.<Object, Integer>comparingByValue().reversed())
                .forEach(
                    e ->
                        report.append(
                            String.format(
                                "    %-" + width + "s (%4d) : %5.1f %%%n",
                                e.getKey(),
                                e.getValue(),
                                100.0 * e.getValue() / count(label))));
          });
      return report.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Compiling

  /**
   * The covenant (by way of its text) compiled with the clock at {@code now}, or empty if the
   * validator refused it. The only refusal these generators can provoke is two rules that may apply
   * together and disagree on a field; the validator must refuse exactly those.
   */
  static Optional<CovenantSet> compile(Covenant covenant, Instant now) {
    Optional<CovenantSet> set;
    try {
      set =
          Optional.of(
              CovenantSet.compile(
                  List.of(viaText(covenant)), CATALOG, KEYS, Clock.fixed(now, ZoneOffset.UTC)));
    } catch (CovenantException e) {
      assertThat(e.problems())
          .as("problems with a generated covenant other than contradicting overlaps:\n%s", covenant)
          .allSatisfy(p -> assertThat(p.message()).contains(CONTRADICTION));
      set = Optional.empty();
    }
    assertThat(set.isEmpty())
        .as(
            "validator refuses (%s) iff two rules that can apply to one event disagree on a field (%s):\n%s",
            set.isEmpty(), contradiction(covenant).orElse("none"), covenant)
        .isEqualTo(contradiction(covenant).isPresent());
    return set;
  }

  // ---------------------------------------------------------------------------------------------------
  // The independent model of what a covenant allows

  /**
   * Leaf path to the treatment a rule gives it: the entry for the leaf or for its nearest named
   * record.
   */
  static Map<String, Treatment> leafTreatments(Rule rule, EventSchema schema) {
    return leafTreatments(rule.fields(), schema);
  }

  /** Leaf path to the treatment that {@code fields} give it, as for a rule with these fields. */
  static Map<String, Treatment> leafTreatments(Map<String, Treatment> fields, EventSchema schema) {
    Map<String, Treatment> leaves = new LinkedHashMap<>();
    for (String leaf : schema.leaves()) {
      for (String path = leaf; path != null; path = parent(path)) {
        Treatment t = fields.get(path);
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
      Set<String> values =
          c instanceof Condition.Equals e
              ? Set.of(e.value())
              : c instanceof Condition.OneOf o ? o.values() : null;
      if (values != null) {
        allowed.merge(
            c.paths().get(0),
            new HashSet<>(values),
            (x, y) -> {
              x.retainAll(y);
              return x;
            });
      }
    }
    return allowed.values().stream().noneMatch(Set::isEmpty);
  }

  /**
   * Two rules that may apply to the same event and treat a field differently, described; empty if
   * none.
   */
  static Optional<String> contradiction(Covenant covenant) {
    List<Rule> rules = covenant.rules();
    for (int j = 0; j < rules.size(); j++) {
      for (int i = 0; i < j; i++) {
        Rule a = rules.get(i);
        Rule b = rules.get(j);
        if (!a.from().equals(b.from())
            || !a.to().equals(b.to())
            || !a.purpose().equals(b.purpose())
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
   * @param allowed leaf path to treatment, for the leaves that an applying rule lets pass in some
   *     form
   * @param named leaf path to treatment, for every leaf that an applying rule names (drop included)
   */
  record Expectation(
      Decision.Reason reason,
      List<Rule> applying,
      Map<String, Treatment> allowed,
      Map<String, Treatment> named) {}

  static Expectation expect(Covenant covenant, PlanKey key, GenericRecord event, Instant at) {
    List<Rule> forKey =
        covenant.rules().stream()
            .filter(
                r ->
                    r.from().equals(key.sender())
                        && r.to().equals(key.recipient())
                        && r.purpose().equals(key.purpose())
                        && r.eventTypes().contains(key.eventType()))
            .toList();
    if (forKey.isEmpty()) {
      Decision.Reason reason =
          covenant.purpose(key.purpose()).isEmpty()
              ? Decision.Reason.UNKNOWN_PURPOSE
              : !covenant.hasParty(key.sender()) || !covenant.hasParty(key.recipient())
                  ? Decision.Reason.NOT_A_PARTY
                  : Decision.Reason.NO_RULE;
      return new Expectation(reason, List.of(), Map.of(), Map.of());
    }
    LocalDate day = LocalDate.ofInstant(at, Validity.ZONE);
    if (day.isBefore(covenant.validity().from())) {
      return new Expectation(Decision.Reason.COVENANT_NOT_IN_FORCE, List.of(), Map.of(), Map.of());
    }
    if (day.isAfter(covenant.validity().until())) {
      return new Expectation(Decision.Reason.COVENANT_ENDED, List.of(), Map.of(), Map.of());
    }
    List<Rule> applying = forKey.stream().filter(r -> holds(r.when(), event)).toList();
    if (applying.isEmpty()) {
      return new Expectation(Decision.Reason.CONDITION_NOT_MET, applying, Map.of(), Map.of());
    }
    Map<String, Treatment> named = new LinkedHashMap<>();
    for (Rule rule : applying) {
      leafTreatments(rule, schema(key.eventType()))
          .forEach(
              (leaf, t) -> {
                Treatment earlier = named.putIfAbsent(leaf, t);
                assertThat(earlier == null || earlier.equals(t))
                    .as(
                        "rules %s apply together to %s but disagree on %s (%s vs %s): the validator let that through",
                        applying.stream().map(Rule::id).toList(), key, leaf, earlier, t)
                    .isTrue();
              });
    }
    Map<String, Treatment> allowed = new LinkedHashMap<>();
    named.forEach(
        (leaf, t) -> {
          if (!(t instanceof Treatment.Drop)) {
            allowed.put(leaf, t);
          }
        });
    return new Expectation(
        allowed.isEmpty() ? Decision.Reason.NO_FIELDS : null, applying, allowed, named);
  }

  /**
   * Every key a decision can be asked for: parties, an outsider, the covenant's purposes and an
   * unknown one.
   */
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

  /**
   * The value at a dotted path; null if it or a record on the way is null; ABSENT if the schema
   * lacks it.
   */
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
      case YEAR ->
          raw instanceof Long millis
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
