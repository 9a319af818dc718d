package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.devkit.KafkaBroker;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.security.KafkaAcls;
import nl.covenanthub.hub.writerschemas.SchemaRegistration;
import nl.covenanthub.hub.writerschemas.WriterSchemaTopic;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Kafka access control against the real thing: a Keycloak with the project's realm, a broker with
 * SASL/OAUTHBEARER and the generated ACLs of {@code infra/kafka/acls.yaml}, and the hub running
 * with profile {@code sasl} as {@code User:covenant-hub}. Partners act with their own client
 * credentials.
 */
@SpringBootTest(properties = {"hub.covenants=../../covenants", "server.port=0"})
@ActiveProfiles("sasl")
class KafkaAccessControlTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Long enough for a short-lived token to expire, with the broker's skew and a wide margin. */
  private static final Duration EXPIRY = Duration.ofMinutes(2);

  /**
   * A client of the test realm whose tokens live 30 seconds (long enough to be used while fresh on
   * a loaded machine); the broker grants it nothing unless a test does.
   */
  private static final String SHORT_LIVED = "test-short-lived";

  @DynamicPropertySource
  static void theHubLogsInAsItself(DynamicPropertyRegistry registry) {
    KafkaBroker broker = KafkaBroker.shared();
    registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
    registry.add("KAFKA_TOKEN_ENDPOINT", broker::tokenEndpoint);
    registry.add("KAFKA_CLIENT_ID", () -> KafkaAcls.HUB);
    registry.add("KAFKA_CLIENT_SECRET", () -> Keycloak.demoSecret(KafkaAcls.HUB));
  }

  private static KafkaBroker broker() {
    return KafkaBroker.shared();
  }

  /**
   * The broker and the hub as {@code clientId} sees them, logged in with its client credentials.
   */
  private static KafkaProbe as(String clientId) {
    return new KafkaProbe(broker().clientConfig(clientId, Keycloak.demoSecret(clientId)));
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, Object> client) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(String clientId, String group) {
    Map<String, Object> config =
        new HashMap<>(broker().clientConfig(clientId, Keycloak.demoSecret(clientId)));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  // --- the data path under SASL ---

  @Test
  void aPartnersEventReachesTheRecipientsInboxThroughTheHubWithItsAudit() {
    CaseSignal signal =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    try (KafkaProbe politie = as("politie");
        KafkaProbe console = as(KafkaAcls.CONSOLE);
        KafkaConsumer<String, byte[]> lzn = consumer("lzn", "lzn.inbox-reader");
        KafkaProbe lznViews = as("lzn")) {
      politie.publish(
          Topics.outbox("politie"), signal.getCaseReference(), PartnerEvents.bytes(signal));

      lzn.subscribe(List.of(Topics.inbox("lzn")));
      List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                lzn.poll(Duration.ofMillis(500)).forEach(received::add);
                assertThat(received)
                    .as("lzn's inbox, read by lzn in a group of its own")
                    .anyMatch(
                        r ->
                            signal
                                .getEventId()
                                .equals(String.valueOf(lznViews.view(r).get("eventId"))));
              });
      ConsumerRecord<String, byte[]> delivered =
          received.stream()
              .filter(
                  r -> signal.getEventId().equals(String.valueOf(lznViews.view(r).get("eventId"))))
              .findFirst()
              .orElseThrow();
      assertThat(KafkaProbe.header(delivered, "rule-id")).isEqualTo("politie-signaal-zorg-aan-lzn");

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(console.auditOf(signal.getEventId()))
                      .as("the audit, read by the console")
                      .extracting(a -> String.valueOf(a.getRecipient()), AuditRecord::getDecision)
                      .containsExactlyInAnyOrder(
                          tuple("lzn", AuditDecision.DISCLOSED),
                          tuple("veilig-thuis", AuditDecision.WITHHELD)));
      assertThat(console.auditOf(signal.getEventId()))
          .extracting(AuditRecord::getSender)
          .as("the sender is who authenticated")
          .containsOnly("politie");
    }
  }

  /**
   * What the hub does at every start, as {@code User:covenant-hub} under the generated ACLs: the
   * retention it is configured with is put back on a topic that has another.
   */
  @Test
  void theHubPutsItsRetentionBackOnATopicThatExists(@Autowired KafkaAdmin hubAdmin)
      throws Exception {
    ConfigResource deadLetters =
        new ConfigResource(ConfigResource.Type.TOPIC, KafkaAcls.DEAD_LETTER);
    try (Admin admin = broker().admin()) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  deadLetters,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.RETENTION_MS_CONFIG,
                              Long.toString(Duration.ofDays(30).toMillis())),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();

      assertThat(hubAdmin.initialize()).as("the hub's topics as configured").isTrue();

      assertThat(
              admin
                  .describeConfigs(List.of(deadLetters))
                  .all()
                  .get()
                  .get(deadLetters)
                  .get(TopicConfig.RETENTION_MS_CONFIG)
                  .value())
          .as("hub.dead-letter-retention, 14 days by default")
          .isEqualTo(Long.toString(Duration.ofDays(14).toMillis()));
    }
  }

  @Test
  void everyPartnerIsThrottledByTheQuotasOfTheAclFile() throws Exception {
    try (Admin admin = broker().admin()) {
      var quotas =
          admin
              .describeClientQuotas(org.apache.kafka.common.quota.ClientQuotaFilter.all())
              .entities()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      for (String partner : List.of("lzn", "politie", "veilig-thuis", "riec")) {
        var entity =
            new org.apache.kafka.common.quota.ClientQuotaEntity(
                Map.of(org.apache.kafka.common.quota.ClientQuotaEntity.USER, partner));
        assertThat(quotas.get(entity))
            .as("quotas of %s on the broker", partner)
            .containsEntry("producer_byte_rate", (double) KafkaAcls.PARTNER_PRODUCER_BYTE_RATE)
            .containsEntry("consumer_byte_rate", (double) KafkaAcls.PARTNER_CONSUMER_BYTE_RATE)
            .containsEntry("request_percentage", KafkaAcls.PARTNER_REQUEST_PERCENTAGE);
      }
      assertThat(quotas.keySet())
          .as("the hub is not throttled")
          .noneMatch(e -> KafkaAcls.HUB.equals(e.entries().get("user")));
    }
  }

  @Test
  void aPartnerNamingAnotherPartnerAsSenderIsRejectedAndAudited() {
    CaseSignal spoofed =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    try (KafkaProbe lzn = as("lzn");
        KafkaProbe console = as(KafkaAcls.CONSOLE);
        KafkaProbe operator = new KafkaProbe(broker().adminConfig())) {
      lzn.publish(Topics.outbox("lzn"), spoofed.getCaseReference(), PartnerEvents.bytes(spoofed));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(operator.committed("hub.deadletter"))
                      .as("the dead letters, read by an operator")
                      .anyMatch(r -> spoofed.getCaseReference().equals(r.key())));
      ConsumerRecord<String, byte[]> dead =
          operator.committed("hub.deadletter").stream()
              .filter(r -> spoofed.getCaseReference().equals(r.key()))
              .findFirst()
              .orElseThrow();
      assertThat(KafkaProbe.header(dead, "deadletter-reason")).isEqualTo("SENDER_MISMATCH");
      assertThat(KafkaProbe.header(dead, "deadletter-detail"))
          .isEqualTo("the payload's sender is not 'lzn', whose outbox it came from");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(console.audit())
                      .as("a REJECTED audit record naming the authenticated sender, lzn")
                      .anySatisfy(
                          a -> {
                            assertThat(a.getSourceTopic()).isEqualTo(Topics.outbox("lzn"));
                            assertThat(a.getSourceOffset())
                                .isEqualTo(
                                    Long.parseLong(
                                        KafkaProbe.header(dead, "deadletter-source-offset")));
                            assertThat(a.getDecision()).isEqualTo(AuditDecision.REJECTED);
                            assertThat(a.getSender()).isEqualTo("lzn");
                            assertThat(a.getReason()).isEqualTo("SENDER_MISMATCH");
                          }));
    }
  }

  // --- what the ACLs refuse ---

  @Test
  void aPartnerCannotPublishInAnotherPartnersOutbox() {
    CaseSignal spoofed =
        PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
    try (KafkaProducer<String, byte[]> lzn =
            producer(broker().clientConfig("lzn", Keycloak.demoSecret("lzn")));
        KafkaProbe operator = new KafkaProbe(broker().adminConfig())) {
      Throwable refused =
          catchThrowable(
              () ->
                  lzn.send(
                          new ProducerRecord<>(
                              Topics.outbox("politie"),
                              spoofed.getCaseReference(),
                              PartnerEvents.bytes(spoofed)))
                      .get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertThat(causes(refused))
          .as("lzn writing politie's outbox: %s", refused)
          .anyMatch(TopicAuthorizationException.class::isInstance);
      assertThat(operator.committed(Topics.outbox("politie")))
          .as("nothing of lzn in politie's outbox")
          .noneMatch(r -> spoofed.getCaseReference().equals(r.key()));
    }
  }

  @Test
  void theHubKeepsAPartnersWriterSchemaUnderItsOwnAcls(@Autowired SchemaRegistration registration) {
    Schema writer = PartnerEvents.caseSignalWith(PartnerEvents.optionalString("aclNote"));
    SchemaRegistration.Result registered =
        registration.register("lzn", writer.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(registered)
        .as("written to hub.writer-schemas in a transaction and read back, as User:covenant-hub")
        .isInstanceOfSatisfying(
            SchemaRegistration.Registered.class, r -> assertThat(r.created()).isTrue());
  }

  @Test
  void aPartnerRegistersWriterSchemasOnlyThroughTheHubNeverOnKafka() {
    try (KafkaProducer<String, byte[]> lzn =
        producer(broker().clientConfig("lzn", Keycloak.demoSecret("lzn")))) {
      assertThat(causes(publishing(lzn, WriterSchemaTopic.TOPIC)))
          .as("lzn writing hub.writer-schemas itself, past the hub's compatibility check")
          .anyMatch(TopicAuthorizationException.class::isInstance);
    }
  }

  @Test
  void aPartnerCannotReadAnotherPartnersInbox() {
    try (KafkaConsumer<String, byte[]> politie = consumer("politie", "politie.snooping")) {
      politie.subscribe(List.of(Topics.inbox("lzn")));
      assertThat(causes(refusalOf(() -> politie.poll(Duration.ofMillis(500)))))
          .as("politie reading lzn's inbox")
          .anyMatch(TopicAuthorizationException.class::isInstance);
    }
  }

  @Test
  void aPartnerCannotReadTheAudit() {
    try (KafkaConsumer<String, byte[]> lzn = consumer("lzn", "lzn.audit")) {
      lzn.subscribe(List.of("hub.audit"));
      assertThat(causes(refusalOf(() -> lzn.poll(Duration.ofMillis(500)))))
          .as("lzn reading hub.audit")
          .anyMatch(TopicAuthorizationException.class::isInstance);
    }
  }

  @Test
  void aPartnerCannotUseAnotherPartnersConsumerGroup() {
    try (KafkaConsumer<String, byte[]> politie = consumer("politie", "lzn.inbox-reader")) {
      politie.subscribe(List.of(Topics.inbox("politie")));
      assertThat(causes(refusalOf(() -> politie.poll(Duration.ofMillis(500)))))
          .as("politie in a consumer group of lzn")
          .anyMatch(GroupAuthorizationException.class::isInstance);
    }
  }

  // --- what authentication refuses ---

  @Test
  void aClientWithAWrongSecretCannotLogIn() {
    Throwable refused =
        catchThrowable(
            () -> {
              try (KafkaProducer<String, byte[]> lzn =
                  producer(broker().clientConfig("lzn", "not-the-secret"))) {
                lzn.send(new ProducerRecord<>(Topics.outbox("lzn"), "k", new byte[] {1}))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
              }
            });
    assertThat(refused).as("lzn with a wrong secret gets no token, so no connection").isNotNull();
    assertThat(causes(refused))
        .as("%s", refused)
        .anyMatch(t -> String.valueOf(t.getMessage()).contains("401"));
  }

  @Test
  void aTokenNotMeantForTheHubIsRefused() {
    String secret = Keycloak.demoSecret("test-no-audience");
    assertThat(causes(publishing(producer(broker().clientConfig("test-no-audience", secret)))))
        .as("a valid token of the realm without aud 'hub'")
        .anyMatch(AuthenticationException.class::isInstance);
  }

  @Test
  void aTamperedTokenIsRefused() {
    String token = Keycloak.shared().clientToken("lzn", Keycloak.demoSecret("lzn"));
    String[] parts = token.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    claims
                        .replace("\"azp\":\"lzn\"", "\"azp\":\"politie\"")
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThat(forged).isNotEqualTo(token);
    assertThat(
            causes(
                publishing(producer(FixedTokenLogin.config(broker().bootstrapServers(), forged)))))
        .as("lzn's token rewritten to say politie, its signature no longer matching")
        .anyMatch(AuthenticationException.class::isInstance);
  }

  @Test
  void aTokenOfAnotherRealmIsRefused() {
    String master = keycloakAdminToken();
    assertThat(
            causes(
                publishing(producer(FixedTokenLogin.config(broker().bootstrapServers(), master)))))
        .as("a token of Keycloak's master realm: another issuer, another key")
        .anyMatch(AuthenticationException.class::isInstance);
  }

  @Test
  void anExpiredTokenIsRefused() {
    String shortLived =
        Keycloak.shared().clientToken(SHORT_LIVED, Keycloak.demoSecret(SHORT_LIVED));
    Instant expiry = Instant.ofEpochSecond(FixedTokenLogin.claim(shortLived, "exp"));
    // The broker allows 5 s of clock skew (sasl.oauthbearer.clock.skew.seconds in
    // infra/kafka/server.properties).
    await().atMost(EXPIRY).until(() -> Instant.now().isAfter(expiry.plusSeconds(6)));
    assertThat(
            causes(
                publishing(
                    producer(FixedTokenLogin.config(broker().bootstrapServers(), shortLived)))))
        .as("a token past its exp")
        .anyMatch(AuthenticationException.class::isInstance);
  }

  /**
   * The broker ends a session when its token expires (and after connections.max.reauth.ms at the
   * latest): a client that cannot present a fresh token loses its open connection, while one that
   * renews its token keeps going, until Keycloak stops giving it tokens (its client disabled, as
   * when a partner's access is revoked).
   */
  @Test
  void anOpenConnectionStopsWorkingOnceItsTokenExpiresOrItsClientIsRevoked() throws Exception {
    String topic = "test.reauthentication";
    AclBinding write =
        new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
            new AccessControlEntry(
                KafkaAcls.principal(SHORT_LIVED),
                "*",
                AclOperation.WRITE,
                AclPermissionType.ALLOW));
    try (Admin admin = broker().admin()) {
      createTopic(admin, topic);
      admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
      try (KafkaProducer<String, byte[]> fixed =
              producer(
                  FixedTokenLogin.config(
                      broker().bootstrapServers(),
                      Keycloak.shared()
                          .clientToken(SHORT_LIVED, Keycloak.demoSecret(SHORT_LIVED))));
          KafkaProducer<String, byte[]> renewing = producer(renewingShortLivedClient())) {
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  assertThat(publishing(fixed, topic)).as("with a fresh token").isNull();
                  assertThat(publishing(renewing, topic)).as("with a fresh token").isNull();
                });

        await()
            .atMost(EXPIRY)
            .untilAsserted(
                () ->
                    assertThat(causes(publishing(fixed, topic)))
                        .as("the same connection once its token expired")
                        .anyMatch(AuthenticationException.class::isInstance));
        assertThat(publishing(renewing, topic))
            .as("a client renewing its token, after the first token expired")
            .isNull();

        enableInKeycloak(SHORT_LIVED, false);
        try {
          await()
              .atMost(WAIT)
              .untilAsserted(
                  () ->
                      assertThat(causes(publishing(renewing, topic)))
                          .as("the renewing client, its client disabled in Keycloak")
                          .anyMatch(AuthenticationException.class::isInstance));
        } finally {
          enableInKeycloak(SHORT_LIVED, true);
        }
      } finally {
        admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, Object> renewingShortLivedClient() {
    Map<String, Object> config =
        new HashMap<>(broker().clientConfig(SHORT_LIVED, Keycloak.demoSecret(SHORT_LIVED)));
    // Tokens of 30 s: renew at 80 % of their life, not after Kafka's default minimum of 60 s.
    config.put("sasl.login.refresh.min.period.seconds", (short) 1);
    config.put("sasl.login.refresh.buffer.seconds", (short) 1);
    return config;
  }

  // --- helpers ---

  private static Throwable publishing(KafkaProducer<String, byte[]> producer) {
    try (producer) {
      return publishing(producer, Topics.outbox("lzn"));
    }
  }

  /** What sending one record to {@code topic} threw, or null. */
  private static Throwable publishing(KafkaProducer<String, byte[]> producer, String topic) {
    return catchThrowable(
        () ->
            producer
                .send(new ProducerRecord<>(topic, "probe", new byte[] {1}))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  /**
   * What {@code action} throws, repeated until it throws (a consumer learns of a refusal on a later
   * poll).
   */
  private static Throwable refusalOf(Runnable action) {
    List<Throwable> thrown = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Optional.ofNullable(catchThrowable(action::run)).ifPresent(thrown::add);
              return !thrown.isEmpty();
            });
    return thrown.get(0);
  }

  private static List<Throwable> causes(Throwable thrown) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static void createTopic(Admin admin, String topic) throws Exception {
    try {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  /** Enables or disables a client of the realm, through Keycloak's admin API. */
  private static void enableInKeycloak(String clientId, boolean enabled) throws Exception {
    String admin = Keycloak.shared().url() + "/admin/realms/" + Keycloak.REALM + "/clients";
    HttpClient http = HttpClient.newHttpClient();
    String authorization = "Bearer " + keycloakAdminToken();
    String clients =
        http.send(
                HttpRequest.newBuilder(URI.create(admin + "?clientId=" + clientId))
                    .header("Authorization", authorization)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(clients);
    assertThat(id.find()).as("client %s in %s", clientId, clients).isTrue();
    HttpResponse<String> updated =
        http.send(
            HttpRequest.newBuilder(URI.create(admin + "/" + id.group(1)))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(updated.statusCode()).as("enabling %s: %s", clientId, updated.body()).isEqualTo(204);
  }

  /**
   * A token of the master realm's local demo administrator (admin/admin, see devkit's Keycloak):
   * another issuer and key.
   */
  private static String keycloakAdminToken() {
    String form =
        "grant_type=password&client_id=admin-cli&username=admin&password="
            + URLEncoder.encode("admin", StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              Keycloak.shared().url()
                                  + "/realms/master/protocol/openid-connect/token"))
                      .header("Content-Type", "application/x-www-form-urlencoded")
                      .POST(HttpRequest.BodyPublishers.ofString(form))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      Matcher token =
          Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
      assertThat(token.find()).as("a master realm token: %s", response.body()).isTrue();
      return token.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
