package nl.covenanthub.hub.lifecycle;

import java.nio.charset.StandardCharsets;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.disclosure.TraceContext;
import nl.covenanthub.hub.disclosure.ViewCodec;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Inbox records the hub makes itself (withdrawal notices, passed-on acknowledgements, match
 * notices): encoded and headed like a view, without a rule id (no rule sends them), in the current
 * transaction.
 */
@Component
public class HubMessages {
  private final ViewCodec codec;
  private final KafkaTemplate<String, byte[]> kafka;

  public HubMessages(ViewCodec codec, KafkaTemplate<String, byte[]> kafka) {
    this.codec = codec;
    this.kafka = kafka;
  }

  public void send(
      String recipient,
      String key,
      GenericData.Record message,
      String disclosureId,
      CovenantRef covenant,
      String purpose,
      String legalBasis,
      String eventType,
      TraceContext trace) {
    ViewCodec.Encoded encoded = codec.encode(message);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.inbox(recipient), key, encoded.value());
    Headers headers = record.headers();
    header(headers, "disclosure-id", disclosureId);
    header(headers, "covenant-id", covenant.id());
    header(headers, "covenant-version", Integer.toString(covenant.version()));
    header(headers, "covenant-hash", covenant.contentHash());
    header(headers, "purpose", purpose);
    header(headers, "legal-basis", legalBasis);
    header(headers, "event-type", eventType);
    header(headers, TraceContext.HEADER, trace.traceparent(TraceContext.spanId(disclosureId)));
    headers.add(InboxViews.SCHEMA_ID_HEADER, encoded.schemaId());
    kafka.send(record);
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
