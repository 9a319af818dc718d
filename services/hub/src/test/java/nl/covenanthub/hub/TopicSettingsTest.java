package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The retention the hub is configured with is the retention its topics have, also where a topic
 * exists from before: a privacy officer who shortens how long dead letters or inboxes keep personal
 * data shortens it on the broker at the hub's next start, not only for topics created after.
 * Against a real broker, with the hub started as it runs.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class TopicSettingsTest {
  private static final String DEAD_LETTERS = "hub.deadletter";
  private static final String AUDIT = "hub.audit";
  private static final String INBOX = Topics.inbox("lzn");
  private static final String OUTBOX = Topics.outbox("lzn");
  private static final String PARKED = "partner.veilig-thuis.webhook-parked";
  private static final String INDEX = "hub.disclosure-index";

  @Test
  void aRetentionShortenedInTheSettingsIsShortenedOnTheTopicsThatExist(EmbeddedKafkaBroker broker)
      throws Exception {
    try (Admin admin = admin(broker)) {
      // As a hub with the defaults left them, and a parked topic made before it had a retention of
      // its own (the broker's default).
      admin
          .createTopics(
              List.of(
                  topic(DEAD_LETTERS, 1, Duration.ofDays(14)),
                  topic(INBOX, 3, Duration.ofDays(7)),
                  new NewTopic(AUDIT, 3, (short) 1)
                      .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                  new NewTopic(PARKED, 1, (short) 1),
                  new NewTopic(INDEX, 1, (short) 1)
                      .configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT)),
                  new NewTopic(OUTBOX, 3, (short) 1)))
          .all()
          .get();

      try (ConfigurableApplicationContext hub =
          start(
              broker,
              "--hub.dead-letter-retention=3d",
              "--hub.lifecycle.inbox-retention=2d",
              "--hub.audit-retention=3650d",
              "--hub.webhooks.allow-local=true",
              "--hub.webhooks.endpoints[veilig-thuis].url=http://127.0.0.1:9/webhook",
              "--hub.webhooks.endpoints[veilig-thuis].secrets=" + WebhookDeliveryTest.OLD_SECRET)) {
        assertThat(retention(admin, DEAD_LETTERS)).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(retention(admin, INBOX)).isEqualTo(Duration.ofDays(2).toMillis());
        assertThat(retention(admin, PARKED))
            .as("the parked deliveries are kept as long as the inbox they came from")
            .isEqualTo(Duration.ofDays(2).toMillis());
        assertThat(retention(admin, AUDIT)).isEqualTo(Duration.ofDays(3650).toMillis());
        assertThat(setting(admin, INDEX, TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value())
            .as("what the index forgets leaves the topic within a day, also on one made before")
            .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
        assertThat(setting(admin, INDEX, TopicConfig.SEGMENT_MS_CONFIG).value())
            .isEqualTo(Long.toString(Duration.ofDays(1).toMillis()));
        assertThat(setting(admin, OUTBOX, TopicConfig.RETENTION_MS_CONFIG).source())
            .as("a partner's outbox keeps what it has: the hub sets nothing on it")
            .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
      }

      // Back to the defaults: the audit is kept for ever again, dead letters 14 days.
      try (ConfigurableApplicationContext hub = start(broker)) {
        assertThat(retention(admin, AUDIT)).isEqualTo(-1);
        assertThat(retention(admin, DEAD_LETTERS)).isEqualTo(Duration.ofDays(14).toMillis());
        assertThat(retention(admin, INBOX)).isEqualTo(Duration.ofDays(7).toMillis());
      }
    }
  }

  @Test
  void aRetentionThatIsNotPositiveStopsTheStartNamingTheSetting(EmbeddedKafkaBroker broker) {
    assertThatThrownBy(() -> start(broker, "--hub.audit-retention=0s").close())
        .rootCause()
        .hasMessageContaining("hub.audit-retention must be positive");
    assertThatThrownBy(() -> start(broker, "--hub.dead-letter-retention=-1d").close())
        .rootCause()
        .hasMessageContaining("hub.dead-letter-retention must be positive");
  }

  private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString();
    all[1] = "--hub.covenants=../../covenants";
    all[2] = "--server.port=0";
    System.arraycopy(args, 0, all, 3, args.length);
    return new SpringApplicationBuilder(HubApplication.class).run(all);
  }

  private static Admin admin(EmbeddedKafkaBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
  }

  private static NewTopic topic(String name, int partitions, Duration retention) {
    return new NewTopic(name, partitions, (short) 1)
        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
  }

  private static long retention(Admin admin, String topic) throws Exception {
    return Long.parseLong(setting(admin, topic, TopicConfig.RETENTION_MS_CONFIG).value());
  }

  private static ConfigEntry setting(Admin admin, String topic, String name) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name);
  }
}
