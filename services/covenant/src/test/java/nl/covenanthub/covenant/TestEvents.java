package nl.covenanthub.covenant;

import java.time.LocalDate;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/** Realistic events, built as generic records the way the hub decodes them. */
final class TestEvents {
  static final EventCatalog CATALOG = EventCatalog.standard();
  static final String BSN = "999990019";

  private TestEvents() {}

  static Schema schema(String type) {
    return CATALOG.eventType(type).orElseThrow().avro();
  }

  static GenericData.Record caseSignal(
      String sender, String purpose, List<String> concerns, String riskLevel) {
    Schema schema = schema("CaseSignal");
    GenericData.Record signal = new GenericData.Record(schema);
    signal.put("eventId", "evt-1");
    signal.put("sender", sender);
    signal.put("caseReference", "PL0600-2026-118734");
    signal.put("occurredAt", 1_764_369_660_000L);
    signal.put("purpose", purpose);
    signal.put("subject", subject(schema.getField("subject").schema()));
    Schema concernsSchema = schema.getField("concerns").schema();
    signal.put(
        "concerns",
        new GenericData.Array<>(
            concernsSchema,
            concerns.stream()
                .map(c -> new GenericData.EnumSymbol(concernsSchema.getElementType(), c))
                .toList()));
    signal.put(
        "riskLevel", new GenericData.EnumSymbol(schema.getField("riskLevel").schema(), riskLevel));
    signal.put("narrative", "Buren melden geschreeuw; betrokkene hoort stemmen.");
    Schema company = nonNull(schema.getField("company").schema());
    GenericData.Record firm = new GenericData.Record(company);
    firm.put("kvkNumber", "12345678");
    firm.put("name", "Bakker Opslag B.V.");
    signal.put("company", firm);
    signal.put("contact", contact(schema.getField("contact").schema()));
    return signal;
  }

  static GenericData.Record caseReference(String sender, String purpose) {
    Schema schema = schema("CaseReference");
    GenericData.Record reference = new GenericData.Record(schema);
    reference.put("eventId", "evt-2");
    reference.put("sender", sender);
    reference.put("caseReference", "LZN-2026-0042");
    reference.put("occurredAt", 1_764_369_660_000L);
    reference.put("purpose", purpose);
    reference.put("subject", subject(schema.getField("subject").schema()));
    reference.put("contact", contact(schema.getField("contact").schema()));
    return reference;
  }

  private static GenericData.Record subject(Schema schema) {
    GenericData.Record subject = new GenericData.Record(schema);
    subject.put("bsn", BSN);
    subject.put("name", "J. de Vries");
    subject.put("birthDate", (int) LocalDate.of(1971, 4, 12).toEpochDay());
    GenericData.Record address =
        new GenericData.Record(nonNull(schema.getField("address").schema()));
    address.put("street", "Dorpsstraat");
    address.put("houseNumber", "14");
    address.put("postcode", "6658 AB");
    address.put("city", "Beneden-Leeuwen");
    subject.put("address", address);
    return subject;
  }

  private static GenericData.Record contact(Schema schema) {
    GenericData.Record contact = new GenericData.Record(schema);
    contact.put("name", "wijkagent R. Jansen");
    contact.put("organisation", "Politie basisteam Tweestromenland");
    contact.put("phone", "0900-8844");
    return contact;
  }

  static Schema nonNull(Schema union) {
    return union.getTypes().stream()
        .filter(t -> t.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }
}
