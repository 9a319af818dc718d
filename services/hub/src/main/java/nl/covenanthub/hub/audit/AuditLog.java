package nl.covenanthub.hub.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.hub.HubProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The audit read back, for a chain whose head is not beside its partition's committed offset (a
 * partition never committed here, offsets that expired, or offsets from before heads were kept
 * there). First the published heads ({@code hub.audit.chain}, small); if that topic holds no head
 * at all while {@code hub.audit} has records (it was lost), the chain's own records. Both are read
 * to their end as it was when the read began, waiting for transactions open then to end, so no
 * committed head is missed. Never a fall back to the genesis of a chain that has records.
 */
@Component
class AuditLog {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

  /** Long enough for every transaction open when a read began to end (transaction.timeout.ms). */
  private static final Duration STABLE_WITHIN = Duration.ofMinutes(3);

  private final KafkaProperties kafka;
  private final String auditTopic;
  private final String headsTopic;

  AuditLog(KafkaProperties kafka, HubProperties properties) {
    this.kafka = kafka;
    this.auditTopic = properties.topics().audit();
    this.headsTopic = properties.topics().auditChain();
  }

  /**
   * The last committed head of each of {@code chainIds} that has a record.
   *
   * @param awaitOpenTransactions read on past transactions open now (they may hold heads of these
   *     chains); not needed for partitions that have never committed an offset, since every head is
   *     committed with its partition's offset
   */
  Map<String, ChainHead> lastHeads(Set<String> chainIds, boolean awaitOpenTransactions) {
    Map<String, ChainHead> last = new HashMap<>();
    AtomicLong published = new AtomicLong();
    read(
        List.of(new TopicPartition(headsTopic, 0)),
        awaitOpenTransactions,
        record -> {
          published.incrementAndGet();
          if (chainIds.contains(record.key())) {
            last.merge(
                record.key(),
                decodeHead(record.value()),
                (a, b) -> a.getSequence() >= b.getSequence() ? a : b);
          }
        });
    if (published.get() > 0) {
      return last; // a chain without a head among the others is new
    }
    // No published head at all: either nothing was ever audited, or the heads were lost.
    read(
        chainIds.stream().map(this::auditPartitionOf).distinct().toList(),
        awaitOpenTransactions,
        record -> {
          if (chainIds.contains(record.key())) {
            AuditRecord audit = decode(record.value());
            last.put(
                record.key(), new ChainHead(record.key(), audit.getSequence(), audit.getHash()));
          }
        });
    return last;
  }

  /** Where the producer put a chain's records: they are keyed by the chain id. */
  private TopicPartition auditPartitionOf(String chainId) {
    try (KafkaConsumer<String, byte[]> consumer = consumer("read_committed")) {
      int partitions = consumer.partitionsFor(auditTopic, API_TIMEOUT).size();
      byte[] key = chainId.getBytes(StandardCharsets.UTF_8);
      return new TopicPartition(auditTopic, Utils.toPositive(Utils.murmur2(key)) % partitions);
    }
  }

  /**
   * The committed records of {@code partitions}: up to their last stable offset now, or, awaiting
   * open transactions, up to their end now, which a read_committed reader passes once the
   * transactions open now have ended.
   */
  private void read(
      List<TopicPartition> partitions,
      boolean awaitOpenTransactions,
      Consumer<ConsumerRecord<String, byte[]>> each) {
    try (KafkaConsumer<String, byte[]> uncommitted = consumer("read_uncommitted");
        KafkaConsumer<String, byte[]> committed = consumer("read_committed")) {
      Map<TopicPartition, Long> end =
          (awaitOpenTransactions ? uncommitted : committed).endOffsets(partitions, API_TIMEOUT);
      committed.assign(partitions);
      committed.seekToBeginning(partitions);
      long deadline = System.nanoTime() + STABLE_WITHIN.toNanos();
      while (partitions.stream().anyMatch(p -> committed.position(p, API_TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              partitions + " did not become readable to their end within " + STABLE_WITHIN);
        }
        committed.poll(POLL).forEach(each);
      }
    }
  }

  private KafkaConsumer<String, byte[]> consumer(String isolation) {
    Properties props = new Properties();
    props.putAll(kafka.buildConsumerProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static AuditRecord decode(byte[] bytes) {
    try {
      return AuditRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("an unreadable record in the audit", e);
    }
  }

  private static ChainHead decodeHead(byte[] bytes) {
    try {
      return ChainHead.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("an unreadable chain head in hub.audit.chain", e);
    }
  }
}
