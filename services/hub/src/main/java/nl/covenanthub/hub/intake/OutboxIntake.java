package nl.covenanthub.hub.intake;

import java.time.Instant;
import java.util.Optional;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    byte[] bytes = record.value();
    if (bytes != null && bytes.length > maxEventBytes) {
      throw new BadInputException(
          DeadLetterReason.OVERSIZE, bytes.length + " bytes, more than " + maxEventBytes);
    }
    GenericData.Record event = decoder.decode(bytes);
    String claimed = required(event, "sender");
    if (!claimed.equals(sender)) {
      throw new BadInputException(
          DeadLetterReason.SENDER_MISMATCH,
          "payload claims sender '" + claimed + "' but came from the outbox of '" + sender + "'");
    }
    return new IncomingEvent(
        record,
        sender,
        event,
        event.getSchema().getName(),
        required(event, "eventId"),
        required(event, "caseReference"),
        required(event, "purpose"),
        occurredAt(event),
        bsn(event));
  }

  private static String required(GenericRecord event, String field) {
    Object value = event.get(field);
    if (value == null || value.toString().isBlank()) {
      throw new BadInputException(
          DeadLetterReason.INVALID, "required field '" + field + "' is empty");
    }
    return value.toString();
  }

  private static Instant occurredAt(GenericRecord event) {
    return event.get("occurredAt") instanceof Long millis ? Instant.ofEpochMilli(millis) : null;
  }

  private static Optional<String> bsn(GenericRecord event) {
    return event.get("subject") instanceof GenericRecord subject && subject.get("bsn") != null
        ? Optional.of(subject.get("bsn").toString())
        : Optional.empty();
  }
}
