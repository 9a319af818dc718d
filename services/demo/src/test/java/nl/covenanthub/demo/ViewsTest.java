package nl.covenanthub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ViewsTest {
  private static final Schema VIEW =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "CaseSignalView", "fields": [
        {"name": "eventId", "type": ["null", "string"]},
        {"name": "caseReference", "type": ["null", "string"]},
        {"name": "subject", "type": ["null", {"type": "record", "name": "SubjectView", "fields": [
          {"name": "bsn", "type": ["null", "string"]},
          {"name": "name", "type": ["null", "string"]},
          {"name": "birthDate", "type": ["null", {"type": "int", "logicalType": "date"}]},
          {"name": "address", "type": ["null", {"type": "record", "name": "AddressView", "fields": [
            {"name": "street", "type": ["null", "string"]}, {"name": "houseNumber", "type": ["null", "string"]},
            {"name": "postcode", "type": ["null", "string"]}, {"name": "city", "type": ["null", "string"]}]}]}]}]},
        {"name": "concerns", "type": ["null", {"type": "array", "items": {"type": "enum", "name": "Concern", "symbols": ["VERWARD_GEDRAG", "WOONOVERLAST"]}}]},
        {"name": "narrative", "type": ["null", "string"]},
        {"name": "company", "type": ["null", {"type": "record", "name": "CompanyView", "fields": [
          {"name": "address", "type": ["null", "AddressView"]}]}]},
        {"name": "contact", "type": ["null", {"type": "record", "name": "ContactView", "fields": [
          {"name": "name", "type": ["null", "string"]}, {"name": "organisation", "type": ["null", "string"]},
          {"name": "phone", "type": ["null", "string"]}, {"name": "email", "type": ["null", "string"]}]}]}
      ]}""");

  @Test
  void showsWhatPassedInOneLine() {
    Schema subjectSchema = VIEW.getField("subject").schema().getTypes().get(1);
    Schema addressSchema = subjectSchema.getField("address").schema().getTypes().get(1);
    GenericRecord address = new GenericData.Record(addressSchema);
    address.put("street", "Dorpsstraat");
    address.put("houseNumber", "14");
    address.put("postcode", "6658 AB");
    address.put("city", "Beneden-Leeuwen");
    GenericRecord subject = new GenericData.Record(subjectSchema);
    subject.put("bsn", "999990019");
    subject.put("name", "J. de Vries");
    subject.put("birthDate", (int) LocalDate.of(1971, 4, 12).toEpochDay());
    subject.put("address", address);
    GenericRecord areaOnly = new GenericData.Record(addressSchema);
    areaOnly.put("postcode", "6658");
    GenericRecord company =
        new GenericData.Record(VIEW.getField("company").schema().getTypes().get(1));
    company.put("address", areaOnly);
    GenericRecord contact =
        new GenericData.Record(VIEW.getField("contact").schema().getTypes().get(1));
    contact.put("name", "wijkagent R. Jansen");
    contact.put("organisation", "Politie");
    contact.put("phone", "0900-8844");
    Schema concern = VIEW.getField("concerns").schema().getTypes().get(1).getElementType();
    GenericRecord view = new GenericData.Record(VIEW);
    view.put("eventId", "e-1");
    view.put("caseReference", "PL0600-2026-118731");
    view.put("subject", subject);
    view.put(
        "concerns",
        List.of(
            new GenericData.EnumSymbol(concern, "VERWARD_GEDRAG"),
            new GenericData.EnumSymbol(concern, "WOONOVERLAST")));
    view.put("narrative", "x".repeat(100));
    view.put("company", company);
    view.put("contact", contact);

    assertThat(Views.compact(view))
        .isEqualTo(
            "caseReference=PL0600-2026-118731, subject.bsn=999990019, "
                + "subject.name=J. de Vries, subject.birthDate=1971-04-12, subject.address=Dorpsstraat 14, 6658 AB Beneden-Leeuwen, "
                + "concerns=[VERWARD_GEDRAG, WOONOVERLAST], narrative="
                + "x".repeat(59)
                + "…, company.address.postcode=6658, "
                + "contact=wijkagent R. Jansen (Politie, 0900-8844)");
  }

  @Test
  void aPseudonymisedBsnIsShortenedAndNamed() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
        {"type": "record", "name": "V", "fields": [{"name": "subject", "type": {"type": "record", "name": "S", "fields": [
          {"name": "bsn", "type": ["null", "string"]}]}}]}""");
    GenericRecord subject = new GenericData.Record(schema.getField("subject").schema());
    subject.put("bsn", "ez_HOcG37xFBbZ0TUP4hl0VHMKc7YJA65Be_Zkhsgeg");
    GenericRecord view = new GenericData.Record(schema);
    view.put("subject", subject);

    assertThat(Views.compact(view)).isEqualTo("subject.bsn=ez_HOcG37x… (pseudonym)");
  }
}
