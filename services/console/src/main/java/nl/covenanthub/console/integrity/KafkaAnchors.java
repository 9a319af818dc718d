package nl.covenanthub.console.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.GrouplessConsumers;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * What the console's index is checked against outside its own database: the chain heads the hub
 * signed on {@code hub.audit.chain}, and the records themselves in {@code hub.audit}. Whoever can
 * rewrite the database (and re-hash a chain's tail) can change neither.
 */
@Component
class KafkaAnchors {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The hub's latest head of a chain, and whether its signature verifies. */
  record SignedHead(ChainHead head, boolean signatureValid) {}

  private final KafkaProperties kafka;
  private final String auditTopic;
  private final String headsTopic;
  private final HeadSignatures.Verifier verifier;

  KafkaAnchors(KafkaProperties kafka, ConsoleProperties properties) {
    this.kafka = kafka;
    this.auditTopic = properties.auditTopic();
    this.headsTopic = properties.auditChainTopic();
    List<String> keys = properties.headVerifyKeys().stream().filter(k -> !k.isBlank()).toList();
    this.verifier =
        HeadSignatures.Verifier.of(keys.isEmpty() ? List.of(HeadSignatures.DEMO_PUBLIC_KEY) : keys);
  }

  /** The latest published head of every chain. */
  Map<String, SignedHead> publishedHeads() {
    Map<String, SignedHead> heads = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      TopicSnapshot.read(
          consumer,
          headsTopic,
          TIMEOUT,
          record -> {
            ChainHead head = decodeHead(record.value());
            SignedHead known = heads.get(head.getChainId());
            if (known == null || head.getSequence() >= known.head().getSequence()) {
              heads.put(head.getChainId(), new SignedHead(head, verifies(head, record)));
            }
          });
    }
    return heads;
  }

  /** A place in hub.audit. */
  record Place(int partition, long offset) {}

  /**
   * The hashes of the audit records at these places of hub.audit; a place without one is absent.
   */
  Map<Place, String> auditHashesAt(Collection<Place> places) {
    Map<Place, String> hashes = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      for (Place place : places) {
        TopicPartition where = new TopicPartition(auditTopic, place.partition());
        consumer.assign(List.of(where));
        long end = consumer.endOffsets(List.of(where), TIMEOUT).get(where);
        if (place.offset() >= end) {
          continue;
        }
        consumer.seek(where, place.offset());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!hashes.containsKey(place)
            && System.nanoTime() < deadline
            && consumer.position(where, TIMEOUT) <= place.offset()) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.offset() == place.offset()) {
              hashes.put(place, decodeAudit(record.value()).getHash());
            }
          }
        }
      }
    }
    return hashes;
  }

  private boolean verifies(ChainHead head, ConsumerRecord<String, byte[]> record) {
    Header signature = record.headers().lastHeader(HeadSignatures.SIGNATURE_HEADER);
    Header keyId = record.headers().lastHeader(HeadSignatures.KEY_ID_HEADER);
    return signature != null
        && keyId != null
        && verifier.verify(
            head, new String(keyId.value(), StandardCharsets.UTF_8), signature.value());
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return GrouplessConsumers.of(kafka);
  }

  private static ChainHead decodeHead(byte[] bytes) {
    try {
      return ChainHead.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("an unreadable chain head in hub.audit.chain", e);
    }
  }

  private static AuditRecord decodeAudit(byte[] bytes) {
    try {
      return AuditRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("an unreadable record in hub.audit", e);
    }
  }
}
