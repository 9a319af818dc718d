package nl.covenanthub.hub.disclosure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Disclosure ids derived from where the event came from and who receives it: a redelivery gets the
 * same id.
 */
public final class DisclosureIds {
  /**
   * A digest per thread: {@link UUID#nameUUIDFromBytes} looks one up among the security providers
   * for every id, which costs more than the hashing, and the hub makes an id per decision.
   */
  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private DisclosureIds() {}

  public static String of(ConsumerRecord<?, ?> source, String recipient) {
    String name =
        source.topic() + "/" + source.partition() + "/" + source.offset() + "/" + recipient;
    return nameUuid(name).toString();
  }

  /** The same UUID as {@code UUID.nameUUIDFromBytes} of the name's UTF-8 bytes (version 3). */
  static UUID nameUuid(String name) {
    byte[] md5 = MD5.get().digest(name.getBytes(StandardCharsets.UTF_8));
    md5[6] = (byte) ((md5[6] & 0x0f) | 0x30); // version 3
    md5[8] = (byte) ((md5[8] & 0x3f) | 0x80); // IETF variant
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = (high << 8) | (md5[i] & 0xff);
      low = (low << 8) | (md5[i + 8] & 0xff);
    }
    return new UUID(high, low);
  }
}
