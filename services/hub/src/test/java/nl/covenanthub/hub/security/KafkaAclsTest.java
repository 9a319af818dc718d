package nl.covenanthub.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nl.covenanthub.devkit.AclFile;
import nl.covenanthub.hub.Topics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.metadata.authorizer.StandardAcl;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated ACLs, judged by Kafka's own {@link StandardAuthorizer} (as the broker runs it,
 * denying by default), and the committed {@code infra/kafka/acls.yaml} kept true to the covenants.
 */
class KafkaAclsTest {
  private static final Path ROOT = Path.of("../..");
  private static final List<String> PARTNERS =
      List.of("lzn", "politie", "veilig-thuis", "riec", "odr");

  private StandardAuthorizer authorizer;

  @BeforeEach
  void loadTheGeneratedAcls() {
    authorizer = new StandardAuthorizer();
    authorizer.withPluginMetrics(new PluginMetricsImpl(new Metrics(), Map.of()));
    authorizer.configure(
        Map.of(
            StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG,
            "false",
            StandardAuthorizer.SUPER_USERS_CONFIG,
            "User:admin"));
    Map<Uuid, StandardAcl> acls = new LinkedHashMap<>();
    KafkaAcls.forPartners(PARTNERS)
        .forEach(acl -> acls.put(Uuid.randomUuid(), StandardAcl.fromAclBinding(acl)));
    authorizer.loadSnapshot(acls);
    authorizer.completeInitialLoad();
  }

  @AfterEach
  void close() throws Exception {
    authorizer.close();
  }

  @Test
  void eachPartnerWritesOnlyItsOwnOutboxAndReadsOnlyItsOwnInbox() {
    for (String partner : PARTNERS) {
      for (String other : PARTNERS) {
        boolean own = partner.equals(other);
        assertThat(allowed(partner, AclOperation.WRITE, topic(Topics.outbox(other))))
            .as("%s writes the outbox of %s", partner, other)
            .isEqualTo(own);
        assertThat(allowed(partner, AclOperation.READ, topic(Topics.inbox(other))))
            .as("%s reads the inbox of %s", partner, other)
            .isEqualTo(own);
        assertThat(allowed(partner, AclOperation.DESCRIBE, topic(Topics.inbox(other))))
            .as("%s sees the inbox of %s", partner, other)
            .isEqualTo(own);
        assertThat(allowed(partner, AclOperation.READ, topic(Topics.outbox(other))))
            .as("%s reads the outbox of %s", partner, other)
            .isFalse();
        assertThat(allowed(partner, AclOperation.WRITE, topic(Topics.inbox(other))))
            .as("%s writes the inbox of %s", partner, other)
            .isFalse();
      }
      assertThat(allowed(partner, AclOperation.READ, group(partner + ".inbox-reader")))
          .as("%s consumes in a group of its own", partner)
          .isTrue();
      assertThat(allowed(partner, AclOperation.READ, group(KafkaAcls.HUB_GROUP)))
          .as("%s joins the hub's group", partner)
          .isFalse();
      for (String hubTopic :
          List.of(
              KafkaAcls.AUDIT, KafkaAcls.AUDIT_CHAIN, KafkaAcls.DEAD_LETTER, KafkaAcls.COVENANTS)) {
        for (AclOperation operation :
            List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
          assertThat(allowed(partner, operation, topic(hubTopic)))
              .as("%s %s %s", partner, operation, hubTopic)
              .isFalse();
        }
      }
      assertThat(allowed(partner, AclOperation.CREATE, topic(Topics.outbox(partner))))
          .as("%s creates topics", partner)
          .isFalse();
      assertThat(
              allowed(
                  partner,
                  AclOperation.WRITE,
                  transactionalId(KafkaAcls.HUB_TRANSACTIONAL_ID_PREFIX + "x")))
          .as("%s takes over the hub's transactions", partner)
          .isFalse();
    }
    assertThat(allowed("politie", AclOperation.READ, group("lzn.inbox")))
        .as("politie joins a group of lzn")
        .isFalse();
  }

  @Test
  void theHubHasWhatItNeedsForExactlyOnceAndNothingMore() {
    assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic("hub.schemas")))
        .as("reads the view schemas back, for partners over HTTP")
        .isTrue();
    for (String partner : PARTNERS) {
      assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic(Topics.outbox(partner))))
          .as("read %s outbox", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(Topics.inbox(partner))))
          .as("write %s inbox", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(Topics.outbox(partner))))
          .as("write %s outbox, for the events it publishes over HTTP", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic(Topics.inbox(partner))))
          .as("read %s inbox, for its pull over HTTP", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, group(partner + ".http-pull")))
          .as("acknowledge %s pull", partner)
          .isTrue();
      assertThat(
              allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(KafkaAcls.webhookParked(partner))))
          .as("park %s webhook deliveries", partner)
          .isTrue();
      assertThat(allowed(partner, AclOperation.READ, topic(KafkaAcls.webhookParked(partner))))
          .as("%s reads its parked deliveries (only operators do, through the hub)", partner)
          .isFalse();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, group(partner + ".inbox-reader")))
          .as("use %s own consumer groups", partner)
          .isFalse();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.ALTER_CONFIGS, topic(Topics.inbox(partner))))
          .as("keeps %s inbox's retention as configured", partner)
          .isTrue();
      assertThat(
              allowed(
                  KafkaAcls.HUB,
                  AclOperation.ALTER_CONFIGS,
                  topic(KafkaAcls.webhookParked(partner))))
          .as("keeps %s parked deliveries' retention as configured", partner)
          .isTrue();
      assertThat(
              allowed(KafkaAcls.HUB, AclOperation.DESCRIBE_CONFIGS, topic(Topics.outbox(partner))))
          .as("reads the settings of %s outbox", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.ALTER_CONFIGS, topic(Topics.outbox(partner))))
          .as("changes the settings of %s outbox, which it sets none of", partner)
          .isFalse();
    }
    for (String own : List.of(KafkaAcls.AUDIT, KafkaAcls.DEAD_LETTER, KafkaAcls.AUDIT_CHAIN)) {
      assertThat(allowed(KafkaAcls.HUB, AclOperation.DESCRIBE_CONFIGS, topic(own)))
          .as("reads the settings of %s", own)
          .isTrue();
      assertThat(allowed(KafkaAcls.HUB, AclOperation.ALTER_CONFIGS, topic(own)))
          .as("keeps the settings of %s as configured", own)
          .isTrue();
    }
    assertThat(allowed(KafkaAcls.HUB, AclOperation.DESCRIBE_CONFIGS, topic("some.other.topic")))
        .as("reads the settings of a topic not its own")
        .isFalse();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(KafkaAcls.AUDIT))).isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic(KafkaAcls.AUDIT)))
        .as("the hub reads the audit back (a chain head found nowhere else)")
        .isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic(KafkaAcls.AUDIT_CHAIN))).isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(KafkaAcls.AUDIT_CHAIN))).isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, topic(KafkaAcls.DEAD_LETTER))).isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, group(KafkaAcls.HUB_GROUP))).isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, transactionalId("covenant-hub-3f2a-0")))
        .isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.WRITE, transactionalId("other-app-0")))
        .isFalse();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.CREATE, topic(Topics.outbox("lzn"))))
        .as("creates its own topics")
        .isTrue();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.CREATE, topic("partner.newcomer.outbox")))
        .as("creates the topics of a partner no covenant names")
        .isFalse();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.DESCRIBE, topic("partner.newcomer.outbox")))
        .as("sees an outbox it may not read (its pattern subscription would fail on it)")
        .isFalse();
    assertThat(
            allowed(
                KafkaAcls.HUB,
                AclOperation.ALTER,
                new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL)))
        .as("alters the cluster (e.g. ACLs)")
        .isFalse();
  }

  @Test
  void theConsoleReadsTheAuditAndTheOutboxesAndPublishesCovenants() {
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(KafkaAcls.AUDIT))).isTrue();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, group("covenant-console-audit-index")))
        .isTrue();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.WRITE, topic(KafkaAcls.COVENANTS))).isTrue();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(KafkaAcls.COVENANTS)))
        .as("reads the trail anchors back")
        .isTrue();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.WRITE, topic(KafkaAcls.AUDIT)))
        .as("the console rewrites the audit")
        .isFalse();
    for (String partner : PARTNERS) {
      assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(Topics.inbox(partner))))
          .as("reads %s inbox", partner)
          .isFalse();
      assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(Topics.outbox(partner))))
          .as("reads %s outbox for the impact preview", partner)
          .isTrue();
      assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.WRITE, topic(Topics.outbox(partner))))
          .as("writes %s outbox (only the case table's party's)", partner)
          .isEqualTo(partner.equals(KafkaAcls.CASE_TABLE_PARTY));
      assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.WRITE, topic(Topics.inbox(partner))))
          .as("writes %s inbox", partner)
          .isFalse();
    }
  }

  @Test
  void aPartnerIdThatIsNotATopicPartOrIsAServiceIsRefused() {
    assertThatThrownBy(() -> KafkaAcls.forPartners(List.of("lzn", "a.b")))
        .as("a dot would let group prefix 'a.' match another partner's groups")
        .hasMessageContaining("'a.b'");
    assertThatThrownBy(() -> KafkaAcls.forPartners(List.of("covenant-hub")))
        .hasMessageContaining("principal of a service");
    assertThatThrownBy(() -> KafkaAcls.forPartners(List.of("admin")))
        .hasMessageContaining("principal of a service");
  }

  @Test
  void theCommittedAclFileIsWhatTheCovenantsGive() throws Exception {
    Path committed = ROOT.resolve("infra/kafka/acls.yaml");
    assertThat(Files.readString(committed, StandardCharsets.UTF_8))
        .as("infra/kafka/acls.yaml is stale: run bin/kafka-acls and commit the file")
        .isEqualTo(AclsCommand.generate(ROOT.resolve("covenants")));
    assertThat(AclsCommand.parties(ROOT.resolve("covenants")))
        .containsExactlyInAnyOrderElementsOf(PARTNERS);
    assertThat(Files.readString(ROOT.resolve(AclsCommand.STRIMZI_USERS), StandardCharsets.UTF_8))
        .as("the chart's KafkaUsers are stale: run bin/kafka-acls and commit the file")
        .isEqualTo(AclsCommand.generateStrimziUsers(ROOT.resolve("covenants")));
  }

  @Test
  void theLauncherReadsBackExactlyWhatWasGenerated(@TempDir Path dir) throws Exception {
    List<AclBinding> generated = KafkaAcls.forPartners(Set.of("lzn", "politie", "a-new-partner"));
    Path file = dir.resolve("acls.yaml");
    Files.writeString(
        file,
        AclYaml.render(generated, KafkaAcls.quotas(Set.of("lzn", "politie", "a-new-partner"))),
        StandardCharsets.UTF_8);
    assertThat(AclFile.read(file)).containsExactlyElementsOf(generated);
    assertThat(AclFile.quotas(file))
        .as("a quota per partner, read back as the broker gets them")
        .containsExactly(
            partnerQuota("a-new-partner"), partnerQuota("lzn"), partnerQuota("politie"));
    assertThat(AclFile.read(ROOT.resolve("infra/kafka/acls.yaml")))
        .containsExactlyElementsOf(KafkaAcls.forPartners(PARTNERS));
  }

  @Test
  void onlyOperatorsReadTheDeadLettersAndTheConsoleReadsThePublishedHeads() {
    assertThat(allowed(KafkaAcls.OPERATOR, AclOperation.READ, topic(KafkaAcls.DEAD_LETTER)))
        .isTrue();
    assertThat(allowed(KafkaAcls.OPERATOR, AclOperation.READ, group("covenant-operator.inspect")))
        .isTrue();
    assertThat(allowed(KafkaAcls.OPERATOR, AclOperation.READ, topic(KafkaAcls.AUDIT)))
        .as("operators read no audit")
        .isFalse();
    assertThat(allowed(KafkaAcls.OPERATOR, AclOperation.WRITE, topic(Topics.outbox("politie"))))
        .as("operators send nothing in a partner's name")
        .isFalse();
    assertThat(allowed(KafkaAcls.HUB, AclOperation.READ, topic(KafkaAcls.DEAD_LETTER))).isFalse();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(KafkaAcls.DEAD_LETTER)))
        .isFalse();
    assertThat(allowed(KafkaAcls.CONSOLE, AclOperation.READ, topic(KafkaAcls.AUDIT_CHAIN)))
        .isTrue();
  }

  @Test
  void everyPartnerHasQuotasAndTheServicesNone() {
    assertThat(KafkaAcls.quotas(PARTNERS))
        .extracting(KafkaAcls.Quota::user)
        .containsExactlyElementsOf(new java.util.TreeSet<>(PARTNERS));
    assertThat(KafkaAcls.quotas(PARTNERS))
        .allSatisfy(
            q -> {
              assertThat(q.producerByteRate()).isEqualTo(1024 * 1024);
              assertThat(q.consumerByteRate()).isEqualTo(4 * 1024 * 1024);
              assertThat(q.requestPercentage()).isEqualTo(50.0);
            });
  }

  private static nl.covenanthub.devkit.AclFile.ClientQuota partnerQuota(String user) {
    return new nl.covenanthub.devkit.AclFile.ClientQuota(
        user,
        Map.of(
            "producer_byte_rate", 1048576.0,
            "consumer_byte_rate", 4194304.0,
            "request_percentage", 50.0));
  }

  private boolean allowed(String clientId, AclOperation operation, ResourcePattern resource) {
    List<AuthorizationResult> results =
        authorizer.authorize(
            new Context(KafkaAcls.principal(clientId)),
            List.of(new Action(operation, resource, 1, false, false)));
    return results.get(0) == AuthorizationResult.ALLOWED;
  }

  private static ResourcePattern topic(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
  }

  private static ResourcePattern group(String name) {
    return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
  }

  private static ResourcePattern transactionalId(String name) {
    return new ResourcePattern(ResourceType.TRANSACTIONAL_ID, name, PatternType.LITERAL);
  }

  /** A request from {@code user} on the clients' listener. */
  private record Context(String user) implements AuthorizableRequestContext {
    @Override
    public String listenerName() {
      return "CLIENTS";
    }

    @Override
    public SecurityProtocol securityProtocol() {
      return SecurityProtocol.SASL_PLAINTEXT;
    }

    @Override
    public KafkaPrincipal principal() {
      return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user.substring("User:".length()));
    }

    @Override
    public InetAddress clientAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public int requestType() {
      return 0;
    }

    @Override
    public int requestVersion() {
      return 0;
    }

    @Override
    public String clientId() {
      return "test";
    }

    @Override
    public int correlationId() {
      return 0;
    }
  }
}
