import nl.covenanthub.events.*;
import java.time.*;
import java.nio.file.*;
import java.util.*;
// Writes the seed corpus of OutboxIntakeFuzzTest (docs/reliability.md says how to run it).
Path dir = Path.of(System.getProperty("out"));
Subject subject = Subject.newBuilder().setBsn("999990019").setName("J. de Vries").setBirthDate(LocalDate.of(1971, 4, 12)).setAddress(Address.newBuilder().setStreet("Dorpsstraat").setHouseNumber("14").setPostcode("6658 AB").setCity("Beneden-Leeuwen").build()).build();
Contact contact = Contact.newBuilder().setName("R. Jansen").setOrganisation("Politie").setPhone("0612345678").setEmail(null).build();
Instant at = Instant.parse("2026-11-28T22:41:00Z");
void write(String name, byte[] bytes) throws Exception { Files.write(dir.resolve(name), bytes); }
byte[] bytes(java.nio.ByteBuffer b) { byte[] a = new byte[b.remaining()]; b.get(a); return a; }
CaseSignal.Builder signal(String id) { return CaseSignal.newBuilder().setEventId(id).setSender("politie").setCaseReference("PL0600-2026-118734").setOccurredAt(at).setPurpose("zorg-en-veiligheid").setSubject(subject).setConcerns(List.of(Concern.VERWARD_GEDRAG)).setRiskLevel(RiskLevel.HOOG).setNarrative("Buren melden geschreeuw.").setCompany(null).setContact(contact); }
CaseSignal confused = CaseSignal.newBuilder().setEventId("seed-1").setSender("politie").setCaseReference("PL0600-2026-118734").setOccurredAt(at).setPurpose("zorg-en-veiligheid").setSubject(subject).setConcerns(List.of(Concern.VERWARD_GEDRAG)).setRiskLevel(RiskLevel.HOOG).setNarrative("Buren melden geschreeuw.").setCompany(null).setContact(contact).build();
byte[] confusedBytes = bytes(confused.toByteBuffer());
write("politie-signal-zorg-en-veiligheid", confusedBytes);
write("politie-signal-aanpak-ondermijning", bytes(signal("seed-2").setPurpose("aanpak-ondermijning").setConcerns(List.of(Concern.HENNEPTEELT, Concern.WOONOVERLAST)).setRiskLevel(RiskLevel.MIDDEN).setCompany(Company.newBuilder().setKvkNumber("12345678").setName("Bakker Opslag B.V.").setAddress(null).build()).build().toByteBuffer()));
write("politie-signal-unknown-purpose", bytes(signal("seed-3").setPurpose("nieuwsgierigheid").build().toByteBuffer()));
write("lzn-reference-zorg-en-veiligheid", bytes(CaseReference.newBuilder().setEventId("seed-4").setSender("lzn").setCaseReference("LZN-2026-0042").setOccurredAt(at).setPurpose("zorg-en-veiligheid").setSubject(subject).setContact(contact).build().toByteBuffer()));
write("riec-status-aanpak-ondermijning", bytes(CaseStatusChange.newBuilder().setEventId("seed-5").setSender("riec").setCaseReference("RIEC-2026-007").setOccurredAt(at).setPurpose("aanpak-ondermijning").setSubject(subject).setStatus(CaseStatus.ESCALATED).setEscalatedTo("RIEC-OB-2026-3").setReason("Hennep en opslag.").setContact(contact).build().toByteBuffer()));
write("truncated", Arrays.copyOf(confusedBytes, 20));
write("not-avro", "not avro at all".getBytes());
write("empty", new byte[0]);
/exit
