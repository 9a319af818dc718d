package nl.covenanthub.hub.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.hub.HubProperties;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit hash chains, one per source partition: each record carries the hash of the one before
 * it.
 *
 * <p>A chain's head travels with its partition's committed offset (its metadata, {@link
 * ChainHeadMetadata}), in the same transaction as the audit records. So the head a hub starts from
 * when it is given a partition is the one of the last transaction that committed, whoever ran it:
 * reading committed offsets waits for a transaction still open on them, and a zombie whose
 * partitions moved cannot commit offsets (or heads) any more. After a commit that failed or whose
 * outcome is unknown, the heads it touched are read again before they are used.
 *
 * <p>The heads are also published, in the same transaction, on the compacted topic {@code
 * hub.audit.chain}: for whoever verifies the audit outside the hub, and as the index {@link
 * AuditLog} reads when a head is not beside its offset.
 */
@Component
public class AuditChain {
  private static final Logger log = LoggerFactory.getLogger(AuditChain.class);
  private static final Duration COMMITTED_TIMEOUT = Duration.ofMinutes(2);

  /** The committed heads of the chains of the partitions this hub owns. */
  private final Map<String, ChainHead> committed = new ConcurrentHashMap<>();

  /** Chains whose committed head is not known for sure: read again before the next use. */
  private final Set<String> unsure = ConcurrentHashMap.newKeySet();

  private final ThreadLocal<Map<String, ChainHead>> pending =
      ThreadLocal.withInitial(LinkedHashMap::new);
  private final KafkaTemplate<String, byte[]> kafka;
  private final AuditLog auditLog;
  private final String headsTopic;
  private final HeadSignatures.Signer signer;

  public AuditChain(
      KafkaTemplate<String, byte[]> kafka, AuditLog auditLog, HubProperties properties) {
    this.kafka = kafka;
    this.auditLog = auditLog;
    this.headsTopic = properties.topics().auditChain();
    if (properties.headSigningKey().isBlank()) {
      log.warn(
          "Signing audit chain heads with the LOCAL DEMO key, which is public: set"
              + " HUB_HEAD_SIGNING_KEY and HUB_HEAD_PUBLIC_KEY for real data");
      this.signer =
          HeadSignatures.Signer.of(HeadSignatures.DEMO_PRIVATE_KEY, HeadSignatures.DEMO_PUBLIC_KEY);
    } else {
      this.signer =
          HeadSignatures.Signer.of(properties.headSigningKey(), properties.headPublicKey());
    }
  }

  /** The chain of the records from {@code partition}. */
  public static String chainId(String topic, int partition) {
    return topic + "-" + partition;
  }

  /**
   * Links {@code record} to its chain, seals it with its hash and returns its encoding for
   * hub.audit. The chain advances when the transaction commits.
   */
  public byte[] seal(AuditRecord record) {
    String chainId = record.getChainId();
    ChainHead head = pending.get().get(chainId);
    if (head == null) {
      head = committed.get(chainId);
    }
    if (head == null || unsure.contains(chainId)) {
      // Never a guess: a chain continued from the wrong head is a fork.
      throw new IllegalStateException(
          "the head of audit chain " + chainId + " is not known here; the batch is retried");
    }
    record.setSequence(head.getSequence() + 1);
    record.setPreviousHash(head.getHash());
    byte[] sealed = AuditHash.sealed(record);
    pending.get().put(chainId, new ChainHead(chainId, record.getSequence(), record.getHash()));
    return sealed;
  }

  /**
   * The heads this thread's transaction moved, as the metadata its offsets are committed with (the
   * listener container asks for it while it sends the offsets to the transaction).
   */
  public String offsetMetadata() {
    return ChainHeadMetadata.encode(pending.get().values());
  }

  /**
   * Publishes the heads this thread's transaction moved on hub.audit.chain, signed by the hub, in
   * the transaction.
   */
  public void writeHeads() {
    for (ChainHead head : pending.get().values()) {
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(headsTopic, head.getChainId(), SingleObjectEncoding.bytes(head));
      record.headers().add(HeadSignatures.SIGNATURE_HEADER, signer.sign(head));
      record
          .headers()
          .add(HeadSignatures.KEY_ID_HEADER, signer.keyId().getBytes(StandardCharsets.UTF_8));
      kafka.send(record);
    }
  }

  public void afterCommit() {
    committed.putAll(pending.get());
    pending.get().clear();
  }

  /**
   * The transaction did not commit, or nobody knows whether it did (a commit that timed out): the
   * heads it touched are read again from the committed offsets before they are used.
   */
  public void afterRollback() {
    unsure.addAll(pending.get().keySet());
    pending.get().clear();
  }

  /** Partitions given to this hub: their heads, from their committed offsets. */
  public void onAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    load(consumer, partitions);
  }

  /** Partitions taken from this hub (revoked or lost): their heads are someone else's now. */
  public void onRevoked(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      String chainId = chainId(partition.topic(), partition.partition());
      committed.remove(chainId);
      unsure.remove(chainId);
    }
  }

  /** Before a batch: the heads of its partitions that are unsure or unknown are read again. */
  public void ensureKnown(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    Set<TopicPartition> reload = new HashSet<>();
    for (TopicPartition partition : partitions) {
      String chainId = chainId(partition.topic(), partition.partition());
      if (unsure.contains(chainId) || !committed.containsKey(chainId)) {
        reload.add(partition);
      }
    }
    if (!reload.isEmpty()) {
      load(consumer, reload);
    }
  }

  private void load(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    // read_committed: the broker answers once no transaction is still open on these offsets.
    Map<TopicPartition, OffsetAndMetadata> offsets =
        consumer.committed(new HashSet<>(partitions), COMMITTED_TIMEOUT);
    Map<String, TopicPartition> withoutHead = new LinkedHashMap<>();
    Set<String> neverCommitted = new HashSet<>();
    for (TopicPartition partition : partitions) {
      String chainId = chainId(partition.topic(), partition.partition());
      OffsetAndMetadata offset = offsets.get(partition);
      ChainHead head =
          offset == null ? null : ChainHeadMetadata.head(offset.metadata(), chainId).orElse(null);
      if (head == null) {
        withoutHead.put(chainId, partition);
        if (offset == null) {
          neverCommitted.add(chainId);
        }
      } else {
        committed.put(chainId, head);
        unsure.remove(chainId);
      }
    }
    if (!withoutHead.isEmpty()) {
      // No head beside the offset: never committed here, or committed without heads (offsets that
      // expired, or from before heads were kept there). The audit itself says.
      Set<String> committedWithoutHead = new HashSet<>(withoutHead.keySet());
      committedWithoutHead.removeAll(neverCommitted);
      Map<String, ChainHead> found = new HashMap<>();
      if (!neverCommitted.isEmpty()) {
        found.putAll(auditLog.lastHeads(neverCommitted, false));
      }
      if (!committedWithoutHead.isEmpty()) {
        found.putAll(auditLog.lastHeads(committedWithoutHead, true));
      }
      for (String chainId : withoutHead.keySet()) {
        committed.put(
            chainId, found.getOrDefault(chainId, new ChainHead(chainId, 0L, AuditHash.GENESIS)));
        unsure.remove(chainId);
      }
    }
    log.info(
        "Audit chain heads of {} partition(s) loaded: {} beside their committed offsets, {} from the"
            + " audit ({} of them new chains)",
        partitions.size(),
        partitions.size() - withoutHead.size(),
        withoutHead.size(),
        withoutHead.keySet().stream().filter(c -> committed.get(c).getSequence() == 0).count());
  }
}
