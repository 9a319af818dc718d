package nl.covenanthub.hub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Company;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The benchmark's load: realistic police signals in Avro single-object encoding, as the police's
 * outbox holds them, encoded once into a pool before any measurement. Even sequence numbers are a
 * signal of confused behaviour for {@code zorg-en-veiligheid}, odd ones a cannabis farm for {@code
 * aanpak-ondermijning}.
 *
 * <p>Every record carries a W3C {@code traceparent} whose trace id ends in the event's sequence
 * number. The hub continues that trace into each inbox record's {@code traceparent} header and each
 * audit record's {@code traceId}, so the meter can tell which event an output record belongs to
 * without decoding it.
 */
final class BenchEvents {
  static final String POLICE_OUTBOX = "partner.politie.outbox";

  /**
   * Header telling the passthrough how many inbox records the hub writes for this event (1 or 2).
   */
  static final String INBOXES_HEADER = "bench-inboxes";

  static final String TRACEPARENT = "traceparent";

  /**
   * Zorg-en-veiligheid: lzn DISCLOSED (1 inbox record) and veilig-thuis WITHHELD, so 2 audit
   * records.
   */
  static final int ZORG_OUTPUTS = 3;

  /**
   * Aanpak-ondermijning: riec and lzn DISCLOSED (2 inbox records) and odr WITHHELD (its rules take
   * only lzn's niet-pluis signals), so 3 audit records.
   */
  static final int ONDERMIJNING_OUTPUTS = 5;

  /**
   * High 64 bits of every bench trace id: a marker, so stray records cannot be mistaken for bench
   * events.
   */
  static final long TRACE_MARK = 0x62656e6368687562L; // "benchhub"

  private static final int POOL = 1024;

  /** Where the last 12 hex digits of the event id are in an encoded event: see withEventIdOf. */
  private static final int EVENT_ID_TAIL = 10 + 1 + 24;

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

  private final List<byte[]> values = new ArrayList<>(POOL);
  private final List<String> keys = new ArrayList<>(POOL);

  BenchEvents() {
    Random random = new Random(20261129L);
    for (int i = 0; i < POOL; i++) {
      CaseSignal signal = i % 2 == 0 ? zorg(random) : ondermijning(random);
      byte[] value = SingleObjectEncoding.bytes(signal);
      if (value[10] != 36 * 2) { // Avro's zig-zag length of a 36-character UUID
        throw new IllegalStateException("the event id is no longer the body's first field");
      }
      values.add(value);
      keys.add(signal.getCaseReference());
    }
  }

  static boolean isZorg(long seq) {
    return seq % 2 == 0;
  }

  /** Inbox plus audit records the hub writes for event {@code seq}, and so the passthrough too. */
  static int outputs(long seq) {
    return isZorg(seq) ? ZORG_OUTPUTS : ONDERMIJNING_OUTPUTS;
  }

  /** Mean bytes of an encoded event. */
  double meanSize() {
    return values.stream().mapToInt(v -> v.length).average().orElse(0);
  }

  /**
   * Outbox record of event {@code seq} for {@code topic}: same key, value and headers for hub and
   * passthrough.
   */
  ProducerRecord<String, byte[]> record(String topic, long seq) {
    int i = (int) (seq % POOL);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topic, keys.get(i), withEventIdOf(values.get(i), seq));
    String traceparent =
        String.format(Locale.ROOT, "00-%016x%016x-%016x-01", TRACE_MARK, seq, seq + 1);
    record.headers().add(TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
    record.headers().add(INBOXES_HEADER, new byte[] {(byte) (isZorg(seq) ? '1' : '2')});
    return record;
  }

  /**
   * A copy of a pooled event whose id ends in {@code seq}: the hub refuses an event id it has seen
   * on the partition as a DUPLICATE, so the pool's 1024 events cannot simply be sent again. The id
   * is the body's first field (after the 10-byte single-object header, a 1-byte length 36 and the
   * UUID's first 24 characters), so its last 12 hex digits are rewritten in place.
   */
  private static byte[] withEventIdOf(byte[] pooled, long seq) {
    byte[] value = pooled.clone();
    byte[] digits = String.format(Locale.ROOT, "%012x", seq).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, value, EVENT_ID_TAIL, digits.length);
    return value;
  }

  /** The event of a {@code traceparent} header, or -1 if it is not one of ours. */
  static long seqOfTraceparent(Headers headers) {
    Header header = headers.lastHeader(TRACEPARENT);
    return header == null ? -1 : seqOfTraceId(header.value(), 3);
  }

  /**
   * The event of a hub audit record, read straight from its bytes: Avro single-object encoding is a
   * 10-byte header, and {@code traceId} is the record's first field, a string of 32 characters
   * (length 32 zig-zags to the byte 0x40). Checked against a full decode in the warm-up.
   */
  static long seqOfAuditRecord(byte[] value) {
    return value.length < 43 || value[10] != 0x40 ? -1 : seqOfTraceId(value, 11);
  }

  private static long seqOfTraceId(byte[] ascii, int at) {
    if (ascii.length < at + 32) {
      return -1;
    }
    long mark = hex(ascii, at);
    return mark == TRACE_MARK ? hex(ascii, at + 16) : -1;
  }

  private static long hex(byte[] ascii, int at) {
    long v = 0;
    for (int i = at; i < at + 16; i++) {
      v = (v << 4) | Character.digit(ascii[i], 16);
    }
    return v;
  }

  private static CaseSignal zorg(Random random) {
    return CaseSignal.newBuilder()
        .setEventId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setSender("politie")
        .setCaseReference(String.format(Locale.ROOT, "PL0900-2026%06d", random.nextInt(1_000_000)))
        .setOccurredAt(Instant.parse("2026-11-28T22:41:00Z").plusSeconds(random.nextInt(86_400)))
        .setPurpose("zorg-en-veiligheid")
        .setSubject(subject(random))
        .setConcerns(List.of(Concern.VERWARD_GEDRAG, Concern.WOONOVERLAST))
        .setRiskLevel(RiskLevel.HOOG)
        .setNarrative(NARRATIVE_ZORG)
        .setContact(contact())
        .build();
  }

  private static CaseSignal ondermijning(Random random) {
    return CaseSignal.newBuilder()
        .setEventId(new UUID(random.nextLong(), random.nextLong()).toString())
        .setSender("politie")
        .setCaseReference(String.format(Locale.ROOT, "PL0900-2026%06d", random.nextInt(1_000_000)))
        .setOccurredAt(Instant.parse("2026-11-28T10:15:00Z").plusSeconds(random.nextInt(86_400)))
        .setPurpose("aanpak-ondermijning")
        .setSubject(subject(random))
        .setConcerns(List.of(Concern.HENNEPTEELT, Concern.ONDERMIJNING))
        .setRiskLevel(RiskLevel.MIDDEN)
        .setNarrative(NARRATIVE_ONDERMIJNING)
        .setCompany(
            Company.newBuilder()
                .setKvkNumber(String.format(Locale.ROOT, "%08d", random.nextInt(100_000_000)))
                .setName("Van den Heuvel Opslag en Verhuur B.V.")
                .setAddress(
                    Address.newBuilder()
                        .setStreet("Industrieweg")
                        .setHouseNumber("14")
                        .setPostcode("6658 DH")
                        .setCity("Beneden-Leeuwen")
                        .build())
                .build())
        .setContact(contact())
        .build();
  }

  private static Subject subject(Random random) {
    return Subject.newBuilder()
        .setBsn(validBsn(random))
        .setName("Johannes Cornelis van den Heuvel")
        .setBirthDate(
            LocalDate.of(1950 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28)))
        .setAddress(
            Address.newBuilder()
                .setStreet("Maasdijk")
                .setHouseNumber(Integer.toString(1 + random.nextInt(200)))
                .setPostcode("6658 AB")
                .setCity("Beneden-Leeuwen")
                .build())
        .build();
  }

  /** Random nine digits that pass the eleven-test, as the hub requires of a BSN. */
  private static String validBsn(Random random) {
    while (true) {
      String first = String.format(Locale.ROOT, "%08d", 10_000_000 + random.nextInt(90_000_000));
      int sum = 0;
      for (int i = 0; i < 8; i++) {
        sum += (9 - i) * (first.charAt(i) - '0');
      }
      int last = sum % 11;
      if (last < 10) {
        return first + last;
      }
    }
  }

  private static Contact contact() {
    return Contact.newBuilder()
        .setName("Brigadier M. (Marloes) Janssen")
        .setOrganisation("Politie Oost-Nederland, basisteam Tweestromenland")
        .setPhone("+31 88 169 1234")
        .setEmail("marloes.janssen@politie.nl")
        .build();
  }
}
