package nl.covenanthub.console;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.devkit.MovableClock;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console as it runs: a real KRaft broker with {@code hub.audit} (3 partitions), a real
 * embedded PostgreSQL in a temporary directory, and tokens checked against this JVM's real
 * Keycloak. Test classes that extend it share one application context; each test starts with an
 * empty index and its own chains.
 */
@SpringBootTest(
    classes = {ConsoleApplication.class, ConsoleTestBase.TestClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "console.postgres.port=0",
      "console.covenants=../../covenants",
      // The scheduled integrity checks run when a test calls them, not in the middle of one.
      "console.monitoring.integrity-first-after=365d",
      "console.monitoring.last-day-first-after=365d"
    })
@EmbeddedKafka(
    partitions = 3,
    topics = {"hub.audit", "hub.audit.chain"},
    // One broker that a real hub (CaseTableTest) writes to with transactions.
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
public abstract class ConsoleTestBase {
  protected static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path DATA = temporaryDirectory();
  private static KafkaProducer<String, byte[]> producer;

  @Autowired protected JdbcClient db;
  @Autowired protected MovableClock clock;

  @Value("${spring.embedded.kafka.brokers}")
  private String brokers;

  @TestConfiguration(proxyBeanMethods = false)
  static class TestClock {
    @Bean
    @Primary
    MovableClock movableClock() {
      return new MovableClock(Instant.now());
    }
  }

  @DynamicPropertySource
  static void console(DynamicPropertyRegistry registry) {
    registry.add("console.postgres.data-directory", DATA::toString);
    registry.add(
        "spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> Keycloak.shared().issuer());
  }

  @BeforeEach
  void emptyIndex() {
    // Not ingest_position: the ingest goes on from where it is, and what earlier tests published is
    // not read again.
    db.sql(
            "TRUNCATE audit_record, audit_day_count, chain_head, retention_checkpoint, ingest_problem,"
                + " chain_fork")
        .update();
    clock.set(Instant.now());
  }

  @AfterAll
  static void closeProducer() {
    if (producer != null) {
      producer.close();
      producer = null;
    }
  }

  /**
   * Writes {@code records} to hub.audit as the hub does: keyed by chain, so each chain stays in one
   * partition, in order.
   */
  protected void publish(Collection<AuditTrail.Sealed> records) {
    for (AuditTrail.Sealed sealed : records) {
      producer().send(new ProducerRecord<>("hub.audit", sealed.chainId(), sealed.bytes()));
    }
    producer().flush();
  }

  protected void publishRaw(String key, byte[] value) {
    publishTo("hub.audit", key, value);
  }

  protected void publishTo(String topic, String key, byte[] value) {
    publish(new ProducerRecord<>(topic, key, value));
  }

  protected void publish(ProducerRecord<String, byte[]> record) {
    producer().send(record);
    producer().flush();
  }

  /** Publishes {@code records} and waits until the index holds all of them. */
  protected void ingest(List<AuditTrail.Sealed> records) {
    publish(records);
    awaitStored(records);
  }

  protected void awaitStored(List<AuditTrail.Sealed> records) {
    await().atMost(WAIT).until(() -> records.stream().allMatch(this::isStored));
  }

  protected boolean isStored(AuditTrail.Sealed sealed) {
    return db.sql("SELECT count(*) FROM audit_record WHERE chain_id = ? AND sequence = ?")
            .params(sealed.chainId(), sealed.record().getSequence())
            .query(Long.class)
            .single()
        == 1;
  }

  protected long rows(String chainId) {
    return db.sql("SELECT count(*) FROM audit_record WHERE chain_id = ?")
        .param(chainId)
        .query(Long.class)
        .single();
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  brokers,
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  private static Path temporaryDirectory() {
    try {
      // Under target/ (mvn clean removes it), new for every run: offsets stored by a run belong to
      // its own broker.
      return Files.createTempDirectory(
          Files.createDirectories(Path.of("target", "test-postgres")), "data-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
