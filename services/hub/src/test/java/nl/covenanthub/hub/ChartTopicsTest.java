package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart's Strimzi KafkaTopics ({@code
 * infra/deploy/covenant-hub/templates/kafka-topics.yaml}) are the topics the hub creates, with
 * their partitions and settings: the hub starts on a broker with {@code hub.topic-partitions} 4 (so
 * a topic that follows the setting is told from one fixed at 3), and what it created is compared
 * with what the chart renders for {@code hub.partitions} 4. On a difference the test prints the
 * chart file that would match.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class ChartTopicsTest {
  private static final Path CHART = Path.of("../../infra/deploy/covenant-hub");
  private static final int PARTITIONS = 4;

  /** Settings the chart sets on every topic for a 3-broker cluster, not the hub's. */
  private static final Set<String> CLUSTER_SETTINGS = Set.of("min.insync.replicas");

  @Test
  void theChartsKafkaTopicsAreTheTopicsTheHubCreates(EmbeddedKafkaBroker broker) throws Exception {
    Map<String, String> created;
    try (ConfigurableApplicationContext hub =
            new SpringApplicationBuilder(HubApplication.class)
                .run(
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--hub.covenants=../../covenants",
                    "--hub.topic-partitions=" + PARTITIONS,
                    "--server.port=0");
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
      created = topics(admin);
    }
    Map<String, String> charted = chartTopics();
    assertThat(charted)
        .as(
            "the chart's KafkaTopics; to match the hub, templates/kafka-topics.yaml would be:%n%s",
            chartFile(created))
        .isEqualTo(created);
  }

  /** Each topic the hub made (partner.*, hub.*): "partitions=…, setting=value, …". */
  private static Map<String, String> topics(Admin admin) throws Exception {
    Set<String> names =
        admin.listTopics().names().get().stream()
            .filter(n -> n.startsWith("partner.") || n.startsWith("hub."))
            .collect(Collectors.toCollection(TreeSet::new));
    Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
    Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
        admin
            .describeConfigs(
                names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
            .all()
            .get();
    Map<String, String> topics = new TreeMap<>();
    for (String name : names) {
      Map<String, String> settings = new TreeMap<>();
      configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries().stream()
          .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
          .forEach(e -> settings.put(e.name(), e.value()));
      topics.put(name, describe(descriptions.get(name).partitions().size(), settings));
    }
    return topics;
  }

  private static Map<String, String> chartTopics() {
    String rendered =
        new Helm(CHART)
            .template()
            .withName("covenant-hub")
            .set("strimzi.enabled", true)
            .set("hub.partitions", PARTITIONS)
            .call();
    Map<String, String> topics = new TreeMap<>();
    for (Object document : new Yaml().loadAll(rendered)) {
      if (document instanceof Map<?, ?> manifest && "KafkaTopic".equals(manifest.get("kind"))) {
        Map<?, ?> spec = (Map<?, ?>) manifest.get("spec");
        Map<String, String> settings = new TreeMap<>();
        ((Map<?, ?>) spec.get("config"))
            .forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
        CLUSTER_SETTINGS.forEach(settings::remove);
        topics.put(
            String.valueOf(spec.get("topicName")),
            describe(((Number) spec.get("partitions")).intValue(), settings));
      }
    }
    return topics;
  }

  private static String describe(int partitions, Map<String, String> settings) {
    return "partitions="
        + partitions
        + settings.entrySet().stream()
            .map(e -> ", " + e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining());
  }

  /** The template that would render {@code topics}. */
  private static String chartFile(Map<String, String> topics) {
    StringBuilder out =
        new StringBuilder(
            "{{- if .Values.strimzi.enabled }}\n"
                + "{{- $partitions := .Values.hub.partitions }}\n");
    topics.forEach(
        (name, description) -> {
          String[] parts = description.split(", ");
          int partitions = Integer.parseInt(parts[0].substring("partitions=".length()));
          out.append("---\napiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata:\n")
              .append("  name: ")
              .append(name.replace('_', '-').toLowerCase(java.util.Locale.ROOT))
              .append(
                  "\n  labels:\n    strimzi.io/cluster: {{ .Values.strimzi.cluster | quote }}\n")
              .append("spec:\n  topicName: ")
              .append(name)
              .append("\n  partitions: ")
              .append(partitions == PARTITIONS ? "{{ $partitions }}" : String.valueOf(partitions))
              .append("\n  replicas: {{ .Values.strimzi.replicas }}\n  config:\n")
              .append("    min.insync.replicas: {{ .Values.strimzi.minInsyncReplicas }}\n");
          for (int i = 1; i < parts.length; i++) {
            String[] setting = parts[i].split("=", 2);
            out.append("    ").append(setting[0]).append(": \"").append(setting[1]).append("\"\n");
          }
        });
    return out.append("{{- end }}\n").toString();
  }
}
