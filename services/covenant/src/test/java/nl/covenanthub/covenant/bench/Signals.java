package nl.covenanthub.covenant.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import nl.covenanthub.events.CaseSignal;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Realistic police signals for the benchmarks, as the hub would hold them after decoding: generic
 * Avro records of the {@link CaseSignal} schema with every field a real signal has filled in.
 * Deterministic, so that the decision benchmark and the copy baseline work on equal records.
 */
final class Signals {
  static final Schema SCHEMA = CaseSignal.getClassSchema();

  private static final String NARRATIVE_ZORG =
      "Melding van buren om 22:40 over geschreeuw en bonken in de woning. Ter plaatse trof de eenheid betrokkene"
          + " verward en angstig aan; hij gaf aan dat hij al weken niet slaapt en stemmen hoort die hem opdragen"
          + " de woning te barricaderen. Geen strafbare feiten geconstateerd. Betrokkene is bekend met eerdere"
          + " overlastmeldingen in de straat. Hij accepteert geen hulp van de huisarts; de buren maken zich zorgen.";

  private static final String NARRATIVE_ONDERMIJNING =
      "Na een melding van stankoverlast en een afwijkend stroomverbruik is op het adres een hennepkwekerij"
          + " aangetroffen met ongeveer 600 planten verdeeld over drie ruimtes. De elektriciteit werd illegaal"
          + " afgetapt voor de meter. Betrokkene is huurder van het pand en verklaarde niets van de kwekerij te"
          + " weten. Het bedrijfspand staat op naam van de genoemde onderneming; er zijn aanwijzingen voor meer"
          + " locaties in de gemeente.";

  private Signals() {}

  /**
   * A police signal about a confused resident causing housing nuisance, for purpose
   * zorg-en-veiligheid.
   */
  static GenericData.Record zorgEnVeiligheid() {
    return signal(
        "zorg-en-veiligheid",
        List.of("VERWARD_GEDRAG", "WOONOVERLAST"),
        "HOOG",
        NARRATIVE_ZORG,
        false);
  }

  /**
   * A police signal about a cannabis farm in a company's premises, for purpose aanpak-ondermijning.
   */
  static GenericData.Record aanpakOndermijning() {
    return signal(
        "aanpak-ondermijning",
        List.of("HENNEPTEELT", "ONDERMIJNING"),
        "MIDDEN",
        NARRATIVE_ONDERMIJNING,
        true);
  }

  static GenericData.Record forPurpose(String purpose) {
    return switch (purpose) {
      case "zorg-en-veiligheid" -> zorgEnVeiligheid();
      case "aanpak-ondermijning" -> aanpakOndermijning();
      default -> throw new IllegalArgumentException("no benchmark signal for purpose " + purpose);
    };
  }

  private static GenericData.Record signal(
      String purpose, List<String> concerns, String risk, String narrative, boolean withCompany) {
    Schema subjectSchema = SCHEMA.getField("subject").schema();
    Schema addressSchema = nonNull(subjectSchema.getField("address").schema());
    Schema concernsSchema = SCHEMA.getField("concerns").schema();
    Schema companySchema = nonNull(SCHEMA.getField("company").schema());
    Schema contactSchema = SCHEMA.getField("contact").schema();

    GenericData.Record address = new GenericData.Record(addressSchema);
    address.put("street", "Maasdijk");
    address.put("houseNumber", "117-A");
    address.put("postcode", "6658 AB");
    address.put("city", "Beneden-Leeuwen");

    GenericData.Record subject = new GenericData.Record(subjectSchema);
    subject.put("bsn", "111222333");
    subject.put("name", "Johannes Cornelis van den Heuvel");
    subject.put("birthDate", (int) LocalDate.of(1979, 4, 23).toEpochDay());
    subject.put("address", address);

    GenericData.Array<GenericData.EnumSymbol> concernList =
        new GenericData.Array<>(concerns.size(), concernsSchema);
    for (String concern : concerns) {
      concernList.add(new GenericData.EnumSymbol(concernsSchema.getElementType(), concern));
    }

    GenericData.Record company = null;
    if (withCompany) {
      GenericData.Record premises = new GenericData.Record(addressSchema);
      premises.put("street", "Industrieweg");
      premises.put("houseNumber", "14");
      premises.put("postcode", "6658 DH");
      premises.put("city", "Beneden-Leeuwen");
      company = new GenericData.Record(companySchema);
      company.put("kvkNumber", "09187654");
      company.put("name", "Van den Heuvel Opslag en Verhuur B.V.");
      company.put("address", premises);
    }

    GenericData.Record contact = new GenericData.Record(contactSchema);
    contact.put("name", "Brigadier M. (Marloes) Janssen");
    contact.put("organisation", "Politie Oost-Nederland, basisteam Tweestromenland");
    contact.put("phone", "+31 88 169 1234");
    contact.put("email", "marloes.janssen@politie.nl");

    GenericData.Record event = new GenericData.Record(SCHEMA);
    event.put("eventId", "3f2b8c1e-6d4a-4f0b-9a7e-2c5d8e1f0a93");
    event.put("sender", "politie");
    event.put("caseReference", "PL0900-2025118734");
    event.put("occurredAt", Instant.parse("2025-06-12T20:40:00Z").toEpochMilli());
    event.put("purpose", purpose);
    event.put("subject", subject);
    event.put("concerns", concernList);
    event.put("riskLevel", new GenericData.EnumSymbol(SCHEMA.getField("riskLevel").schema(), risk));
    event.put("narrative", narrative);
    event.put("company", company);
    event.put("contact", contact);

    if (!GenericData.get().validate(SCHEMA, event)) {
      throw new IllegalStateException(
          "benchmark signal does not conform to " + SCHEMA.getFullName());
    }
    return event;
  }

  private static Schema nonNull(Schema union) {
    return union.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }
}
