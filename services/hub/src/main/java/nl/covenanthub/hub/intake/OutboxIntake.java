package nl.covenanthub.hub.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import nl.covenanthub.covenant.Bsn;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.stereotype.Component;

/**
 * Takes an outbox record in: who sent it (the outbox's owner, never the payload), whether it is
 * small enough, decodable and complete. Anything else is a {@link BadInputException}.
 */
@Component
public class OutboxIntake {
  private final EventDecoder decoder;
  private final long maxEventBytes;

  public OutboxIntake(EventDecoder decoder, HubProperties properties) {
    this.decoder = decoder;
    this.maxEventBytes = properties.maxEventSize().toBytes();
  }

  public IncomingEvent accept(ConsumerRecord<String, byte[]> record) {
    String sender =
        Topics.outboxOwner(record.topic())
            .orElseThrow(
                () ->
                    new BadInputException(
                        DeadLetterReason.UNAUTHENTICATED,
                        "topic " + record.topic() + " is not a partner outbox"));
    long size = size(record);
    if (size > maxEventBytes) {
      // The whole record counts: headers as large as the value would otherwise pass the check and
      // make every copy of the record (a dead letter) larger than the broker takes.
      throw new BadInputException(
          DeadLetterReason.OVERSIZE,
          size + " bytes (key, value and headers), more than " + maxEventBytes);
    }
    GenericData.Record event = decoder.decode(sender, record.value());
    String invalidBsn = null;
    Optional<String> bsn;
    try {
      bsn = canonicalBsn(event);
    } catch (Bsn.InvalidBsnException e) {
      bsn = Optional.empty();
      invalidBsn = e.getMessage();
    }
    IncomingEvent incoming =
        new IncomingEvent(
            record,
            sender,
            event,
            event.getSchema().getName(),
            text(event, "eventId"),
            text(event, "caseReference"),
            text(event, "purpose"),
            occurredAt(event),
            bsn);
    if (invalidBsn != null) {
      // Pseudonymised as written, it would name nobody the privacy officer can find.
      throw new BadInputException(DeadLetterReason.INVALID, "subject.bsn " + invalidBsn, incoming);
    }
    Object claimed = text(event, "sender");
    if (claimed != null && !claimed.toString().equals(sender)) {
      // Not the claimed name: it is the partner's text, and this detail is kept in the audit.
      throw new BadInputException(
          DeadLetterReason.SENDER_MISMATCH,
          "the payload's sender is not '" + sender + "', whose outbox it came from",
          incoming);
    }
    for (String field : new String[] {"sender", "eventId", "caseReference", "purpose"}) {
      if (isBlank(text(event, field))) {
        throw new BadInputException(
            DeadLetterReason.INVALID, "required field '" + field + "' is empty", incoming);
      }
    }
    return incoming;
  }

  /** The bytes of the key, the value and every header (name and value) of {@code record}. */
  public static long size(ConsumerRecord<String, byte[]> record) {
    long size = record.value() == null ? 0 : record.value().length;
    if (record.key() != null) {
      size += record.key().getBytes(StandardCharsets.UTF_8).length;
    }
    for (Header header : record.headers()) {
      size += header.key().getBytes(StandardCharsets.UTF_8).length;
      size += header.value() == null ? 0 : header.value().length;
    }
    return size;
  }

  private static String text(GenericRecord event, String field) {
    Object value = event.hasField(field) ? event.get(field) : null;
    return value == null ? null : value.toString();
  }

  private static boolean isBlank(Object value) {
    return value == null || value.toString().isBlank();
  }

  private static Instant occurredAt(GenericRecord event) {
    return event.hasField("occurredAt") && event.get("occurredAt") instanceof Long millis
        ? Instant.ofEpochMilli(millis)
        : null;
  }

  /**
   * The subject's BSN in its canonical form, which also replaces the written one in {@code event}:
   * every view, pseudonym and audit record is then made from the same nine digits.
   */
  private static Optional<String> canonicalBsn(GenericRecord event) {
    // Not every event type names a subject (a withdrawal acknowledgement does not).
    if (!event.hasField("subject")
        || !(event.get("subject") instanceof GenericRecord subject)
        || subject.get("bsn") == null) {
      return Optional.empty();
    }
    String canonical = Bsn.canonical(subject.get("bsn").toString());
    subject.put("bsn", canonical);
    return Optional.of(canonical);
  }
}
