package nl.covenanthub.hub.intake;

import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.SingleObjectDecoder;
import org.apache.avro.generic.GenericData;
import org.springframework.stereotype.Component;

/**
 * Decodes outbox records written in Avro single-object encoding (what the generated classes' {@code
 * toByteBuffer()} writes): a two-byte marker, the schema's 64-bit fingerprint, the binary body. The
 * fingerprint names the event type, so no schema registry is needed. Bytes that are not an event
 * are a {@link BadInputException} with the dead letter's reason.
 */
@Component
public class EventDecoder {
  private final SingleObjectDecoder decoder;

  public EventDecoder(EventCatalog catalog) {
    this.decoder = new SingleObjectDecoder(catalog.avroSchemas());
  }

  public GenericData.Record decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (SingleObjectDecoder.Refused e) {
      DeadLetterReason reason =
          switch (e.problem()) {
            case UNKNOWN_SCHEMA -> DeadLetterReason.UNKNOWN_SCHEMA;
            case NOT_SINGLE_OBJECT, UNDECODABLE -> DeadLetterReason.UNDECODABLE;
          };
      throw new BadInputException(reason, e.getMessage());
    }
  }
}
