package nl.covenanthub.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.disclosure.CovenantDecisions;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Whatever bytes a partner puts on its outbox, the hub's intake and the covenant decisions end in
 * decisions whose views encode, or in the documented refusal ({@link BadInputException}, with a
 * reason and a detail that quotes none of the partner's text); never in another exception, which
 * would cost the record its attempts before it is dead-lettered as PROCESSING_FAILED.
 *
 * <p>{@code mvn test} runs the seed corpus in {@code
 * src/test/resources/nl/covenanthub/hub/intake/OutboxIntakeFuzzTestInputs/} (an encoded event of
 * each type, from the partner whose outbox the target puts it on, and a few broken ones); {@code
 * JAZZER_FUZZ=1} fuzzes from it (docs/reliability.md).
 */
class OutboxIntakeFuzzTest {
  private static final List<String> OUTBOXES =
      List.of("lzn", "politie", "veilig-thuis", "riec").stream()
          .map(p -> "partner." + p + ".outbox")
          .toList();
  private static final EventCatalog CATALOG = EventCatalog.standard();
  private static final OutboxIntake INTAKE =
      new OutboxIntake(
          // No partner registered a writer schema: the hub's own schemas only.
          new EventDecoder(new WriterSchemas(CATALOG.avroSchemas()), () -> {}),
          // The hub's defaults. Not through Spring's Binder: in a JVM where a hub context already
          // ran (the tests share one), binding a record here fails.
          new HubProperties(
              "../../covenants",
              DataSize.ofKilobytes(256),
              "subject-key",
              3,
              3,
              3,
              "",
              Duration.ofDays(14),
              null,
              10_000,
              "",
              "",
              new HubProperties.Topics("hub.audit", "hub.audit.chain", "hub.deadletter"),
              new HubProperties.Http(50, Duration.ofSeconds(1), Duration.ofHours(24), 2),
              new HubProperties.Webhooks(
                  Map.of(),
                  List.of(Duration.ZERO),
                  Duration.ofSeconds(10),
                  false,
                  50,
                  Duration.ofSeconds(30))));
  private static final Function<IncomingEvent, DecidedEvent> DECISIONS = decisions();
  private static final Path SEEDS =
      Path.of(
          "src/test/resources/nl/covenanthub/hub/intake/OutboxIntakeFuzzTestInputs",
          "anyOutboxRecordIsDecidedOrRefusedWithAReason");

  @FuzzTest(maxDuration = "2m")
  void anyOutboxRecordIsDecidedOrRefusedWithAReason(byte[] value) {
    for (String outbox : OUTBOXES) {
      IncomingEvent in;
      try {
        in = INTAKE.accept(record(outbox, value));
      } catch (BadInputException refused) {
        assertThat(refused.reason()).isNotNull();
        refused
            .decoded()
            .ifPresent(
                decoded ->
                    assertThat(texts(decoded.event()))
                        .as("partner text in the refusal's detail")
                        .filteredOn(text -> !hubsOwnWord(text, decoded))
                        .noneMatch(text -> refused.detail().contains(text)));
        continue;
      }
      DecidedEvent decided = DECISIONS.apply(in);
      assertThat(decided.decisions()).as("decisions of an accepted event").isNotEmpty();
      for (Decision decision : decided.decisions()) {
        if (decision instanceof Decision.Disclosed disclosed) {
          encode(disclosed.view());
        }
      }
    }
  }

  /**
   * The seeds named after a partner are current events of that partner: a schema change that made
   * them unknown would leave the fuzzer starting from refusals only. Rewrite them with {@code
   * src/test/jshell/outbox-seeds.jsh} (docs/reliability.md).
   */
  @Test
  void theSeedsNamedAfterAPartnerAreAcceptedOnItsOutbox() throws IOException {
    List<Path> named;
    try (Stream<Path> files = Files.list(SEEDS)) {
      named =
          files
              .filter(f -> OUTBOXES.contains(outboxOf(f.getFileName().toString())))
              .sorted()
              .toList();
    }
    assertThat(named).hasSizeGreaterThanOrEqualTo(5);
    for (Path seed : named) {
      byte[] value = Files.readAllBytes(seed);
      IncomingEvent in = INTAKE.accept(record(outboxOf(seed.getFileName().toString()), value));
      assertThat(DECISIONS.apply(in).decisions()).as("decisions of %s", seed).isNotEmpty();
    }
  }

  /**
   * Avro allocates what a length prefix claims before reading: a record of a few hundred bytes that
   * claims a 100 MB event id is refused on its claim (Avro's limit, capped by {@link
   * EventDecoder}), not after allocating it.
   */
  @Test
  void aLengthLongerThanAnyRecordIsRefusedOnItsClaim() throws IOException {
    byte[] seed = Files.readAllBytes(SEEDS.resolve("politie-signal-zorg-en-veiligheid"));
    int eventIdLength = 10; // after the marker and the fingerprint: the event id's zig-zag length
    assertThat(seed[eventIdLength] & 0x80).as("a one-byte length in the seed").isZero();
    ByteArrayOutputStream claimed = new ByteArrayOutputStream();
    claimed.write(seed, 0, eventIdLength);
    for (long zigzag = 2L * 100_000_000; ; zigzag >>>= 7) { // Avro's variable-length long
      if (zigzag < 0x80) {
        claimed.write((int) zigzag);
        break;
      }
      claimed.write((int) (zigzag & 0x7F) | 0x80);
    }
    claimed.write(seed, eventIdLength + 1, seed.length - eventIdLength - 1);

    BadInputException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadInputException.class,
            () -> INTAKE.accept(record("partner.politie.outbox", claimed.toByteArray())));
    assertThat(refused.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(refused.detail()).contains("SystemLimitException");
  }

  private static String outboxOf(String seedName) {
    int dash = seedName.indexOf('-');
    return dash < 0 ? "" : "partner." + seedName.substring(0, dash) + ".outbox";
  }

  private static ConsumerRecord<String, byte[]> record(String outbox, byte[] value) {
    return new ConsumerRecord<>(
        outbox,
        0,
        42L,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        value.length,
        "key",
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  /** As the hub writes a view to an inbox: it must encode with its own schema. */
  private static void encode(GenericData.Record view) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    try {
      new GenericDatumWriter<GenericData.Record>(view.getSchema()).write(view, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new AssertionError("a view that does not encode", e);
    }
  }

  /**
   * A detail may name what the hub knows itself, also when the payload happens to hold the same
   * text: the partner whose outbox it is and the schema's field names.
   */
  private static boolean hubsOwnWord(String text, IncomingEvent decoded) {
    return decoded.sender().contains(text)
        || decoded.event().getSchema().getFields().stream().anyMatch(f -> f.name().contains(text))
        || FIXED_DETAILS.stream().anyMatch(detail -> detail.contains(text));
  }

  /**
   * The words of the refusals of a decoded event, which never quote what was sent: a payload's text
   * may be among them (a sender "send" and the detail's "sender").
   */
  private static final List<String> FIXED_DETAILS =
      List.of(
          "subject.bsn must be nine digits",
          "subject.bsn fails the eleven-test (elfproef)",
          "the payload's sender is not '', whose outbox it came from",
          "required field '' is empty");

  /** The strings of at least four characters in {@code record}, at any depth. */
  private static List<String> texts(Object value) {
    List<String> texts = new ArrayList<>();
    if (value instanceof CharSequence text && text.length() >= 4) {
      texts.add(text.toString());
    } else if (value instanceof IndexedRecord record) {
      for (int i = 0; i < record.getSchema().getFields().size(); i++) {
        texts.addAll(texts(record.get(i)));
      }
    } else if (value instanceof Iterable<?> items) {
      items.forEach(item -> texts.addAll(texts(item)));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            texts.addAll(texts(k));
            texts.addAll(texts(v));
          });
    }
    return texts;
  }

  private static Function<IncomingEvent, DecidedEvent> decisions() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
    byte[] key = Base64.getDecoder().decode("dGVzdC1vbmx5LXN1YmplY3Qta2V5LW5vdC1hLXNlY3JldA==");
    try (Stream<Path> files = Files.list(Path.of("../../covenants"))) {
      List<Path> covenants = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      KeyRing keys = KeyRing.of(Map.of("subject-key", key));
      CovenantSet set =
          CovenantSet.load(covenants, CATALOG, keys, clock, CovenantSet.Ended.INACTIVE);
      CovenantDecisions decisions =
          new CovenantDecisions(
              clock,
              Pseudonymiser.forRecordKeys("subject-key", keys),
              Pseudonymiser.forAuditSubject("subject-key", keys));
      return in -> decisions.decide(in, set);
    } catch (Exception e) {
      throw new IllegalStateException("the repository's covenants do not load", e);
    }
  }
}
