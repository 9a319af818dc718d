package nl.covenanthub.console.integrity;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.KeptConsumer;
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

  private final String auditTopic;
  private final String headsTopic;
  private final HeadSignatures.Verifier verifier;
  private final KeptConsumer consumer;

  KafkaAnchors(KafkaProperties kafka, ConsoleProperties properties) {
    this.consumer = new KeptConsumer(kafka);
    this.auditTopic = properties.auditTopic();
    this.headsTopic = properties.auditChainTopic();
    List<String> keys = properties.headVerifyKeys().stream().filter(k -> !k.isBlank()).toList();
    this.verifier =
        HeadSignatures.Verifier.of(keys.isEmpty() ? List.of(HeadSignatures.DEMO_PUBLIC_KEY) : keys);
  }

  /** The latest head read of each chain, with its signature: kept, and read on from. */
  private final Map<String, PublishedHead> latestHeads = new HashMap<>();

  /** Where in hub.audit.chain the heads were read up to. */
  private Map<TopicPartition, Long> headsReadTo = Map.of();

  private record PublishedHead(ChainHead head, Header signature, Header keyId) {}

  /**
   * The latest published head of every chain. The topic is read on from where the check before
   * stopped, not from its start: until it is compacted it holds a head per chain per transaction of
   * the hub. Only the latest head of each chain has its signature verified.
   */
  Map<String, SignedHead> publishedHeads() {
    return consumer.use(
        kafka -> {
          Map<TopicPartition, Long> before = headsReadTo;
          headsReadTo = readHeadsSince(kafka, before);
          if (before.entrySet().stream()
              .anyMatch(p -> headsReadTo.getOrDefault(p.getKey(), 0L) < p.getValue())) {
            // The topic ends before where it was read to: it was made again. All over.
            latestHeads.clear();
            headsReadTo = readHeadsSince(kafka, Map.of());
          }
          Map<String, SignedHead> heads = new HashMap<>();
          latestHeads.forEach(
              (chain, published) ->
                  heads.put(chain, new SignedHead(published.head(), verifies(published))));
          return heads;
        });
  }

  private Map<TopicPartition, Long> readHeadsSince(
      KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> since) {
    return TopicSnapshot.readSince(
        kafka,
        headsTopic,
        since,
        TIMEOUT,
        record -> {
          ChainHead head = decodeHead(record.value());
          PublishedHead known = latestHeads.get(head.getChainId());
          if (known == null || head.getSequence() >= known.head().getSequence()) {
            latestHeads.put(
                head.getChainId(),
                new PublishedHead(
                    head,
                    record.headers().lastHeader(HeadSignatures.SIGNATURE_HEADER),
                    record.headers().lastHeader(HeadSignatures.KEY_ID_HEADER)));
          }
        });
  }

  /** A place in hub.audit. */
  record Place(int partition, long offset) {}

  /**
   * The hashes of the audit records at these places of hub.audit; a place without one is absent.
   */
  Map<Place, String> auditHashesAt(Collection<Place> places) {
    return consumer.use(kafka -> read(kafka, places));
  }

  /** All partitions at once: each is sought to its next wanted offset, and polled together. */
  private Map<Place, String> read(
      KafkaConsumer<String, byte[]> consumer, Collection<Place> places) {
    Map<Place, String> hashes = new HashMap<>();
    Map<TopicPartition, TreeSet<Long>> wanted = new HashMap<>();
    for (Place place : places) {
      wanted
          .computeIfAbsent(new TopicPartition(auditTopic, place.partition()), p -> new TreeSet<>())
          .add(place.offset());
    }
    if (wanted.isEmpty()) {
      return hashes;
    }
    consumer.assign(wanted.keySet());
    consumer.resume(wanted.keySet()); // paused at the end of the check before
    Map<TopicPartition, Long> ends = consumer.endOffsets(wanted.keySet(), TIMEOUT);
    wanted.forEach((partition, offsets) -> offsets.tailSet(ends.get(partition)).clear());
    wanted.forEach((partition, offsets) -> seekToNext(consumer, partition, offsets));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (wanted.values().stream().anyMatch(offsets -> !offsets.isEmpty())
        && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        TreeSet<Long> offsets = wanted.get(new TopicPartition(record.topic(), record.partition()));
        if (offsets != null && offsets.remove(record.offset())) {
          hashes.put(
              new Place(record.partition(), record.offset()),
              decodeAudit(record.value()).getHash());
        }
      }
      wanted.forEach(
          (partition, offsets) -> {
            // Offsets passed over were not records (a transaction marker, compacted away).
            offsets.headSet(consumer.position(partition, TIMEOUT)).clear();
            seekToNext(consumer, partition, offsets);
          });
    }
    return hashes;
  }

  private static void seekToNext(
      KafkaConsumer<String, byte[]> consumer, TopicPartition partition, TreeSet<Long> offsets) {
    if (offsets.isEmpty()) {
      consumer.pause(List.of(partition));
    } else if (consumer.position(partition, TIMEOUT) != offsets.first()) {
      consumer.seek(partition, offsets.first());
    }
  }

  private boolean verifies(PublishedHead published) {
    return published.signature() != null
        && published.keyId() != null
        && verifier.verify(
            published.head(),
            new String(published.keyId().value(), StandardCharsets.UTF_8),
            published.signature().value());
  }

  @PreDestroy
  void closeConsumer() {
    consumer.close();
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
