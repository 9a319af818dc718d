package nl.covenanthub.hub.disclosure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Disclosure ids derived from where the event came from and who receives it: a redelivery gets the
 * same id.
 */
public final class DisclosureIds {
  private DisclosureIds() {}

  public static String of(ConsumerRecord<?, ?> source, String recipient) {
    String name =
        source.topic() + "/" + source.partition() + "/" + source.offset() + "/" + recipient;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
