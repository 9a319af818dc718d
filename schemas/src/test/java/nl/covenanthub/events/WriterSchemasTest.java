package nl.covenanthub.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.events.WriterSchemas.Registration;
import nl.covenanthub.events.WriterSchemas.Taken;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Registrations as {@code hub.writer-schemas} holds them, taken per partner. */
class WriterSchemasTest {
  private static final Schema HUB = CaseSignal.getClassSchema();
  private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");

  private final WriterSchemas schemas =
      new WriterSchemas(
          List.of(HUB, CaseStatusChange.getClassSchema(), CaseReference.getClassSchema()));

  @Test
  void aRegistrationDecodesItsPartnersEventsAndNoOneElses() {
    Schema writer = withoutNarrative();
    Registration registration = registration("politie", writer);
    assertThat(schemas.take(consumed(registration.toRecord()))).isEqualTo(Taken.TAKEN);

    byte[] event = encoded(writer);
    assertThat(schemas.decoderOf("politie").decode(event).get("eventId").toString())
        .isEqualTo("4f1c2a9e-writer-test");
    assertThatThrownBy(() -> schemas.decoderOf("lzn").decode(event))
        .as("lzn registered nothing")
        .isInstanceOf(SingleObjectDecoder.Refused.class);
    assertThat(schemas.registered("politie", registration.fingerprint())).contains(registration);
    assertThat(schemas.of("lzn")).isEmpty();
    assertThat(schemas.counts()).containsEntry("politie", 1);
  }

  @Test
  void aRecordIsARegistrationOnlyAsTheHubWritesIt() {
    Registration registration = registration("politie", withoutNarrative());
    ProducerRecord<String, byte[]> written = registration.toRecord();
    assertThat(Registration.of(consumed(written))).contains(registration);

    assertThat(schemas.take(consumed(rekeyed(written, "politie/0000000000000000"))))
        .as("a key that is not its schema's fingerprint")
        .isEqualTo(Taken.NOT_A_REGISTRATION);
    assertThat(schemas.take(consumed(rekeyed(written, "lzn/" + registration.fingerprint()))))
        .as("a key whose partner is not the header's")
        .isEqualTo(Taken.NOT_A_REGISTRATION);
    assertThat(schemas.take(consumed(rekeyed(written, "Politie Rotterdam/x"))))
        .isEqualTo(Taken.NOT_A_REGISTRATION);
    assertThat(
            schemas.take(
                new ConsumerRecord<>(
                    WriterSchemas.TOPIC,
                    0,
                    0,
                    "politie/" + registration.fingerprint(),
                    "{}".getBytes(StandardCharsets.UTF_8))))
        .as("no headers")
        .isEqualTo(Taken.NOT_A_REGISTRATION);
    assertThat(schemas.counts()).isEmpty();
  }

  @Test
  void aRegistrationThatNoLongerResolvesIsRefusedAndShown() {
    List<Schema.Field> fields = new ArrayList<>();
    HUB.getFields().stream()
        .filter(f -> !f.name().equals("caseReference"))
        .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    Schema incompatible =
        Schema.createRecord(HUB.getName(), null, HUB.getNamespace(), false, fields);

    assertThat(schemas.take(consumed(registration("riec", incompatible).toRecord())))
        .isEqualTo(Taken.REFUSED);
    assertThat(schemas.refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.partner()).isEqualTo("riec"));
    assertThat(schemas.of("riec")).isEmpty();
  }

  private static Schema withoutNarrative() {
    List<Schema.Field> fields = new ArrayList<>();
    HUB.getFields().stream()
        .filter(f -> !f.name().equals("narrative"))
        .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    return Schema.createRecord(HUB.getName(), null, HUB.getNamespace(), false, fields);
  }

  private static Registration registration(String partner, Schema writer) {
    return new Registration(
        partner,
        SingleObjectDecoder.fingerprint(writer),
        writer.getFullName(),
        AT,
        SchemaNormalization.toParsingForm(writer));
  }

  /** {@link WriterSchemaDecodingTest#signal()} written with {@code writer}. */
  private static byte[] encoded(Schema writer) {
    GenericData.Record asHub =
        new SingleObjectDecoder(List.of(HUB))
            .decode(SingleObjectEncoding.bytes(WriterSchemaDecodingTest.signal()));
    GenericData.Record record = new GenericData.Record(writer);
    writer.getFields().forEach(f -> record.put(f.name(), asHub.get(f.name())));
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer)
          .encode(record)
          .array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> sent) {
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>(sent.topic(), 0, 0, sent.key(), sent.value());
    for (Header header : sent.headers()) {
      record.headers().add(header);
    }
    return record;
  }

  private static ProducerRecord<String, byte[]> rekeyed(
      ProducerRecord<String, byte[]> record, String key) {
    return new ProducerRecord<>(
        record.topic(), record.partition(), key, record.value(), record.headers());
  }
}
