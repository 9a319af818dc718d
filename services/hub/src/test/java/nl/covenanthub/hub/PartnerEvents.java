package nl.covenanthub.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.ErasureScope;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;

/** Events as a partner system writes them: generated classes, Avro single-object encoding. */
final class PartnerEvents {
  /**
   * How many audit records a police signal under aanpak-ondermijning gets: one per other party of
   * that covenant (lzn and riec, to whom rules disclose it, and odr, from whom it is withheld: no
   * rule passes the police's signals to the Omgevingsdienst).
   */
  static final int UNDERMINING_RECIPIENTS = 3;

  static final String BSN = "999990019";

  private PartnerEvents() {}

  static CaseSignal.Builder signal(String sender, String purpose, Concern... concerns) {
    return CaseSignal.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(sender)
        .setCaseReference("CASE-" + UUID.randomUUID())
        .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z"))
        .setPurpose(purpose)
        .setSubject(
            Subject.newBuilder()
                .setBsn(BSN)
                .setName("J. de Vries")
                .setBirthDate(LocalDate.of(1971, 4, 12))
                .setAddress(
                    Address.newBuilder()
                        .setStreet("Dorpsstraat")
                        .setHouseNumber("14")
                        .setPostcode("6658 AB")
                        .setCity("Beneden-Leeuwen")
                        .build())
                .build())
        .setConcerns(List.of(concerns))
        .setRiskLevel(RiskLevel.MIDDEN)
        .setNarrative("Buren melden geschreeuw; betrokkene hoort stemmen.")
        .setContact(
            Contact.newBuilder().setName("wijkagent R. Jansen").setOrganisation("Politie").build());
  }

  /** A sender's request to erase one case ({@code CASE}) or its cases about a subject. */
  static ErasureRequest.Builder erasure(String sender, String caseReference, ErasureScope scope) {
    return ErasureRequest.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(sender)
        .setCaseReference(caseReference)
        .setPurpose("huiselijk-geweld")
        .setOccurredAt(Instant.parse("2026-12-03T08:00:00Z"))
        .setScope(scope);
  }

  /** {@code partner} confirms it erased what the notice named. */
  static WithdrawalAcknowledgement acknowledgement(String partner, String noticeId) {
    return WithdrawalAcknowledgement.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(partner)
        .setCaseReference("VT-2026-0815")
        .setPurpose("huiselijk-geweld")
        .setOccurredAt(Instant.parse("2026-12-02T10:00:00Z"))
        .setNoticeId(noticeId)
        .build();
  }

  static byte[] bytes(SpecificRecordBase event) {
    return SingleObjectEncoding.bytes(event);
  }

  /**
   * {@code signal} as a partner writes it with its own writer schema of CaseSignal, in
   * single-object encoding: the fields the writer schema shares with the hub's, and {@code extra}
   * for its others.
   */
  static byte[] bytes(Schema writer, CaseSignal signal, Map<String, Object> extra) {
    GenericData.Record asHub =
        new SingleObjectDecoder(List.of(CaseSignal.getClassSchema())).decode(bytes(signal));
    GenericData.Record written = new GenericData.Record(writer);
    for (Schema.Field field : writer.getFields()) {
      written.put(
          field.name(),
          asHub.hasField(field.name()) ? asHub.get(field.name()) : extra.get(field.name()));
    }
    try {
      return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer)
          .encode(written)
          .array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CaseSignal as the hub has it, with {@code extra} added at the end. */
  static Schema caseSignalWith(Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    CaseSignal.getClassSchema()
        .getFields()
        .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(extra);
    return caseSignal(fields);
  }

  /** CaseSignal as the hub has it, without the field {@code name}. */
  static Schema caseSignalWithout(String name) {
    List<Schema.Field> fields = new ArrayList<>();
    CaseSignal.getClassSchema().getFields().stream()
        .filter(f -> !f.name().equals(name))
        .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    return caseSignal(fields);
  }

  /** CaseSignal as the hub has it, with the field {@code name} of another type. */
  static Schema caseSignalRetyping(String name, Schema type) {
    List<Schema.Field> fields = new ArrayList<>();
    CaseSignal.getClassSchema()
        .getFields()
        .forEach(
            f ->
                fields.add(
                    f.name().equals(name)
                        ? new Schema.Field(name, type)
                        : new Schema.Field(f, f.schema())));
    return caseSignal(fields);
  }

  /** An optional string field: a union with null, null by default. */
  static Schema.Field optionalString(String name) {
    return new Schema.Field(
        name,
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
        null,
        Schema.Field.NULL_DEFAULT_VALUE);
  }

  private static Schema caseSignal(List<Schema.Field> fields) {
    Schema hub = CaseSignal.getClassSchema();
    return Schema.createRecord(hub.getName(), hub.getDoc(), hub.getNamespace(), false, fields);
  }
}
