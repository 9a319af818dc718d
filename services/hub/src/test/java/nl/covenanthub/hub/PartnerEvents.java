package nl.covenanthub.hub;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import org.apache.avro.specific.SpecificRecordBase;

/** Events as a partner system writes them: generated classes, Avro single-object encoding. */
final class PartnerEvents {
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

  static byte[] bytes(SpecificRecordBase event) {
    return SingleObjectEncoding.bytes(event);
  }
}
