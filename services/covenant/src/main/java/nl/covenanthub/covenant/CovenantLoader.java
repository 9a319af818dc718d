package nl.covenanthub.covenant;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * Reads covenant YAML into the model: first the YAML itself, then its shape against {@code
 * covenants/covenant.schema.json}, then the values. What the model means (parties exist, fields
 * exist, bases are named) is the {@link CovenantValidator}'s job.
 */
public final class CovenantLoader {
  private static final JsonSchema SHAPE = loadShape();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TREATMENT_HINT =
      "use pass, drop, {pseudonymise: KEY-REF}, {generalise: year | postcode-area} or {redact: TEXT}";

  private CovenantLoader() {}

  /**
   * The covenant files in {@code directory}: its {@code .yaml} and {@code .yml} files, in name
   * order; an IOException saying so if there is no such directory.
   */
  public static List<Path> filesIn(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("no covenant directory " + directory.toAbsolutePath());
    }
    try (Stream<Path> listed = Files.list(directory)) {
      return listed
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  public static LoadedCovenant load(Path file) throws CovenantException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CovenantException(
          List.of(new Problem(file.toString(), 0, "cannot read: " + e.getMessage())));
    }
    return load(file.toString(), bytes);
  }

  public static LoadedCovenant load(String file, byte[] bytes) throws CovenantException {
    YamlTree tree = YamlTree.parse(file, new String(bytes, UTF_8));
    List<Problem> problems = shapeProblems(file, tree);
    if (!problems.isEmpty()) {
      throw new CovenantException(problems);
    }
    Mapper mapper = new Mapper(file, tree);
    Covenant covenant = mapper.covenant(tree.root);
    if (!mapper.problems.isEmpty()) {
      throw new CovenantException(mapper.problems);
    }
    return new LoadedCovenant(
        file, covenant, tree.lines, canonicalHash(tree.root), new String(bytes, UTF_8), Set.of());
  }

  /**
   * SHA-256 (hex) of the covenant's JSON Canonicalization Scheme form (RFC 8785): what identifies a
   * version. Layout, comments, key order and YAML's quoting do not change it; any change of content
   * does. So a version proposed in the console and the same covenant edited in git have one hash.
   */
  public static String canonicalHash(JsonNode covenant) {
    try {
      String json = JSON.writeValueAsString(covenant);
      return sha256(new JsonCanonicalizer(json).getEncodedUTF8());
    } catch (IOException e) {
      throw new IllegalStateException("a parsed covenant is always JSON", e);
    }
  }

  private static List<Problem> shapeProblems(String file, YamlTree tree) {
    Map<String, Problem> byLocation = new LinkedHashMap<>();
    for (ValidationMessage message : SHAPE.validate(tree.root)) {
      String pointer = message.getInstanceLocation().toString();
      String text =
          pointer.matches("/rules/\\d+/fields/[^/]+")
              ? "field '" + lastSegment(pointer) + "' has no valid treatment: " + TREATMENT_HINT
              : where(pointer) + message.getError();
      int line = tree.lineOf(pointer);
      // One message per place: a oneOf failure yields one per alternative, which helps no one.
      byLocation.putIfAbsent(pointer, new Problem(file, line, text));
    }
    return new ArrayList<>(byLocation.values());
  }

  private static String where(String pointer) {
    return pointer.isEmpty()
        ? ""
        : pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~") + ": ";
  }

  private static String lastSegment(String pointer) {
    return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
  }

  private static JsonSchema loadShape() {
    try (InputStream in = CovenantLoader.class.getResourceAsStream("/covenant.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("covenant.schema.json is missing from the classpath");
      }
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Turns a shape-valid tree into the model; value errors (dates, periods) become problems. */
  private static final class Mapper {
    final String file;
    final YamlTree tree;
    final List<Problem> problems = new ArrayList<>();

    Mapper(String file, YamlTree tree) {
      this.file = file;
      this.tree = tree;
    }

    private Optional<Matching> matching(JsonNode matching, String pointer) {
      if (matching == null) {
        return Optional.empty();
      }
      String keepFor = matching.get("keepFor").asText();
      try {
        return Optional.of(
            new Matching(matching.get("legalBasis").asText(), Period.parse(keepFor)));
      } catch (DateTimeException e) {
        problem(
            pointer + "/keepFor",
            "keepFor '" + keepFor + "' is not an ISO-8601 period such as P2Y");
        return Optional.empty();
      }
    }

    Covenant covenant(JsonNode root) {
      List<Party> parties = new ArrayList<>();
      for (JsonNode party : root.get("parties")) {
        parties.add(new Party(party.get("id").asText(), party.get("name").asText()));
      }
      List<Purpose> purposes = new ArrayList<>();
      for (JsonNode purpose : root.get("purposes")) {
        purposes.add(
            new Purpose(
                purpose.get("id").asText(),
                purpose.get("description").asText(),
                legalBasis(purpose.get("legalBasis")),
                matching(purpose.get("matching"), "/purposes/" + purposes.size() + "/matching")));
      }
      List<Rule> rules = new ArrayList<>();
      JsonNode ruleNodes = root.get("rules");
      for (int i = 0; i < ruleNodes.size(); i++) {
        rules.add(rule(ruleNodes.get(i), "/rules/" + i));
      }
      Map<String, Period> retention = new LinkedHashMap<>();
      root.get("retention")
          .fields()
          .forEachRemaining(
              e -> {
                try {
                  retention.put(e.getKey(), Period.parse(e.getValue().asText()));
                } catch (DateTimeException ex) {
                  problem(
                      "/retention/" + LoadedCovenant.escape(e.getKey()),
                      "retention '"
                          + e.getValue().asText()
                          + "' is not an ISO-8601 period such as P2Y");
                }
              });
      JsonNode validity = root.get("validity");
      return new Covenant(
          root.get("id").asText(),
          root.get("title").asText(),
          root.get("version").asInt(),
          new Validity(date(validity, "from"), date(validity, "until")),
          root.get("coordinator").asText(),
          parties,
          purposes,
          rules,
          retention);
    }

    private Rule rule(JsonNode node, String pointer) {
      List<String> eventTypes = new ArrayList<>();
      node.get("eventTypes").forEach(t -> eventTypes.add(t.asText()));
      Map<String, Treatment> fields = new LinkedHashMap<>();
      node.get("fields")
          .fields()
          .forEachRemaining(
              e ->
                  treatment(e.getValue(), pointer + "/fields/" + LoadedCovenant.escape(e.getKey()))
                      .ifPresent(t -> fields.put(e.getKey(), t)));
      Optional<Condition> when = Optional.empty();
      if (node.has("when")) {
        Map<String, Condition> tests = new LinkedHashMap<>();
        node.get("when")
            .fields()
            .forEachRemaining(e -> tests.put(e.getKey(), test(e.getKey(), e.getValue())));
        when = Optional.of(Condition.All.of(tests));
      }
      Optional<LegalBasis> basis =
          node.has("legalBasis")
              ? Optional.of(legalBasis(node.get("legalBasis")))
              : Optional.empty();
      return new Rule(
          node.get("id").asText(),
          node.get("from").asText(),
          node.get("to").asText(),
          node.get("purpose").asText(),
          eventTypes,
          when,
          fields,
          basis);
    }

    private Optional<Treatment> treatment(JsonNode node, String pointer) {
      if (node.isTextual()) {
        return Optional.of(
            node.asText().equals("pass") ? new Treatment.Pass() : new Treatment.Drop());
      }
      if (node.has("pseudonymise")) {
        JsonNode key = node.get("pseudonymise");
        if (key.isNull() || key.asText().isBlank()) {
          problem(
              pointer,
              "pseudonymise needs a key reference (the name of a configured key, e.g. "
                  + "{pseudonymise: subject-key}); keys themselves never go in a covenant");
          return Optional.empty();
        }
        String sharedAs = optionalText(node, "sharedAs").orElse(null);
        String sharingBasis = optionalText(node, "sharingBasis").orElse(null);
        if (sharedAs != null && (sharingBasis == null || sharingBasis.isBlank())) {
          problem(
              pointer,
              "sharedAs '"
                  + sharedAs
                  + "' gives every recipient in that scope the same pseudonym, which lets them link"
                  + " their data: name the basis for it (sharingBasis)");
          return Optional.empty();
        }
        if (sharedAs == null && sharingBasis != null) {
          problem(pointer, "sharingBasis applies only to a pseudonym shared by sharedAs");
          return Optional.empty();
        }
        return Optional.of(new Treatment.Pseudonymise(key.asText(), sharedAs, sharingBasis));
      }
      if (node.has("generalise")) {
        return Treatment.Generalisation.fromYaml(node.get("generalise").asText())
            .map(Treatment.Generalise::new);
      }
      return Optional.of(new Treatment.Redact(node.get("redact").asText()));
    }

    private static Condition test(String path, JsonNode node) {
      Map.Entry<String, JsonNode> op = node.fields().next();
      JsonNode value = op.getValue();
      return switch (op.getKey()) {
        case "equals" -> new Condition.Equals(path, value.asText());
        case "in" -> new Condition.OneOf(path, texts(value));
        case "contains" -> new Condition.Contains(path, value.asText());
        case "containsAny" -> new Condition.ContainsAny(path, texts(value));
        default -> throw new IllegalStateException("the schema admits no operator " + op.getKey());
      };
    }

    private static Set<String> texts(JsonNode array) {
      Set<String> values = new LinkedHashSet<>();
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
        values.add(it.next().asText());
      }
      return values;
    }

    private static LegalBasis legalBasis(JsonNode node) {
      return new LegalBasis(
          node.get("general").asText(),
          optionalText(node, "specialCategories"),
          optionalText(node, "criminalData"),
          optionalText(node, "bsn"));
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
      return node.has(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    private LocalDate date(JsonNode validity, String field) {
      String text = validity.get(field).asText();
      try {
        return LocalDate.parse(text);
      } catch (DateTimeException e) {
        problem(
            "/validity/" + field,
            "validity " + field + " '" + text + "' is not a date (YYYY-MM-DD)");
        return LocalDate.MIN;
      }
    }

    private void problem(String pointer, String message) {
      problems.add(new Problem(file, tree.lineOf(pointer), message));
    }
  }
}
