package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import nl.covenanthub.devkit.Repository;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code infra/deploy/covenant-hub}, rendered and linted by the real Helm (helm-java, which ships
 * Helm's Go library): what an operator's {@code helm template} gets, and the promises the manifests
 * carry (probes, limits, no secret as a value, scaling within the partitions).
 */
class HelmChartTest {
  private static final Path CHART = Repository.root().resolve("infra/deploy/covenant-hub");

  @Test
  void theChartPassesHelmLintStrict() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void theDefaultsRenderTheHubTheConsoleAndWhatKeepsThemAvailable() {
    List<Map<String, Object>> manifests = render(t -> t);
    assertThat(manifests)
        .extracting(m -> m.get("kind") + "/" + name(m))
        .containsExactlyInAnyOrder(
            "StatefulSet/hub",
            "Service/hub",
            "Service/hub-members",
            "PodDisruptionBudget/hub",
            "Deployment/console",
            "Service/console",
            "PodDisruptionBudget/console",
            "NetworkPolicy/hub",
            "NetworkPolicy/console");
    Map<String, Object> hub = find(manifests, "StatefulSet", "hub");
    assertThat(path(hub, "spec", "replicas")).isEqualTo(2);
    assertThat(path(hub, "spec", "serviceName")).isEqualTo("hub-members");
  }

  @Test
  void everyContainerHasProbesLimitsARestrictedContextAndSecretsOnlyByReference() {
    for (Map<String, Object> workload : render(t -> t)) {
      if (!List.of("StatefulSet", "Deployment").contains(workload.get("kind"))) {
        continue;
      }
      for (Map<String, Object> container :
          list(path(workload, "spec", "template", "spec", "containers"))) {
        String name = String.valueOf(container.get("name"));
        assertThat(path(container, "livenessProbe", "httpGet", "path"))
            .as("%s liveness", name)
            .isEqualTo("/actuator/health/liveness");
        assertThat(path(container, "readinessProbe", "httpGet", "path"))
            .as("%s readiness", name)
            .isEqualTo("/actuator/health/readiness");
        assertThat(path(container, "resources", "limits", "memory"))
            .as("%s memory", name)
            .isNotNull();
        assertThat(path(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(path(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(path(workload, "spec", "template", "spec", "securityContext", "runAsNonRoot"))
            .isEqualTo(true);
        for (Map<String, Object> env : list(container.get("env"))) {
          String variable = String.valueOf(env.get("name"));
          if (variable.matches(".*(SECRET|PASSWORD|SIGNING_KEY|DATASOURCE_URL).*")) {
            assertThat(env)
                .as("%s of %s comes from a Secret, never a value", variable, name)
                .doesNotContainKey("value");
            assertThat(path(env, "valueFrom", "secretKeyRef", "name")).isNotNull();
          }
        }
      }
    }
  }

  @Test
  void theHubsInstancesAreNamedByTheirPodsForStaticMembership() {
    Map<String, Object> hub = find(render(t -> t), "StatefulSet", "hub");
    Map<String, Object> container =
        list(path(hub, "spec", "template", "spec", "containers")).get(0);
    assertThat(list(container.get("env")))
        .anySatisfy(
            env -> {
              assertThat(env.get("name")).isEqualTo("HUB_INSTANCE_ID");
              assertThat(path(env, "valueFrom", "fieldRef", "fieldPath"))
                  .isEqualTo("metadata.name");
            });
  }

  @Test
  void autoscalingOnLagStaysWithinThePartitions() {
    List<Map<String, Object>> manifests =
        render(t -> t.set("hub.autoscaling.enabled", true).set("hub.autoscaling.maxReplicas", 3));
    Map<String, Object> scaled = find(manifests, "ScaledObject", "hub");
    assertThat(path(scaled, "spec", "maxReplicaCount")).isEqualTo(3);
    assertThat(path(scaled, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
    Map<String, Object> trigger = list(path(scaled, "spec", "triggers")).get(0);
    assertThat(trigger.get("type")).isEqualTo("kafka");
    assertThat(path(trigger, "metadata", "consumerGroup")).isEqualTo("covenant-hub");

    assertThatThrownBy(
            () ->
                render(
                    t ->
                        t.set("hub.autoscaling.enabled", true)
                            .set("hub.autoscaling.maxReplicas", 5)))
        .as("more instances than partitions")
        .hasMessageContaining("more than the partitions");
    assertThatThrownBy(() -> render(t -> t.set("hub.replicas", 4)))
        .hasMessageContaining("more than the partitions");
  }

  @Test
  void networkPoliciesCanBeLeftToTheCluster() {
    assertThat(render(t -> t.set("networkPolicy.enabled", false)))
        .extracting(m -> m.get("kind"))
        .doesNotContain("NetworkPolicy");
  }

  @Test
  void strimziUsersHaveExactlyTheAclsAndQuotasOfTheAclFile() throws Exception {
    List<Map<String, Object>> users =
        render(t -> t.set("strimzi.enabled", true).set("strimzi.cluster", "regio-kafka")).stream()
            .filter(m -> "KafkaUser".equals(m.get("kind")))
            .toList();
    Set<String> fromUsers = new TreeSet<>();
    Set<String> quotasOfUsers = new TreeSet<>();
    for (Map<String, Object> user : users) {
      assertThat(path(user, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("regio-kafka");
      assertThat(path(user, "spec", "authentication"))
          .as("authentication stays with Keycloak")
          .isNull();
      String principal = "User:" + name(user);
      for (Map<String, Object> acl : list(path(user, "spec", "authorization", "acls"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
        assertThat(acl.get("host")).isEqualTo("*");
        for (Object operation : (List<?>) acl.get("operations")) {
          fromUsers.add(
              String.join(
                  " ",
                  principal,
                  String.valueOf(operation).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(),
                  String.valueOf(resource.get("type"))
                      .replaceAll("([a-z])([A-Z])", "$1_$2")
                      .toUpperCase(),
                  "prefix".equals(resource.get("patternType")) ? "PREFIXED" : "LITERAL",
                  String.valueOf(resource.getOrDefault("name", "kafka-cluster"))));
        }
      }
      if (path(user, "spec", "quotas") != null) {
        quotasOfUsers.add(
            name(user)
                + " "
                + path(user, "spec", "quotas", "producerByteRate")
                + " "
                + path(user, "spec", "quotas", "consumerByteRate"));
      }
    }

    Map<String, List<Map<String, Object>>> file;
    try (var in = Files.newInputStream(Repository.root().resolve("infra/kafka/acls.yaml"))) {
      file = new Yaml().load(in);
    }
    Set<String> fromFile = new TreeSet<>();
    for (Map<String, Object> acl : file.get("acls")) {
      fromFile.add(
          String.join(
              " ",
              String.valueOf(acl.get("principal")),
              String.valueOf(acl.get("operation")),
              String.valueOf(acl.get("resource")),
              String.valueOf(acl.get("pattern")),
              String.valueOf(acl.get("name"))));
    }
    Set<String> quotasOfFile = new TreeSet<>();
    for (Map<String, Object> quota : file.get("quotas")) {
      quotasOfFile.add(
          quota.get("user")
              + " "
              + quota.get("producer_byte_rate")
              + " "
              + quota.get("consumer_byte_rate"));
    }
    assertThat(fromFile).as("ACL entries in infra/kafka/acls.yaml").hasSizeGreaterThan(50);
    assertThat(fromUsers).isEqualTo(fromFile);
    assertThat(quotasOfUsers).isEqualTo(quotasOfFile);
  }

  @Test
  void everyResourceIsValidAgainstTheSchemaOfItsKind() throws Exception {
    List<Map<String, Object>> manifests =
        render(
            t ->
                t.set("strimzi.enabled", true)
                    .set("hub.autoscaling.enabled", true)
                    .set("hub.autoscaling.maxReplicas", 3));
    Map<String, JsonSchema> schemas = new HashMap<>(kubernetesSchemas());
    for (String crd :
        List.of(
            "strimzi-kafkatopic-crd.yaml",
            "strimzi-kafkauser-crd.yaml",
            "keda-scaledobject-crd.yaml")) {
      schemas.putAll(crdSchema(crd));
    }
    Set<String> kinds = new TreeSet<>();
    for (Map<String, Object> resource : manifests) {
      String kind = resource.get("apiVersion") + " " + resource.get("kind");
      kinds.add(kind);
      assertThat(schemas).as("a schema for %s", kind).containsKey(kind);
      assertThat(schemas.get(kind).validate(JSON.valueToTree(resource)))
          .as("%s/%s against its schema", kind, name(resource))
          .isEmpty();
    }
    assertThat(kinds)
        .contains(
            "apps/v1 StatefulSet",
            "apps/v1 Deployment",
            "v1 Service",
            "policy/v1 PodDisruptionBudget",
            "networking.k8s.io/v1 NetworkPolicy",
            "keda.sh/v1alpha1 ScaledObject",
            "kafka.strimzi.io/v1 KafkaTopic",
            "kafka.strimzi.io/v1 KafkaUser");
    assertThat(manifests)
        .filteredOn(m -> String.valueOf(m.get("apiVersion")).startsWith("kafka.strimzi.io/"))
        .as("a KafkaTopic per topic and a KafkaUser per principal")
        .hasSizeGreaterThan(25);

    // Not vacuous: misspelt fields, fields of the wrong type and unknown values are refused, in a
    // core kind, in Strimzi's and in KEDA's.
    var hub = (ObjectNode) JSON.valueToTree(find(manifests, "StatefulSet", "hub"));
    ObjectNode container = (ObjectNode) hub.at("/spec/template/spec/containers/0");
    container.set("readinesProbe", container.get("readinessProbe"));
    ((ObjectNode) hub.at("/spec")).put("replicas", "two");
    assertThat(schemas.get("apps/v1 StatefulSet").validate(hub))
        .extracting(Object::toString)
        .anyMatch(m -> m.contains("readinesProbe"))
        .anyMatch(m -> m.contains("replicas"));
    var user =
        (ObjectNode)
            JSON.valueToTree(
                manifests.stream()
                    .filter(m -> "KafkaUser".equals(m.get("kind")))
                    .findFirst()
                    .orElseThrow());
    ((ObjectNode) user.at("/spec/authorization/acls/0")).putArray("operations").add("Frobnicate");
    ((ObjectNode) user.at("/spec")).put("quota", 1);
    assertThat(schemas.get("kafka.strimzi.io/v1 KafkaUser").validate(user))
        .hasSizeGreaterThanOrEqualTo(2);
    var scaled = (ObjectNode) JSON.valueToTree(find(manifests, "ScaledObject", "hub"));
    ((ObjectNode) scaled.at("/spec")).put("maxReplicas", 3);
    assertThat(schemas.get("keda.sh/v1alpha1 ScaledObject").validate(scaled)).isNotEmpty();
  }

  /**
   * Per "apiVersion kind", the schema of a Kubernetes kind from its OpenAPI definitions in
   * infra/deploy/schemas, as kubeconform's strict schemas are: an int-or-string takes either, and
   * an object with properties takes no others (the API server's strict field validation).
   */
  private static Map<String, JsonSchema> kubernetesSchemas() throws Exception {
    ObjectNode definitions;
    try (var in =
        Files.newInputStream(
            Repository.root().resolve("infra/deploy/schemas/kubernetes-1.36-definitions.json"))) {
      definitions = (ObjectNode) JSON.readTree(in).get("definitions");
    }
    definitions.properties().stream()
        .filter(d -> "int-or-string".equals(d.getValue().path("format").asText()))
        .map(d -> (ObjectNode) d.getValue())
        .forEach(
            d -> {
              d.remove(List.of("type", "format"));
              d.putArray("oneOf")
                  .add(JSON.createObjectNode().put("type", "string"))
                  .add(JSON.createObjectNode().put("type", "integer"));
            });
    strict(definitions);
    Map<String, JsonSchema> schemas = new HashMap<>();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    definitions
        .properties()
        .forEach(
            d -> {
              for (JsonNode kind : d.getValue().path("x-kubernetes-group-version-kind")) {
                String group = kind.get("group").asText();
                String apiVersion =
                    (group.isEmpty() ? "" : group + "/") + kind.get("version").asText();
                ObjectNode schema = JSON.createObjectNode();
                schema.put("$ref", "#/definitions/" + d.getKey());
                schema.set("definitions", definitions);
                schemas.put(
                    apiVersion + " " + kind.get("kind").asText(), factory.getSchema(schema));
              }
            });
    return schemas;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * The served version's openAPIV3Schema of a CRD in infra/deploy/schemas, by "apiVersion kind",
   * made strict as the API server's strict field validation is: an object with properties takes no
   * others, unless it says it keeps unknown fields.
   */
  private static Map<String, JsonSchema> crdSchema(String file) throws Exception {
    Map<String, Object> crd;
    try (var in = Files.newInputStream(Repository.root().resolve("infra/deploy/schemas/" + file))) {
      crd = new Yaml().load(in);
    }
    Map<String, Object> version =
        list(path(crd, "spec", "versions")).stream()
            .filter(v -> Boolean.TRUE.equals(v.get("served")))
            .findFirst()
            .orElseThrow();
    JsonNode schema = JSON.valueToTree(path(version, "schema", "openAPIV3Schema"));
    strict(schema);
    return Map.of(
        path(crd, "spec", "group")
            + "/"
            + version.get("name")
            + " "
            + path(crd, "spec", "names", "kind"),
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema));
  }

  private static void strict(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        object.put("additionalProperties", false);
      }
      object.elements().forEachRemaining(HelmChartTest::strict);
    } else if (node != null && node.isArray()) {
      node.elements().forEachRemaining(HelmChartTest::strict);
    }
  }

  private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
    String rendered = values.apply(new Helm(CHART).template().withName("covenant-hub")).call();
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (Object document : new Yaml().loadAll(rendered)) {
      if (document != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) document;
        manifests.add(manifest);
      }
    }
    return manifests;
  }

  private static Map<String, Object> find(
      List<Map<String, Object>> manifests, String kind, String name) {
    return manifests.stream()
        .filter(m -> kind.equals(m.get("kind")) && name.equals(name(m)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"));
  }

  private static String name(Map<String, Object> manifest) {
    return String.valueOf(path(manifest, "metadata", "name"));
  }

  private static Object path(Map<String, Object> map, String... keys) {
    Object value = map;
    for (String key : keys) {
      if (!(value instanceof Map<?, ?> m)) {
        return null;
      }
      value = m.get(key);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }
}
