package nl.covenanthub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.covenanthub.events.WriterCompatibility.Outcome;
import nl.covenanthub.events.WriterCompatibility.Problem;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * A partner's writer schema, added to the decoder when Avro resolves it into the reader schema of
 * its name, and the records written with it decoded as that reader: what the writer has beyond the
 * reader is gone.
 */
class WriterSchemaDecodingTest {
  private static final Schema READER = CaseSignal.getClassSchema();
  private static final String SECRET = "alleen voor intern gebruik: buurman is informant";

  private final SingleObjectDecoder decoder =
      new SingleObjectDecoder(
          List.of(READER, CaseStatusChange.getClassSchema(), CaseReference.getClassSchema()));

  @Test
  void aWriterWithANewOptionalFieldDecodesAsTheReaderWithoutIt() {
    Schema writer = withField(READER, optionalString("secretNote"));
    byte[] bytes = written(writer, Map.of("secretNote", SECRET));

    assertThatThrownBy(() -> decoder.decode(bytes))
        .as("not added yet")
        .isInstanceOfSatisfying(
            SingleObjectDecoder.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SingleObjectDecoder.Problem.UNKNOWN_SCHEMA));
    assertThat(decoder.addWriter(writer).outcome()).isEqualTo(Outcome.COMPATIBLE);

    GenericData.Record event = decoder.decode(bytes);
    assertThat(event.getSchema()).as("the reader's schema").isEqualTo(READER);
    assertThat(event.hasField("secretNote")).isFalse();
    assertThat(event.toString()).doesNotContain(SECRET);
    assertThat(event.get("caseReference").toString()).isEqualTo("PL0600-2026-000001");
    assertThat(((GenericRecord) event.get("subject")).get("bsn").toString()).isEqualTo("999990019");
  }

  @Test
  void aWriterWithoutAFieldTheReaderHasADefaultForReadsTheDefault() {
    Schema writer = without(READER, "narrative");
    assertThat(decoder.addWriter(writer).compatible()).isTrue();

    GenericData.Record event = decoder.decode(written(writer, Map.of()));
    assertThat(event.get("narrative")).isNull();
    assertThat(event.get("purpose").toString()).isEqualTo("zorg-en-veiligheid");
  }

  @Test
  void aWriterWithoutARequiredFieldIsRefusedByFieldAndNeverDecodes() {
    Schema writer = without(READER, "caseReference");

    WriterCompatibility.Verdict verdict = decoder.addWriter(writer);
    assertThat(verdict.outcome()).isEqualTo(Outcome.INCOMPATIBLE);
    assertThat(verdict.problems())
        .containsExactly(
            new Problem(
                "READER_FIELD_MISSING_DEFAULT_VALUE",
                "caseReference",
                "/fields/2",
                "caseReference"));
    assertThatThrownBy(() -> decoder.decode(written(writer, Map.of())))
        .isInstanceOfSatisfying(
            SingleObjectDecoder.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SingleObjectDecoder.Problem.UNKNOWN_SCHEMA));
  }

  @Test
  void aTypeChangeIsRefusedWithTheFieldAndBothTypes() {
    Schema writer = replacing(READER, "purpose", Schema.create(Schema.Type.INT));

    assertThat(decoder.check(writer).problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.kind()).isEqualTo("TYPE_MISMATCH");
              assertThat(problem.field()).isEqualTo("purpose");
              assertThat(problem.message()).contains("STRING").contains("INT");
            });
  }

  @Test
  void aNewSymbolIsReadAsTheEnumsDefaultAndRefusedWhereTheEnumHasNone() {
    Schema concern =
        SchemaBuilder.enumeration("Concern")
            .namespace("nl.covenanthub.events")
            .symbols(plus(Concern.getClassSchema().getEnumSymbols(), "ZORGMIJDING"));
    Schema riskLevel =
        SchemaBuilder.enumeration("RiskLevel")
            .namespace("nl.covenanthub.events")
            .symbols(plus(RiskLevel.getClassSchema().getEnumSymbols(), "EXTREEM"));

    assertThat(decoder.check(replacing(READER, "concerns", Schema.createArray(concern))).outcome())
        .as("Concern has a default (OVERIG)")
        .isEqualTo(Outcome.COMPATIBLE);
    assertThat(decoder.check(replacing(READER, "riskLevel", riskLevel)).problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.kind()).isEqualTo("MISSING_ENUM_SYMBOLS");
              assertThat(problem.field()).isEqualTo("riskLevel");
              assertThat(problem.message()).contains("EXTREEM");
            });
  }

  @Test
  void aNestedChangeNamesThePathInTheReader() {
    Schema subject = READER.getField("subject").schema();
    Schema address = subject.getField("address").schema().getTypes().get(1);
    Schema cityAsNumber = replacing(address, "city", Schema.create(Schema.Type.INT));
    Schema writer =
        replacing(
            READER,
            "subject",
            replacing(
                subject,
                "address",
                Schema.createUnion(Schema.create(Schema.Type.NULL), cityAsNumber)));

    assertThat(decoder.check(writer).problems())
        .singleElement()
        .satisfies(problem -> assertThat(problem.field()).isEqualTo("subject.address"));
  }

  @Test
  void anotherNameOrNoRecordIsNoEventType() {
    Schema renamed =
        Schema.createRecord(
            "CaseSignalV2", null, "nl.covenanthub.events", false, copies(READER.getFields()));
    assertThat(decoder.check(renamed).outcome()).isEqualTo(Outcome.UNKNOWN_EVENT_TYPE);
    assertThat(decoder.check(Concern.getClassSchema()).outcome()).isEqualTo(Outcome.NOT_A_RECORD);
  }

  @Test
  void theHubsOwnSchemaIsCompatibleAndAddingItChangesNothing() {
    assertThat(decoder.addWriter(READER).compatible()).isTrue();
    assertThat(SingleObjectDecoder.fingerprint(READER)).matches("[0-9a-f]{16}");
    assertThat(decoder.decode(SingleObjectEncoding.bytes(signal())).get("eventId").toString())
        .isEqualTo("4f1c2a9e-writer-test");
  }

  // --- writer schemas as a partner makes them

  static CaseSignal signal() {
    return CaseSignal.newBuilder()
        .setEventId("4f1c2a9e-writer-test")
        .setSender("politie")
        .setCaseReference("PL0600-2026-000001")
        .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z"))
        .setPurpose("zorg-en-veiligheid")
        .setSubject(
            Subject.newBuilder()
                .setBsn("999990019")
                .setName("J. de Vries")
                .setBirthDate(LocalDate.of(1971, 4, 12))
                .setAddress(null)
                .build())
        .setConcerns(List.of(Concern.VERWARD_GEDRAG))
        .setRiskLevel(RiskLevel.MIDDEN)
        .setNarrative("Buren melden geschreeuw.")
        .setContact(
            Contact.newBuilder().setName("wijkagent R. Jansen").setOrganisation("Politie").build())
        .build();
  }

  /**
   * {@link #signal()} in single-object encoding with {@code writer}: the fields it shares with the
   * reader, and {@code extra} for the others.
   */
  private static byte[] written(Schema writer, Map<String, Object> extra) {
    GenericData.Record asReader =
        new SingleObjectDecoder(List.of(READER)).decode(SingleObjectEncoding.bytes(signal()));
    GenericData.Record record = new GenericData.Record(writer);
    for (Schema.Field field : writer.getFields()) {
      record.put(
          field.name(),
          asReader.hasField(field.name()) ? asReader.get(field.name()) : extra.get(field.name()));
    }
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer)
          .encode(record)
          .array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Schema.Field optionalString(String name) {
    return new Schema.Field(
        name,
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
        null,
        Schema.Field.NULL_DEFAULT_VALUE);
  }

  private static Schema withField(Schema record, Schema.Field extra) {
    List<Schema.Field> fields = copies(record.getFields());
    fields.add(extra);
    return copy(record, fields);
  }

  private static Schema without(Schema record, String name) {
    return copy(
        record, copies(record.getFields().stream().filter(f -> !f.name().equals(name)).toList()));
  }

  private static Schema replacing(Schema record, String name, Schema type) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      fields.add(
          field.name().equals(name)
              ? new Schema.Field(name, type)
              : new Schema.Field(field, field.schema()));
    }
    return copy(record, fields);
  }

  private static Schema copy(Schema record, List<Schema.Field> fields) {
    return Schema.createRecord(
        record.getName(), record.getDoc(), record.getNamespace(), false, fields);
  }

  private static List<Schema.Field> copies(List<Schema.Field> fields) {
    List<Schema.Field> copies = new ArrayList<>();
    fields.forEach(f -> copies.add(new Schema.Field(f, f.schema())));
    return copies;
  }

  private static String[] plus(List<String> symbols, String extra) {
    List<String> all = new ArrayList<>(symbols);
    all.add(extra);
    return all.toArray(String[]::new);
  }
}
