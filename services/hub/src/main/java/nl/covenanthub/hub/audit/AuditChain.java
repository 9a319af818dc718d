package nl.covenanthub.hub.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.TopicSnapshot;
import nl.covenanthub.hub.HubProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit hash chains, one per source partition: each record carries the hash of the one before
 * it. Heads advance only when their transaction commits; they are written to the compacted topic
 * {@code hub.audit.chain} in that same transaction, so after a restart or a rebalance the hub that
 * owns a partition continues its chain from the last committed record.
 */
@Component
public class AuditChain {
  private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

  private final Map<String, ChainHead> committed = new ConcurrentHashMap<>();
  private final ThreadLocal<Map<String, ChainHead>> pending =
      ThreadLocal.withInitial(LinkedHashMap::new);
  private final KafkaTemplate<String, byte[]> kafka;
  private final KafkaProperties kafkaProperties;
  private final String headsTopic;
  private volatile boolean loaded;

  public AuditChain(
      KafkaTemplate<String, byte[]> kafka,
      KafkaProperties kafkaProperties,
      HubProperties properties) {
    this.kafka = kafka;
    this.kafkaProperties = kafkaProperties;
    this.headsTopic = properties.topics().auditChain();
  }

  /**
   * Links {@code record} to its chain, seals it with its hash and returns its encoding for
   * hub.audit. The chain advances when the transaction commits.
   */
  public byte[] seal(AuditRecord record) {
    String chainId = record.getChainId();
    ChainHead head = pending.get().get(chainId);
    if (head == null) {
      head = committedHead(chainId);
    }
    record.setSequence(head.getSequence() + 1);
    record.setPreviousHash(head.getHash());
    byte[] sealed = AuditHash.sealed(record);
    pending.get().put(chainId, new ChainHead(chainId, record.getSequence(), record.getHash()));
    return sealed;
  }

  /**
   * Writes the heads this thread's transaction moved; call inside the transaction, before it
   * commits.
   */
  public void writeHeads() {
    for (ChainHead head : pending.get().values()) {
      kafka.send(headsTopic, head.getChainId(), SingleObjectEncoding.bytes(head));
    }
  }

  public void afterCommit() {
    committed.putAll(pending.get());
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  /**
   * Partitions moved between hubs: what we remember may be behind; read the heads again before use.
   */
  public void invalidate() {
    loaded = false;
    committed.clear();
  }

  private ChainHead committedHead(String chainId) {
    if (!loaded) {
      load();
    }
    return committed.getOrDefault(chainId, new ChainHead(chainId, 0L, AuditHash.GENESIS));
  }

  private synchronized void load() {
    if (loaded) {
      return;
    }
    Map<String, ChainHead> heads = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = headsConsumer()) {
      TopicSnapshot.read(
          consumer,
          headsTopic,
          Duration.ofSeconds(30),
          record -> {
            ChainHead head = decode(record.value());
            heads.merge(
                head.getChainId(), head, (a, b) -> a.getSequence() >= b.getSequence() ? a : b);
          });
    }
    committed.putAll(heads);
    loaded = true;
    log.info("Loaded {} audit chain head(s) from {}", heads.size(), headsTopic);
  }

  private KafkaConsumer<String, byte[]> headsConsumer() {
    Properties props = new Properties();
    props.putAll(kafkaProperties.buildConsumerProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static ChainHead decode(byte[] bytes) {
    try {
      return ChainHead.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable chain head in the heads topic", e);
    }
  }
}
