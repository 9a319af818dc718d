package nl.covenanthub.hub.intake;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An outbox record the hub accepted: decoded, and its sender established from the outbox it came
 * from.
 *
 * @param bsn the data subject's BSN, only to pseudonymise for the audit; never logged
 */
public record IncomingEvent(
    ConsumerRecord<String, byte[]> source,
    String sender,
    GenericData.Record event,
    String eventType,
    String eventId,
    String caseReference,
    String purpose,
    Instant occurredAt,
    Optional<String> bsn) {

  public IncomingEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(bsn, "bsn");
  }
}
