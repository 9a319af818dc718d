package nl.covenanthub.hub.intake;

import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.writerschemas.WriterSchemaTopic;
import org.apache.avro.generic.GenericData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decodes outbox records written in Avro single-object encoding (what the generated classes' {@code
 * toByteBuffer()} writes): a two-byte marker, the schema's 64-bit fingerprint, the binary body. The
 * fingerprint names the schema: one of the hub's own, or a writer schema the sender registered
 * ({@link WriterSchemas}), which Avro resolves into the hub's schema of its event type, so that a
 * field the hub's schema lacks is dropped here. Bytes that are not an event are a {@link
 * BadInputException} with the dead letter's reason.
 */
@Component
public class EventDecoder {
  private final WriterSchemas schemas;
  private final Runnable readLatestRegistrations;

  @Autowired
  public EventDecoder(WriterSchemas schemas, WriterSchemaTopic registrations) {
    this(schemas, registrations::readToEnd);
  }

  /**
   * @param readLatestRegistrations takes every registration made so far, also through other
   *     instances; throws if it cannot (then nothing is decided, and the batch is tried again)
   */
  public EventDecoder(WriterSchemas schemas, Runnable readLatestRegistrations) {
    this.schemas = schemas;
    this.readLatestRegistrations = readLatestRegistrations;
  }

  /** The event in {@code bytes}, which {@code sender} wrote. */
  public GenericData.Record decode(String sender, byte[] bytes) {
    try {
      return schemas.decoderOf(sender).decode(bytes);
    } catch (SingleObjectDecoder.Refused e) {
      if (e.problem() != SingleObjectDecoder.Problem.UNKNOWN_SCHEMA) {
        throw refused(e);
      }
    }
    // A partner may send an event right after it registered its schema, through another instance:
    // refused only once this instance knows every registration made before the event was read.
    readLatestRegistrations.run();
    try {
      return schemas.decoderOf(sender).decode(bytes);
    } catch (SingleObjectDecoder.Refused e) {
      throw refused(e);
    }
  }

  private static BadInputException refused(SingleObjectDecoder.Refused e) {
    DeadLetterReason reason =
        switch (e.problem()) {
          case UNKNOWN_SCHEMA -> DeadLetterReason.UNKNOWN_SCHEMA;
          case NOT_SINGLE_OBJECT, UNDECODABLE -> DeadLetterReason.UNDECODABLE;
        };
    return new BadInputException(reason, e.getMessage());
  }
}
