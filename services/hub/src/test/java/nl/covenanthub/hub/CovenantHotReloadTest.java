package nl.covenanthub.hub;

import static nl.covenanthub.hub.KafkaProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * New covenant versions and revocations published on {@code hub.covenants} take effect in the
 * running hub, between two transactions: no restart, no event lost or decided twice, every audit
 * record naming the version that decided it; a version the hub cannot take is refused and the one
 * in force stays. The tests build on each other (v1 from the directory, then v2, then refusals,
 * then a revocation), so they run in order.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants",
      "server.port=0"
    })
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CovenantHotReloadTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final String ID = "zorg-en-veiligheid-west-maas-en-waal";
  private static final Path FILE = Path.of("../../covenants/zorg-en-veiligheid.yaml");
  private static final String WHOLE_SUBJECT = "      subject: pass\n";
  private static final String SUBJECT_BUT_BIRTH_DATE =
      "      subject.bsn: pass\n      subject.name: pass\n      subject.address: pass\n";
  private static KafkaProbe kafka;

  @Autowired ActiveCovenants active;

  @Autowired
  @org.springframework.beans.factory.annotation.Qualifier("covenants")
  HealthIndicator health;

  @BeforeAll
  static void probe(@Autowired EmbeddedKafkaBroker broker) {
    kafka = new KafkaProbe(broker.getBrokersAsString());
  }

  @AfterAll
  static void close() {
    kafka.close();
  }

  /** Version 2: politie no longer passes the birth date to the care network. */
  private static String version2() throws Exception {
    String v1 = Files.readString(FILE);
    assertThat(v1).contains("version: 1\n");
    int rule = v1.indexOf("    from: politie\n    to: lzn\n");
    int at = v1.indexOf(WHOLE_SUBJECT, rule);
    assertThat(at).as("the politie-to-lzn rule passes the whole subject").isPositive();
    assertThat(v1.indexOf("  - id:", rule)).isGreaterThan(at);
    return (v1.substring(0, at)
            + SUBJECT_BUT_BIRTH_DATE
            + v1.substring(at + WHOLE_SUBJECT.length()))
        .replace("version: 1\n", "version: 2\n");
  }

  private static LoadedCovenant load(String yaml) throws Exception {
    return CovenantLoader.load("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** What the console does: the YAML as value, its version and canonical hash as headers. */
  private static void publish(String yaml, String version, String hash, String revokedBy) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(CovenantFeed.TOPIC, ID, yaml.getBytes(StandardCharsets.UTF_8));
    record.headers().add(ActiveCovenants.VERSION_HEADER, version.getBytes(StandardCharsets.UTF_8));
    record.headers().add(ActiveCovenants.HASH_HEADER, hash.getBytes(StandardCharsets.UTF_8));
    if (revokedBy != null) {
      record
          .headers()
          .add(ActiveCovenants.REVOKED_HEADER, revokedBy.getBytes(StandardCharsets.UTF_8));
    }
    kafka.publish(record);
  }

  private static CaseSignal signal() {
    return PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
  }

  private static void send(CaseSignal signal) {
    kafka.publish("partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
  }

  private static AuditRecord auditToLzn(CaseSignal signal) {
    await()
        .atMost(WAIT)
        .until(() -> kafka.audit().stream().anyMatch(a -> isToLzn(a, signal.getEventId())));
    List<AuditRecord> toLzn =
        kafka.audit().stream().filter(a -> isToLzn(a, signal.getEventId())).toList();
    assertThat(toLzn).as("one decision for lzn").hasSize(1);
    return toLzn.get(0);
  }

  private static boolean isToLzn(AuditRecord audit, String eventId) {
    return eventId.equals(audit.getEventId()) && "lzn".equals(String.valueOf(audit.getRecipient()));
  }

  private static ConsumerRecord<String, byte[]> inboxOfLzn(CaseSignal signal) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.committed("partner.lzn.inbox").stream()
                    .anyMatch(
                        r ->
                            signal
                                .getEventId()
                                .equals(String.valueOf(kafka.view(r).get("eventId")))));
    return kafka.committed("partner.lzn.inbox").stream()
        .filter(r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> healthOf(String id) {
    return (Map<String, Object>) health.health().getDetails().get(id);
  }

  @Test
  @Order(1)
  void aPublishedVersionDecidesTheNextEventsWithoutARestart() throws Exception {
    LoadedCovenant v1 = load(Files.readString(FILE));
    CaseSignal before = signal();
    send(before);
    AuditRecord underV1 = auditToLzn(before);
    assertThat(underV1.getCovenantVersion()).isEqualTo(1);
    assertThat(underV1.getCovenantHash()).isEqualTo(v1.contentHash());
    assertThat(((GenericRecord) kafka.view(inboxOfLzn(before)).get("subject")).get("birthDate"))
        .as("v1 passes the birth date")
        .isNotNull();
    assertThat(healthOf(ID)).containsEntry("version", 1).containsEntry("hash", v1.contentHash());

    String yaml = version2();
    LoadedCovenant v2 = load(yaml);
    publish(yaml, "2", v2.contentHash(), null);
    await().atMost(WAIT).until(() -> active.current().covenants().contains(v2.ref()));
    assertThat(healthOf(ID))
        .containsEntry("version", 2)
        .containsEntry("hash", v2.contentHash())
        .containsEntry("from", CovenantFeed.TOPIC + "@0");

    CaseSignal after = signal();
    send(after);
    AuditRecord underV2 = auditToLzn(after);
    assertThat(underV2.getCovenantVersion()).isEqualTo(2);
    assertThat(underV2.getCovenantHash()).isEqualTo(v2.contentHash());
    ConsumerRecord<String, byte[]> inbox = inboxOfLzn(after);
    assertThat(header(inbox, "covenant-version")).isEqualTo("2");
    assertThat(header(inbox, "covenant-hash")).isEqualTo(v2.contentHash());
    assertThat(((GenericRecord) kafka.view(inbox).get("subject")).getSchema().getField("birthDate"))
        .as("the view of v2 has no birth date")
        .isNull();
  }

  @Test
  @Order(2)
  void eventsInFlightAtASwitchAreDecidedOnceAndNeverUnderAnOlderVersionAfterANewer()
      throws Exception {
    // v3 is v2 with another title: the switch happens while 300 events are on their way.
    String yaml = version2().replace("version: 2\n", "version: 3\n");
    String v3yaml = yaml.replaceFirst("title: ([^\n]*)", "title: $1 (v3)");
    LoadedCovenant v3 = load(v3yaml);
    List<CaseSignal> burst = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      CaseSignal signal = signal();
      burst.add(signal);
      send(signal);
      if (i == 100) {
        publish(v3yaml, "3", v3.contentHash(), null);
      }
    }
    Set<String> ids = burst.stream().map(CaseSignal::getEventId).collect(Collectors.toSet());
    await()
        .atMost(WAIT)
        .until(
            () ->
                kafka.audit().stream()
                        .filter(a -> ids.contains(a.getEventId()))
                        .filter(a -> "lzn".equals(String.valueOf(a.getRecipient())))
                        .count()
                    >= burst.size());
    List<AuditRecord> decided =
        kafka.audit().stream()
            .filter(a -> ids.contains(a.getEventId()))
            .filter(a -> "lzn".equals(String.valueOf(a.getRecipient())))
            .toList();
    assertThat(decided.stream().map(AuditRecord::getEventId).distinct().count())
        .as("each event decided once for lzn")
        .isEqualTo(decided.size())
        .isEqualTo(burst.size());
    assertThat(decided)
        .allSatisfy(a -> assertThat(a.getDecision()).isEqualTo(AuditDecision.DISCLOSED))
        .extracting(AuditRecord::getCovenantVersion)
        .containsOnly(2, 3);
    assertThat(decided).anyMatch(a -> a.getCovenantVersion() == 3);
    // Within an outbox partition, in offset order: once v3 decided, v2 never again.
    Map<Integer, List<AuditRecord>> byPartition =
        decided.stream().collect(Collectors.groupingBy(AuditRecord::getSourcePartition));
    byPartition.forEach(
        (partition, audits) -> {
          List<Integer> versions =
              audits.stream()
                  .sorted(Comparator.comparingLong(AuditRecord::getSourceOffset))
                  .map(AuditRecord::getCovenantVersion)
                  .toList();
          assertThat(versions).as("versions on partition %s", partition).isSorted();
        });
    assertThat(decided)
        .filteredOn(a -> a.getCovenantVersion() == 3)
        .allSatisfy(a -> assertThat(a.getCovenantHash()).isEqualTo(v3.contentHash()));
  }

  @Test
  @Order(3)
  void aVersionTheHubCannotTakeIsRefusedAndTheOneInForceStays() throws Exception {
    String inForce =
        active.current().covenants().stream()
            .filter(c -> c.id().equals(ID))
            .findFirst()
            .orElseThrow()
            .contentHash();
    String v4 = version2().replace("version: 2\n", "version: 4\n");
    LoadedCovenant loaded = load(v4);

    publish(v4, "4", "0".repeat(64), null); // a hash that is not the text's
    await().atMost(WAIT).until(() -> active.refusals().containsKey(ID));
    assertThat(active.refusals().get(ID).why()).contains("is not the text's hash");

    publish(v4.replace("rules:", "rulez:"), "4", loaded.contentHash(), null); // does not load
    await()
        .atMost(WAIT)
        .until(
            () ->
                active.refusals().get(ID).offset() > 0
                    && !active.refusals().get(ID).why().contains("hash"));
    publish(Files.readString(FILE), "1", load(Files.readString(FILE)).contentHash(), null); // older
    await().atMost(WAIT).until(() -> active.refusals().get(ID).why().contains("older than v3"));
    publish(
        version2().replace("version: 2\n", "version: 3\n"),
        "3",
        load(version2().replace("version: 2\n", "version: 3\n")).contentHash(),
        null);
    await()
        .atMost(WAIT)
        .until(() -> active.refusals().get(ID).why().contains("a version is immutable"));

    assertThat(active.current().covenants())
        .filteredOn(c -> c.id().equals(ID))
        .singleElement()
        .satisfies(c -> assertThat(c.contentHash()).isEqualTo(inForce));
    assertThat(health.health().getDetails()).containsKey("refused");
    CaseSignal signal = signal();
    send(signal);
    assertThat(auditToLzn(signal).getCovenantVersion())
        .as("events go on under the version in force")
        .isEqualTo(3);
  }

  @Test
  @Order(4)
  void aRevocationStopsDisclosuresToAndFromThatPartyAndIsAudited() throws Exception {
    String v5 = version2().replace("version: 2\n", "version: 5\n");
    LoadedCovenant loaded = load(v5);
    publish(v5, "5", loaded.contentHash(), null);
    await().atMost(WAIT).until(() -> active.current().covenants().contains(loaded.ref()));
    publish(v5, "5", loaded.contentHash(), "lzn");
    await()
        .atMost(WAIT)
        .until(() -> active.current().loaded().stream().anyMatch(c -> c.isRevokedBy("lzn")));
    assertThat(active.refusals()).doesNotContainKey(ID);
    assertThat(healthOf(ID)).containsEntry("revokedBy", List.of("lzn"));

    CaseSignal signal = signal();
    send(signal);
    AuditRecord toLzn = auditToLzn(signal);
    assertThat(toLzn.getDecision()).isEqualTo(AuditDecision.WITHHELD);
    assertThat(toLzn.getReason()).isEqualTo("PARTY_REVOKED");
    assertThat(toLzn.getCovenantVersion()).isEqualTo(5);
    assertThat(toLzn.getCovenantHash()).isEqualTo(loaded.contentHash());
    assertThat(kafka.committed("partner.lzn.inbox"))
        .noneMatch(r -> signal.getEventId().equals(String.valueOf(kafka.view(r).get("eventId"))));
  }
}
