package nl.covenanthub.demo;

import java.time.LocalDate;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.Company;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.Subject;

/**
 * The people, professionals and companies of the demo. All fictional; the BSNs are test numbers
 * that pass the eleven-test but belong to no one. Events share these instances, which nothing
 * modifies (a builder copy would need Avro to trust the generated classes, for nothing).
 */
final class Cast {
  private Cast() {}

  // Residents of West Maas en Waal the cases are about.
  static final Subject DE_VRIES =
      subject(
          "999990019",
          "J. de Vries",
          LocalDate.of(1971, 4, 12),
          address("Dorpsstraat", "14", "6658 AB", "Beneden-Leeuwen"));
  static final Subject BAKKER =
      subject(
          "999991772",
          "P. Bakker",
          LocalDate.of(1983, 9, 30),
          address("Industrieweg", "7", "6659 CE", "Wamel"));
  static final Subject VISSER =
      subject(
          "999993653",
          "M. Visser",
          LocalDate.of(1990, 2, 3),
          address("Kerkstraat", "3", "6621 BC", "Dreumel"));

  /** Identity not (yet) established by the police: no BSN. */
  static final Subject MULDER =
      subject(null, "K. Mulder", null, address("Maasdijk", "21", "6627 AA", "Maasbommel"));

  /** Owner of a company the municipality has doubts about. */
  static final Subject HENDRIKS =
      subject(
          null,
          "R. Hendriks",
          LocalDate.of(1979, 11, 23),
          address("Van Heemstraweg", "90", "6658 KH", "Beneden-Leeuwen"));

  // The professionals to contact at each partner.
  static final Contact WIJKAGENT =
      contact("wijkagent R. Jansen", "Politie basisteam Tweestromenland", "0900-8844");
  static final Contact RECHERCHEUR =
      contact("rechercheur S. Kok", "Politie basisteam Tweestromenland", "0900-8844");
  static final Contact CASUSREGISSEUR =
      contact("casusregisseur A. de Boer", "Lokaal Zorgnetwerk West Maas en Waal", null);
  static final Contact VEILIG_THUIS =
      contact("medewerker L. Peters", "Veilig Thuis Gelderland-Zuid", null);
  static final Contact RIEC = contact("casecoördinator T. van Dam", "RIEC Oost-Nederland", null);

  static final Company BAKKER_OPSLAG =
      Company.newBuilder()
          .setKvkNumber("90000017")
          .setName("Bakker Opslag B.V.")
          .setAddress(address("Industrieweg", "7", "6659 CE", "Wamel"))
          .build();
  static final Company AUTOPOETS =
      Company.newBuilder()
          .setKvkNumber("90000025")
          .setName("Autopoetsbedrijf De Waal V.O.F.")
          .setAddress(address("Van Heemstraweg", "88", "6658 KH", "Beneden-Leeuwen"))
          .build();

  private static Subject subject(String bsn, String name, LocalDate birthDate, Address address) {
    return Subject.newBuilder()
        .setBsn(bsn)
        .setName(name)
        .setBirthDate(birthDate)
        .setAddress(address)
        .build();
  }

  private static Address address(String street, String number, String postcode, String city) {
    return Address.newBuilder()
        .setStreet(street)
        .setHouseNumber(number)
        .setPostcode(postcode)
        .setCity(city)
        .build();
  }

  private static Contact contact(String name, String organisation, String phone) {
    return Contact.newBuilder().setName(name).setOrganisation(organisation).setPhone(phone).build();
  }
}
