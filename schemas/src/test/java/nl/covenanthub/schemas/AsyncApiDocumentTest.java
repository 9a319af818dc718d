package nl.covenanthub.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps {@code asyncapi.yaml} honest: the topics it names, the Avro schemas it points at, and the
 * special-category markings it repeats must match what the module actually holds.
 */
class AsyncApiDocumentTest {
  /** Maven runs tests with the module as working directory and sets {@code basedir} to it. */
  private static final Path MODULE =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

  private static final Path DOCUMENT = MODULE.resolve("asyncapi.yaml");
  private static final Path AVRO = MODULE.resolve("src/main/avro");

  /**
   * The shared types, each after the types it uses, so that one parser can take them in this order.
   */
  private static final List<String> COMMON_TYPES =
      List.of("Address", "Company", "Concern", "Contact", "RiskLevel", "Subject");

  private static final Set<String> TOPICS =
      Set.of(
          "partner.{partnerId}.outbox",
          "partner.{partnerId}.inbox",
          "hub.audit",
          "hub.audit.chain",
          "hub.schemas",
          "hub.deadletter",
          "hub.covenants",
          "hub.idempotency",
          "hub.webhook-deliveries",
          "hub.disclosure-index",
          "hub.retention-ends",
          "hub.matching",
          "partner.{partnerId}.webhook-parked",
          "hub.writer-schemas");
  private static final Path AUDIT_RECORD = AVRO.resolve("audit/AuditRecord.avsc");

  /**
   * The values of {@code nl.covenanthub.hub.intake.DeadLetterReason} (services/hub), in declaration
   * order. This module cannot see the hub's classes, so keep this list, and the document, equal to
   * that enum by hand whenever it changes.
   */
  private static final List<String> DEAD_LETTER_REASONS =
      List.of(
          "UNAUTHENTICATED",
          "SENDER_MISMATCH",
          "OVERSIZE",
          "UNDECODABLE",
          "UNKNOWN_SCHEMA",
          "INVALID",
          "PROCESSING_FAILED",
          "DUPLICATE",
          "UNKNOWN_NOTICE");

  private static final Set<String> ACTORS = Set.of("partner", "hub", "console");

  private static Map<String, Object> document;

  @BeforeAll
  static void readDocument() throws IOException {
    assertThat(DOCUMENT).as("the AsyncAPI document next to the module's pom").isRegularFile();
    try (Reader reader = Files.newBufferedReader(DOCUMENT)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
  }

  @Test
  void isAnAsyncApi3Document() {
    assertThat(String.valueOf(document.get("asyncapi")))
        .as("the asyncapi version")
        .startsWith("3.");
  }

  @Test
  void describesEveryTopicByAddress() {
    Set<String> addresses =
        channels().values().stream()
            .map(channel -> (String) map(channel).get("address"))
            .collect(Collectors.toSet());

    assertThat(addresses).as("the channel addresses").containsExactlyInAnyOrderElementsOf(TOPICS);
    channels()
        .forEach(
            (name, channel) -> {
              String address = (String) map(channel).get("address");
              if (address.contains("{partnerId}")) {
                assertThat(map(map(channel).get("parameters")))
                    .as("parameters of channel %s (%s)", name, address)
                    .containsKey("partnerId");
              }
            });
  }

  @Test
  void everyInternalReferenceResolves() {
    List<String> internal = references().stream().filter(ref -> ref.startsWith("#/")).toList();

    assertThat(internal).as("internal $refs in the document").isNotEmpty();
    for (String ref : internal) {
      assertThat(pointer(ref)).as("the target of $ref %s", ref).isNotNull();
    }
  }

  @Test
  void everyAvroReferenceIsAnExistingSchemaThatParses() {
    List<String> avroRefs = references().stream().filter(ref -> ref.endsWith(".avsc")).toList();

    assertThat(avroRefs).as("$refs to .avsc files").isNotEmpty();
    for (String ref : avroRefs) {
      Path file = resolveFile(ref);
      assertThat(file).as("the file of $ref %s", ref).isRegularFile();
      assertThat(parseWithCommonTypes(file).getType()).as("the parsed type of %s", ref).isNotNull();
    }
  }

  @Test
  void theOutboxCarriesEveryEventSchema() throws IOException {
    Set<Path> eventSchemas;
    try (Stream<Path> files = Files.list(AVRO)) {
      eventSchemas =
          files
              .filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".avsc"))
              .map(Path::normalize)
              .collect(Collectors.toCollection(TreeSet::new));
    }

    Set<Path> referenced =
        outboxMessages().values().stream()
            .map(message -> resolveFile(payloadSchemaRef(message)))
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(eventSchemas).as("event schemas in %s", MODULE.relativize(AVRO)).isNotEmpty();
    assertThat(referenced)
        .as("Avro schemas of the outbox channel's messages")
        .containsAll(eventSchemas);
  }

  @Test
  void theOutboxMessagesListTheFieldsTheSchemasMarkAsSpecialCategory() {
    outboxMessages()
        .forEach(
            (name, message) -> {
              Schema schema = parseWithCommonTypes(resolveFile(payloadSchemaRef(message)));
              Map<String, List<String>> documented = new TreeMap<>();
              map(message.getOrDefault("x-avg-fields", Map.of()))
                  .forEach(
                      (path, markings) ->
                          documented.put(
                              path, list(markings).stream().map(String::valueOf).toList()));

              assertThat(documented)
                  .as("x-avg-fields of outbox message %s against %s.avsc", name, schema.getName())
                  .isEqualTo(markedFields(schema));
            });
  }

  @Test
  void theAuditMessageIsTheAvroAuditRecord() {
    Map<String, Object> message = messagesOf("hub.audit").get("AuditRecord");
    assertThat(message).as("message AuditRecord of hub.audit").isNotNull();

    Path file = resolveFile(payloadSchemaRef(message));
    assertThat(file).as("the payload schema of the audit message").isEqualTo(AUDIT_RECORD);
    Schema schema = parseWithCommonTypes(file);
    assertThat(schema.getFullName())
        .as("the record %s defines", MODULE.relativize(file))
        .isEqualTo("nl.covenanthub.audit.AuditRecord");
    assertThat(schema.getField("chainId"))
        .as("the field chainId, the Kafka key of hub.audit")
        .isNotNull();
  }

  @Test
  void theAuditChainHeadsAreACompactedTopic() {
    Map<String, Object> channel = channel("hub.audit.chain");
    Map<String, Object> kafka = map(map(channel.get("bindings")).get("kafka"));

    assertThat(
            list(map(kafka.get("topicConfiguration")).get("cleanup.policy")).stream()
                .map(String::valueOf)
                .toList())
        .as("cleanup.policy of hub.audit.chain")
        .containsExactly("compact");
    assertThat(kafka.get("partitions")).as("partitions of hub.audit.chain").isEqualTo(1);
    Map<String, Object> message = messagesOf("hub.audit.chain").get("ChainHead");
    assertThat(message).as("message ChainHead of hub.audit.chain").isNotNull();
    assertThat(resolveFile(payloadSchemaRef(message)))
        .as("the payload schema of the chain head message")
        .isEqualTo(AVRO.resolve("audit/ChainHead.avsc"));
  }

  @Test
  void theWriterSchemasAreACompactedTopicKeyedByPartnerAndFingerprint() {
    Map<String, Object> channel = channel("hub.writer-schemas");
    Map<String, Object> kafka = map(map(channel.get("bindings")).get("kafka"));

    assertThat(
            list(map(kafka.get("topicConfiguration")).get("cleanup.policy")).stream()
                .map(String::valueOf)
                .toList())
        .as("cleanup.policy of hub.writer-schemas")
        .containsExactly("compact");
    assertThat(kafka.get("partitions")).as("partitions of hub.writer-schemas").isEqualTo(1);
    Map<String, Object> message = messagesOf("hub.writer-schemas").get("WriterSchema");
    Map<String, Object> key = map(map(map(message.get("bindings")).get("kafka")).get("key"));
    assertThat("politie/3ea3ccdec394e287").matches(String.valueOf(key.get("pattern")));
    assertThat(map(map(deref(message.get("headers"))).get("properties")))
        .as("headers of a writer schema (nl.covenanthub.hub.writerschemas.WriterSchemaTopic)")
        .containsOnlyKeys("event-type", "registered-by", "registered-at");
  }

  @Test
  void theDeadLetterReasonsAreThoseOfTheHub() {
    Map<String, Object> headers =
        map(deref(messagesOf("hub.deadletter").get("DeadLetter").get("headers")));
    Map<String, Object> reason = map(map(headers.get("properties")).get("deadletter-reason"));

    // Must equal nl.covenanthub.hub.intake.DeadLetterReason.values(); see DEAD_LETTER_REASONS.
    assertThat(list(reason.get("enum")).stream().map(String::valueOf).toList())
        .as("the deadletter-reason enum of the document")
        .isEqualTo(DEAD_LETTER_REASONS);
  }

  @Test
  void everyTopicHasASenderAndAReceiverNamedByActor() {
    Map<String, Set<String>> actionsByAddress = new TreeMap<>();
    map(document.get("operations"))
        .forEach(
            (id, value) -> {
              Map<String, Object> operation = map(value);
              Set<String> actors =
                  list(operation.getOrDefault("tags", List.of())).stream()
                      .map(tag -> (String) map(deref(tag)).get("name"))
                      .filter(ACTORS::contains)
                      .collect(Collectors.toSet());
              assertThat(actors).as("actor tag of operation %s", id).hasSize(1);

              String address = (String) map(deref(operation.get("channel"))).get("address");
              actionsByAddress
                  .computeIfAbsent(address, a -> new TreeSet<>())
                  .add((String) operation.get("action"));
            });

    assertThat(actionsByAddress.keySet())
        .as("channels with operations")
        .containsExactlyInAnyOrderElementsOf(TOPICS);
    actionsByAddress.forEach(
        (address, actions) ->
            assertThat(actions)
                .as("operations on %s", address)
                .containsExactlyInAnyOrder("send", "receive"));
  }

  // --- the document
  // ------------------------------------------------------------------------------------

  private static Map<String, Object> channels() {
    return map(document.get("channels"));
  }

  private static Map<String, Object> channel(String address) {
    return channels().values().stream()
        .map(AsyncApiDocumentTest::map)
        .filter(channel -> address.equals(channel.get("address")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no channel with address " + address));
  }

  /**
   * The messages of the channel with {@code address}, by their key in the channel, dereferenced.
   */
  private static Map<String, Map<String, Object>> messagesOf(String address) {
    Map<String, Map<String, Object>> messages = new LinkedHashMap<>();
    map(channel(address).get("messages"))
        .forEach((name, message) -> messages.put(name, map(deref(message))));
    assertThat(messages).as("messages of channel %s", address).isNotEmpty();
    return messages;
  }

  private static Map<String, Map<String, Object>> outboxMessages() {
    return messagesOf("partner.{partnerId}.outbox");
  }

  private static String payloadSchemaRef(Map<String, Object> message) {
    Map<String, Object> payload = map(message.get("payload"));
    assertThat(payload.get("schemaFormat"))
        .as("schemaFormat of message %s", message.get("name"))
        .asString()
        .startsWith("application/vnd.apache.avro");
    return (String) map(payload.get("schema")).get("$ref");
  }

  /** Every {@code $ref} value anywhere in the document, in document order. */
  private static List<String> references() {
    List<String> refs = new ArrayList<>();
    Deque<Object> todo = new ArrayDeque<>(List.of(document));
    while (!todo.isEmpty()) {
      Object node = todo.pop();
      if (node instanceof Map<?, ?> m) {
        m.forEach(
            (key, value) -> {
              if ("$ref".equals(key) && value instanceof String ref) {
                refs.add(ref);
              } else {
                todo.push(value);
              }
            });
      } else if (node instanceof List<?> l) {
        l.forEach(todo::push);
      }
    }
    return refs;
  }

  /** The node a {@code {$ref: '#/...'}} points to, or the node itself if it is no reference. */
  private static Object deref(Object node) {
    Object current = node;
    while (current instanceof Map<?, ?> m
        && m.get("$ref") instanceof String ref
        && ref.startsWith("#/")) {
      current = pointer(ref);
      assertThat(current).as("the target of $ref %s", ref).isNotNull();
    }
    return current;
  }

  /** Follows a JSON pointer ({@code #/a/b~1c}) from the document root; null if it leads nowhere. */
  private static Object pointer(String ref) {
    Object node = document;
    for (String token : ref.substring(2).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (node instanceof Map<?, ?> m) {
        node = m.get(key);
      } else if (node instanceof List<?> l
          && key.matches("\\d+")
          && Integer.parseInt(key) < l.size()) {
        node = l.get(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return node;
  }

  private static Path resolveFile(String ref) {
    return DOCUMENT.getParent().resolve(ref).normalize();
  }

  // --- Avro
  // --------------------------------------------------------------------------------------------

  /**
   * Parses {@code file} after the common types it may use; a common type itself parses after those
   * before it.
   */
  private static Schema parseWithCommonTypes(Path file) {
    Schema.Parser parser = new Schema.Parser();
    try {
      for (String common : COMMON_TYPES) {
        Path commonFile = AVRO.resolve("common").resolve(common + ".avsc");
        Schema parsed = parser.parse(commonFile.toFile());
        if (commonFile.equals(file)) {
          return parsed;
        }
      }
      return parser.parse(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          "cannot parse " + MODULE.relativize(file) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Field path to its {@code "avg"} markings, for every marked field of the record and the records
   * in it.
   */
  private static Map<String, List<String>> markedFields(Schema record) {
    Map<String, List<String>> marked = new TreeMap<>();
    collectMarked(record, "", new ArrayDeque<>(), marked);
    return marked;
  }

  private static void collectMarked(
      Schema schema, String prefix, Deque<String> enclosing, Map<String, List<String>> marked) {
    switch (schema.getType()) {
      case UNION ->
          schema.getTypes().forEach(branch -> collectMarked(branch, prefix, enclosing, marked));
      case ARRAY -> collectMarked(schema.getElementType(), prefix, enclosing, marked);
      case MAP -> collectMarked(schema.getValueType(), prefix, enclosing, marked);
      case RECORD -> {
        if (enclosing.contains(schema.getFullName())) {
          return;
        }
        enclosing.push(schema.getFullName());
        for (Schema.Field field : schema.getFields()) {
          String path = prefix + field.name();
          if (field.getObjectProp("avg") instanceof List<?> markings) {
            marked.put(path, markings.stream().map(String::valueOf).toList());
          }
          collectMarked(field.schema(), path + ".", enclosing, marked);
        }
        enclosing.pop();
      }
      default -> {
        // a leaf carries no fields of its own
      }
    }
  }

  // --- YAML nodes
  // --------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    assertThat(node).as("a YAML mapping").isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  private static List<?> list(Object node) {
    assertThat(node).as("a YAML sequence").isInstanceOf(List.class);
    return (List<?>) node;
  }
}
