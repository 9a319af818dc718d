package nl.covenanthub.console.covenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.TestCovenantText;
import nl.covenanthub.console.covenants.CovenantAdministration.InvalidProposal;
import nl.covenanthub.console.covenants.CovenantAdministration.VersionView;
import nl.covenanthub.console.covenants.VersionLifecycle.Action;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import nl.covenanthub.console.covenants.VersionLifecycle.State;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.ImpactPreview;
import nl.covenanthub.covenant.PlanKey;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import nl.covenanthub.events.WriterSchemas;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;

/**
 * Covenant administration against the real database and broker: what may be proposed, approved and
 * accepted by whom, what reaches hub.covenants, and that the trail keeps everything. Each test uses
 * a covenant of its own (its own id and purpose), since versions are never removed.
 */
class CovenantAdministrationTest extends ConsoleTestBase {
  private static final Actor ADMIN = new Actor("beheerder", true, false, Set.of());
  private static final Actor APPROVER = new Actor("goedkeurder", false, true, Set.of());
  private static final Actor POLITIE = new Actor("jurist-politie", false, false, Set.of("politie"));
  private static final Actor LZN = new Actor("jurist-lzn", false, false, Set.of("lzn"));

  @Autowired CovenantAdministration covenants;
  @Autowired CovenantStore store;

  @Value("${spring.embedded.kafka.brokers}")
  String brokers;

  private static String covenant(String id, int version, String... fields) {
    return TestCovenantText.of(id, version, fields);
  }

  private static String newId() {
    return "test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Proposed, approved and accepted by politie: active. */
  private VersionView activate(String id, int version, String... fields) {
    return activate(id, covenant(id, version, fields));
  }

  private VersionView activate(String id, String text) {
    VersionView v = covenants.propose(id + ".yaml", text, Optional.empty(), ADMIN);
    covenants.approve(v.stored().versionId(), APPROVER, "");
    if (!v.stored().requiredParties().isEmpty()) {
      covenants.accept(v.stored().versionId(), POLITIE, "politie", "");
    }
    VersionView active = covenants.version(v.stored().versionId()).orElseThrow();
    assertThat(active.state()).isEqualTo(State.ACTIVE);
    return active;
  }

  private List<ConsumerRecord<String, String>> published(String id) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            brokers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(CovenantPublisher.TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      return records.stream().filter(r -> id.equals(r.key())).toList();
    }
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void theCovenantDirectoryBootstrapsTheActiveVersions() {
    assertThat(covenants.active())
        .containsKeys(
            "zorg-en-veiligheid-west-maas-en-waal", "aanpak-ondermijning-west-maas-en-waal");
    VersionView imported = covenants.active().get("zorg-en-veiligheid-west-maas-en-waal");
    assertThat(imported.lifecycle().proposer()).isEqualTo("git");
    assertThat(imported.stored().yaml())
        .as("byte for byte the file")
        .isEqualTo(readRepositoryFile("covenants/zorg-en-veiligheid.yaml"));
  }

  @Test
  void theProposerCannotApproveTheirOwnVersion() {
    String id = newId();
    Actor adminWhoApproves = new Actor("beheerder", true, true, Set.of());
    VersionView v =
        covenants.propose(id + ".yaml", covenant(id, 1, "caseReference"), Optional.empty(), ADMIN);
    assertThatThrownBy(() -> covenants.approve(v.stored().versionId(), adminWhoApproves, ""))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("a second person must");
    assertThat(covenants.version(v.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.PROPOSED);
    assertThat(store.version(v.stored().versionId()).orElseThrow().lifecycleEvents())
        .extracting(VersionLifecycle.Event::action)
        .containsExactly(Action.PROPOSED);
  }

  @Test
  void anInvalidProposalIsRefusedWithItsLinesAndAProposalThatBecameInvalidCannotBeApproved() {
    String id = newId();
    String broken =
        covenant(id, 1, "caseReference").replace("until: 2028-12-31", "until: 2028-13-31");
    assertThatThrownBy(() -> covenants.propose(id + ".yaml", broken, Optional.empty(), ADMIN))
        .isInstanceOfSatisfying(
            InvalidProposal.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p.line()).isEqualTo(6)));
    assertThat(store.versionsOf(id)).as("nothing stored").isEmpty();

    // Proposed while valid; then another covenant with the same purpose becomes active.
    VersionView first =
        covenants.propose(id + ".yaml", covenant(id, 1, "caseReference"), Optional.empty(), ADMIN);
    String rival = newId();
    VersionView other =
        covenants.propose(
            rival + ".yaml",
            covenant(rival, 1, "caseReference")
                .replace("purpose: " + rival, "purpose: " + id)
                .replace(
                    "- id: " + rival + "\n    description", "- id: " + id + "\n    description"),
            Optional.empty(),
            ADMIN);
    covenants.approve(other.stored().versionId(), APPROVER, "");
    covenants.accept(other.stored().versionId(), POLITIE, "politie", "");
    assertThat(covenants.version(other.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.ACTIVE);
    assertThatThrownBy(() -> covenants.approve(first.stored().versionId(), APPROVER, ""))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("not valid");
  }

  @Test
  void aVersionThatWidensADisclosureWaitsForThatPartyThenGoesToTheHub() throws Exception {
    String id = newId();
    VersionView v1 = activate(id, 1, "caseReference");
    VersionView v2 =
        covenants.propose(
            id + ".yaml",
            covenant(id, 2, "caseReference", "subject.name"),
            Optional.empty(),
            ADMIN);
    assertThat(v2.stored().requiredParties())
        .as("politie discloses more: the name")
        .containsExactly("politie");
    covenants.approve(v2.stored().versionId(), APPROVER, "looked at the preview");
    assertThat(covenants.version(v2.stored().versionId()).orElseThrow().state())
        .as("approved, but politie has not accepted")
        .isEqualTo(State.PROPOSED);
    assertThat(published(id)).as("only v1 is published").hasSize(1);

    assertThatThrownBy(() -> covenants.accept(v2.stored().versionId(), LZN, "politie", ""))
        .hasMessageContaining("does not speak for 'politie'");
    covenants.accept(v2.stored().versionId(), POLITIE, "politie", "");
    assertThat(covenants.version(v2.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.ACTIVE);
    assertThat(covenants.version(v1.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.SUPERSEDED);

    List<ConsumerRecord<String, String>> records = published(id);
    assertThat(records).hasSize(2);
    ConsumerRecord<String, String> last = records.get(1);
    assertThat(last.value()).isEqualTo(v2.stored().yaml());
    assertThat(header(last, "covenant-version")).isEqualTo("2");
    assertThat(header(last, "content-hash"))
        .isEqualTo(v2.stored().contentHash())
        .isEqualTo(
            CovenantLoader.load("v2.yaml", last.value().getBytes(StandardCharsets.UTF_8))
                .contentHash());
    assertThat(header(last, "revoked-by")).isEmpty();
  }

  /** A police signal as the police's system writes it to its outbox. */
  private static byte[] policeSignal(String sender, String purpose, String name) {
    return SingleObjectEncoding.bytes(
        CaseSignal.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setSender(sender)
            .setCaseReference("CASE-" + UUID.randomUUID())
            .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z"))
            .setPurpose(purpose)
            .setSubject(Subject.newBuilder().setBsn("999 990.019").setName(name).build())
            .setConcerns(List.of(Concern.WOONOVERLAST))
            .setRiskLevel(RiskLevel.MIDDEN)
            .setContact(
                Contact.newBuilder().setName("R. Jansen").setOrganisation("Politie").build())
            .build());
  }

  @Test
  void thePreviewReplaysThePartnersRecentEventsAndShowsNoValue() {
    String id = newId();
    activate(id, 1, "caseReference");
    String outbox = "partner.politie.outbox";
    publishTo(outbox, "a", policeSignal("politie", id, "Geheimnaam Een"));
    publishTo(outbox, "b", policeSignal("politie", id, "Geheimnaam Twee"));
    // What the hub would refuse is left out: bytes that are no event, and a spoofed sender.
    publishTo(outbox, "c", "not an event".getBytes(StandardCharsets.UTF_8));
    publishTo(outbox, "d", policeSignal("riec", id, "Geheimnaam Drie"));
    VersionView v2 =
        covenants.propose(
            id + ".yaml",
            covenant(id, 2, "caseReference", "subject.name"),
            Optional.empty(),
            ADMIN);

    CovenantAdministration.Preview preview = covenants.preview(v2.stored().versionId());

    assertThat(preview.recent().unreadable()).isNull();
    assertThat(preview.recent().leftOut())
        .as("garbage and a spoofed sender")
        .isGreaterThanOrEqualTo(2);
    PlanKey pair = new PlanKey("politie", "lzn", id, "CaseSignal");
    ImpactPreview.PairReplay replay =
        preview.impact().replay().stream()
            .filter(r -> r.key().equals(pair))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no replay of " + pair));
    assertThat(replay.changed())
        .as("both of this purpose's signals gain the name")
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.gained()).containsExactly("subject.name"));
    assertThat(replay.changed())
        .extracting(ImpactPreview.ChangedEvent::sample)
        .allSatisfy(label -> assertThat(label).startsWith(outbox + " "));
    assertThat(preview.details())
        .contains("subject.name")
        .doesNotContain("Geheimnaam", "999990019", "999 990.019");
  }

  /**
   * The police registered a writer schema of its own with the hub: the preview decodes its events
   * as the hub does, instead of leaving them out as refused.
   */
  @Test
  void thePreviewReplaysEventsInAWriterSchemaTheSenderRegistered() throws Exception {
    String id = newId();
    activate(id, 1, "caseReference");
    Schema hub = CaseSignal.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    hub.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(
        new Schema.Field(
            "teamCode",
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            null,
            Schema.Field.NULL_DEFAULT_VALUE));
    Schema writer = Schema.createRecord(hub.getName(), null, hub.getNamespace(), false, fields);
    publish(
        new WriterSchemas.Registration(
                "politie",
                SingleObjectDecoder.fingerprint(writer),
                writer.getFullName(),
                Instant.parse("2026-12-01T09:00:00Z"),
                SchemaNormalization.toParsingForm(writer))
            .toRecord());
    GenericData.Record asHub =
        new SingleObjectDecoder(List.of(hub))
            .decode(policeSignal("politie", id, "Geheimnaam Vier"));
    GenericData.Record written = new GenericData.Record(writer);
    hub.getFields().forEach(f -> written.put(f.name(), asHub.get(f.name())));
    written.put("teamCode", "wijkteam Noord");
    publishTo(
        "partner.politie.outbox",
        "w",
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(written).array());
    VersionView v2 =
        covenants.propose(
            id + ".yaml",
            covenant(id, 2, "caseReference", "subject.name"),
            Optional.empty(),
            ADMIN);

    CovenantAdministration.Preview preview = covenants.preview(v2.stored().versionId());

    PlanKey pair = new PlanKey("politie", "lzn", id, "CaseSignal");
    assertThat(preview.impact().replay())
        .filteredOn(r -> r.key().equals(pair))
        .singleElement()
        .satisfies(
            replay ->
                assertThat(replay.changed())
                    .as("the event in the registered schema is replayed")
                    .singleElement()
                    .satisfies(e -> assertThat(e.gained()).containsExactly("subject.name")));
    assertThat(preview.details()).doesNotContain("Geheimnaam", "wijkteam", "teamCode");
  }

  @Test
  void whoMustAcceptFollowsFromTheRulesEvenWhenNoEventShowsIt() {
    String id = newId();
    activate(id, onRiskLevel(covenant(id, 1, "caseReference"), "HOOG"));

    VersionView v2 =
        covenants.propose(
            id + ".yaml",
            onRiskLevel(covenant(id, 2, "caseReference"), "LAAG"),
            Optional.empty(),
            ADMIN);

    assertThat(v2.stored().requiredParties())
        .as("a condition neither wider nor narrower may disclose more: its sender decides")
        .containsExactly("politie");
  }

  /** The text with the rule's condition: the signal's risk level is {@code level}. */
  private static String onRiskLevel(String yaml, String level) {
    String types = "    eventTypes: [CaseSignal]\n";
    assertThat(yaml).contains(types);
    return yaml.replace(types, types + "    when:\n      riskLevel: {in: [" + level + "]}\n");
  }

  @Test
  void aPartyRevokesItsParticipationAndTheHubIsToldAtOnce() {
    String id = newId();
    VersionView active = activate(id, 1, "caseReference");
    assertThatThrownBy(() -> covenants.revoke(active.stored().versionId(), ADMIN, "politie", ""))
        .isInstanceOf(Refused.class);
    covenants.revoke(active.stored().versionId(), LZN, "lzn", "court ruling");
    List<ConsumerRecord<String, String>> records = published(id);
    assertThat(header(records.get(records.size() - 1), "revoked-by")).isEqualTo("lzn");
    VersionView after = covenants.version(active.stored().versionId()).orElseThrow();
    assertThat(after.lifecycle().revokedBy()).containsExactly("lzn");
    assertThat(after.state())
        .as("of its two parties only politie takes part: nothing can pass")
        .isEqualTo(State.REVOKED);
    assertThat(after.stored().events())
        .last()
        .satisfies(
            e -> {
              assertThat(e.event().action()).isEqualTo(Action.REVOKED);
              assertThat(e.event().actor()).isEqualTo("jurist-lzn");
              assertThat(e.event().note()).isEqualTo("court ruling");
            });
  }

  @Test
  void anActiveVersionWhoseValidityEndedIsExpiredAndStillTheOneANewVersionReplaces() {
    String id = newId();
    VersionView v1 = activate(id, 1, "caseReference");
    clock.set(Instant.parse("2029-01-01T12:00:00Z")); // the test covenant ends on 2028-12-31
    assertThat(covenants.version(v1.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.EXPIRED);
    assertThat(covenants.active()).containsKey(id);
    assertThatThrownBy(
            () ->
                covenants.propose(
                    id + ".yaml", covenant(id, 2, "caseReference"), Optional.empty(), ADMIN))
        .as("a version whose own period has ended")
        .isInstanceOfSatisfying(
            InvalidProposal.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.message()).contains("validity has ended")));

    VersionView v2 =
        activate(id, covenant(id, 2, "caseReference").replace("2028-12-31", "2030-12-31"));
    assertThat(v2.state()).isEqualTo(State.ACTIVE);
    assertThat(covenants.version(v1.stored().versionId()).orElseThrow().state())
        .isEqualTo(State.SUPERSEDED);
  }

  @Test
  void theTrailCannotBeChangedAndARewriteBehindTheTriggersIsDetected() {
    String id = newId();
    VersionView active = activate(id, 1, "caseReference");
    CovenantStore.TrailCheck check = covenants.verifyTrail();
    assertThat(check.intact()).isTrue();
    assertThat(check.anchorsUnread()).isNull();
    long proposal = active.stored().events().get(0).seq();
    long activation = active.stored().events().get(active.stored().events().size() - 1).seq();
    assertThat(check.anchoredUpTo())
        .as("published on activation with the trail's head just before it")
        .isEqualTo(activation - 1);
    assertThatThrownBy(
            () ->
                db.sql("UPDATE covenant_event SET note = 'x' WHERE seq = ?")
                    .param(activation)
                    .update())
        .isInstanceOf(DataAccessException.class)
        .hasMessageContaining("append-only");
    assertThatThrownBy(() -> db.sql("DELETE FROM covenant_version").update())
        .hasMessageContaining("append-only");

    // A database administrator disables the triggers and edits an event: the chain breaks there.
    List<CovenantStore.TrailEvent> before = store.trail();
    db.sql("ALTER TABLE covenant_event DISABLE TRIGGER USER").update();
    try {
      db.sql("UPDATE covenant_event SET actor = 'someone-else' WHERE seq = ?")
          .param(activation)
          .update();
      assertThat(covenants.verifyTrail().brokenAt()).contains(activation);
      restore(before);

      // A better informed one also re-hashes everything after the edit: the trail holds in itself,
      // but no longer matches the head published on hub.covenants.
      rewriteAndRehash(proposal, "someone-else");
      assertThat(store.verifyTrail(List.of(), null).intact())
          .as("in itself, the rewritten trail holds")
          .isTrue();
      assertThat(covenants.verifyTrail().brokenAt())
          .as("but not against the anchor published with the version")
          .contains(activation - 1);
      restore(before);
    } finally {
      db.sql("ALTER TABLE covenant_event ENABLE TRIGGER USER").update();
    }
    assertThat(covenants.verifyTrail().intact()).as("restored").isTrue();
  }

  /** The proposer of the event at {@code seq} rewritten, and every hash from there recomputed. */
  private void rewriteAndRehash(long seq, String actor) {
    String previous = null;
    for (CovenantStore.TrailEvent e : store.trail()) {
      if (e.seq() < seq) {
        previous = e.hash();
        continue;
      }
      VersionLifecycle.Event event =
          e.seq() == seq
              ? new VersionLifecycle.Event(
                  e.event().action(), actor, e.event().party(), e.event().at(), e.event().note())
              : e.event();
      String hash = CovenantStore.hash(e.seq(), e.versionId(), event, previous);
      db.sql("UPDATE covenant_event SET actor = ?, previous_hash = ?, hash = ? WHERE seq = ?")
          .params(event.actor(), previous, hash, e.seq())
          .update();
      previous = hash;
    }
  }

  /** The trail's rows as they were (the triggers disabled). */
  private void restore(List<CovenantStore.TrailEvent> rows) {
    for (CovenantStore.TrailEvent e : rows) {
      db.sql("UPDATE covenant_event SET actor = ?, previous_hash = ?, hash = ? WHERE seq = ?")
          .params(e.event().actor(), e.previousHash(), e.hash(), e.seq())
          .update();
    }
  }

  @Test
  void theExportIsTheProposedTextByteForByte() {
    String id = newId();
    String text =
        "# a comment the hash ignores but the export keeps\n" + covenant(id, 1, "caseReference");
    VersionView v = covenants.propose(id + ".yaml", text, Optional.empty(), ADMIN);
    assertThat(store.version(v.stored().versionId()).orElseThrow().yaml()).isEqualTo(text);
    assertThat(v.stored().contentHash())
        .as("the comment is layout, not content")
        .isEqualTo(covenants.validate("x.yaml", covenant(id, 1, "caseReference")).contentHash());
  }

  private static String readRepositoryFile(String path) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("../..", path));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
