package nl.covenanthub.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What happened, read back as a privacy officer would, with read_committed consumers: every event
 * decided exactly once per recipient, no delivery without its audit record nor a disclosure audited
 * without its delivery, every withdrawal and erasure request told once to each recipient of its
 * case, every event accepted over HTTP disclosed at most once per recipient, every chain unbroken
 * and ending where its signed head says, and the console's index holding every audit record.
 */
record Verdict(
    long events,
    long delivered,
    long withheld,
    long deadlettered,
    long lost,
    long duplicated,
    long unaudited,
    long chainBreaks,
    long consoleMissing,
    int kills) {

  boolean holds() {
    return lost == 0
        && duplicated == 0
        && unaudited == 0
        && chainBreaks == 0
        && consoleMissing == 0;
  }

  String line() {
    return "events="
        + events
        + " delivered="
        + delivered
        + " withheld="
        + withheld
        + " deadlettered="
        + deadlettered
        + " lost="
        + lost
        + " duplicated="
        + duplicated
        + " unaudited="
        + unaudited
        + " chain_breaks="
        + chainBreaks
        + " console_missing="
        + consoleMissing
        + " kills="
        + kills;
  }

  /** The event type of the notice that tells a recipient of a withdrawal or an erasure request. */
  static final String WITHDRAWAL_NOTICE = "WithdrawalNotice";

  /** The event type of a recipient's acknowledgement, passed on to the partner that asked. */
  static final String ACKNOWLEDGEMENT = "WithdrawalAcknowledgement";

  /** The audit, the inboxes, the dead letters and the signed chain heads as they are now. */
  record Observed(
      List<AuditRecord> audit,
      List<ConsumerRecord<String, byte[]>> inboxes,
      List<ConsumerRecord<String, byte[]>> deadLetters,
      List<ConsumerRecord<String, byte[]>> heads) {
    static Observed read(Map<String, Object> superUser, Collection<String> partners) {
      AuditHash.trustGeneratedClasses();
      List<AuditRecord> audit = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : snapshot(superUser, "hub.audit")) {
        try {
          audit.add(AuditRecord.fromByteBuffer(ByteBuffer.wrap(record.value())));
        } catch (IOException e) {
          throw new IllegalStateException(
              "an unreadable audit record at offset " + record.offset(), e);
        }
      }
      List<ConsumerRecord<String, byte[]>> inboxes = new ArrayList<>();
      for (String partner : partners) {
        inboxes.addAll(snapshot(superUser, "partner." + partner + ".inbox"));
      }
      return new Observed(
          audit,
          inboxes,
          snapshot(superUser, "hub.deadletter"),
          snapshot(superUser, "hub.audit.chain"));
    }

    /**
     * Whether every record the broker took for the partners, and every event a hub accepted over
     * HTTP, has at least one audit record.
     */
    boolean decidedAll(Sent sent) {
      Set<String> sources = new HashSet<>();
      Set<String> eventIds = new HashSet<>();
      audit.forEach(
          a -> {
            sources.add(source(a));
            eventIds.add(a.getEventId());
          });
      return concat(sent.valid(), sent.hostile()).stream()
              .allMatch(p -> sources.contains(source(p)))
          && eventIds.containsAll(sent.acceptedOverHttp());
    }
  }

  /**
   * What the partners sent that the hubs must account for.
   *
   * @param valid the valid events the broker took on the partners' outboxes
   * @param hostile the hostile partner's records the broker took
   * @param noticeRequests the withdrawals and erasure requests among {@code valid}
   * @param acknowledgements the acknowledgements of notices among {@code valid}
   * @param acceptedOverHttp the event ids a hub answered 202 for over HTTP (however often sent)
   * @param refusedOverHttp the event ids of valid events over HTTP that no hub accepted
   */
  record Sent(
      Collection<Traffic.Published> valid,
      Collection<Traffic.Published> hostile,
      Collection<Traffic.NoticeRequest> noticeRequests,
      Collection<Traffic.Published> acknowledgements,
      Collection<String> acceptedOverHttp,
      Collection<String> refusedOverHttp) {}

  static Verdict of(
      Observed observed, Sent sent, Set<String> indexed, HeadSignatures.Verifier heads, int kills) {
    Map<String, List<AuditRecord>> bySource = new HashMap<>();
    Map<String, Integer> perEventAndRecipient = new HashMap<>();
    // By event id: an event sent over HTTP may reach the outbox more than once (a retry after the
    // hub that took it died before answering), and is still disclosed at most once per recipient.
    Map<String, Map<String, Integer>> disclosuresOfEvent = new HashMap<>();
    Set<String> disclosed = new HashSet<>();
    long withheld = 0;
    for (AuditRecord a : observed.audit()) {
      bySource.computeIfAbsent(source(a), k -> new ArrayList<>()).add(a);
      // By event type too: a withdrawal is decided for a recipient, and may also be told to it.
      String recipientAndType = a.getRecipient() + "/" + a.getEventType();
      perEventAndRecipient.merge(source(a) + "/" + recipientAndType, 1, Integer::sum);
      Map<String, Integer> ofEvent =
          disclosuresOfEvent.computeIfAbsent(a.getEventId(), e -> new HashMap<>());
      if (a.getDecision() == AuditDecision.DISCLOSED) {
        disclosed.add(a.getDisclosureId());
        ofEvent.merge(recipientAndType, 1, Integer::sum);
      } else if (a.getDecision() == AuditDecision.WITHHELD) {
        withheld++;
      }
    }
    long lost = 0;
    for (Traffic.Published p : concat(sent.valid(), sent.hostile())) {
      if (!bySource.containsKey(source(p))) {
        lost++;
      }
    }
    long duplicated = perEventAndRecipient.values().stream().filter(n -> n > 1).count();
    Map<String, Integer> deadLettered = new HashMap<>();
    for (ConsumerRecord<String, byte[]> letter : observed.deadLetters()) {
      String source =
          header(letter, "deadletter-source-topic")
              + "/"
              + header(letter, "deadletter-source-partition")
              + "/"
              + header(letter, "deadletter-source-offset");
      deadLettered.merge(source, 1, Integer::sum);
    }
    duplicated += deadLettered.values().stream().filter(n -> n > 1).count();
    // A refused record is kept only if its dead letter was written too.
    for (Map.Entry<String, List<AuditRecord>> source : bySource.entrySet()) {
      boolean refused =
          source.getValue().stream().anyMatch(a -> a.getDecision() == AuditDecision.REJECTED);
      if (refused && !deadLettered.containsKey(source.getKey())) {
        lost++;
      }
    }
    Map<String, Integer> deliveries = new HashMap<>();
    long unaudited = 0;
    for (ConsumerRecord<String, byte[]> inbox : observed.inboxes()) {
      String id = header(inbox, "disclosure-id");
      deliveries.merge(String.valueOf(id), 1, Integer::sum);
      if (id == null || !disclosed.contains(id)) {
        unaudited++;
      }
    }
    duplicated += deliveries.values().stream().filter(n -> n > 1).count();
    for (AuditRecord a : observed.audit()) {
      if (a.getDecision() == AuditDecision.DISCLOSED
          && !deliveries.containsKey(a.getDisclosureId())) {
        lost++; // audited as disclosed, never delivered
      }
    }
    for (Traffic.NoticeRequest n : sent.noticeRequests()) {
      Set<String> received = recipients(bySource, source(n.signal()), null);
      Set<String> told = recipients(bySource, source(n.request()), WITHDRAWAL_NOTICE);
      lost += received.stream().filter(r -> !told.contains(r)).count();
      // Told twice is counted above (the same event, recipient and type).
      duplicated += told.stream().filter(r -> !received.contains(r)).count();
    }
    for (Traffic.Published ack : sent.acknowledgements()) {
      if (recipients(bySource, source(ack), ACKNOWLEDGEMENT).isEmpty()) {
        lost++; // not passed on to the partner that withdrew or asked erasure
      }
    }
    for (String eventId : sent.acceptedOverHttp()) {
      Map<String, Integer> ofEvent = disclosuresOfEvent.get(eventId);
      if (ofEvent == null) {
        lost++; // accepted, never decided
      } else {
        duplicated += ofEvent.values().stream().filter(n -> n > 1).count();
      }
    }
    lost += sent.refusedOverHttp().size(); // valid events no hub took
    long consoleMissing =
        observed.audit().stream()
            .filter(a -> !indexed.contains(a.getChainId() + "#" + a.getSequence()))
            .count();
    return new Verdict(
        sent.valid().size() + sent.acceptedOverHttp().size(),
        observed.inboxes().size(),
        withheld,
        deadLettered.size(),
        lost,
        duplicated,
        unaudited,
        chainBreaks(observed.audit(), observed.heads(), heads),
        consoleMissing,
        kills);
  }

  /** The recipients of what the audit disclosed from one source record (of one event type). */
  private static Set<String> recipients(
      Map<String, List<AuditRecord>> bySource, String source, String eventType) {
    Set<String> recipients = new HashSet<>();
    for (AuditRecord a : bySource.getOrDefault(source, List.of())) {
      if (a.getDecision() == AuditDecision.DISCLOSED
          && (eventType == null || eventType.equals(a.getEventType()))) {
        recipients.add(a.getRecipient());
      }
    }
    return recipients;
  }

  private static String source(AuditRecord a) {
    return a.getSourceTopic() + "/" + a.getSourcePartition() + "/" + a.getSourceOffset();
  }

  private static String source(Traffic.Published p) {
    return p.topic() + "/" + p.partition() + "/" + p.offset();
  }

  /**
   * Chains that do not count 1, 2, 3… in hub.audit order or do not link hash to hash, and chains
   * whose latest head on hub.audit.chain is missing, not signed by the hubs' key, or not their last
   * record.
   */
  static long chainBreaks(
      List<AuditRecord> audit,
      List<ConsumerRecord<String, byte[]>> headRecords,
      HeadSignatures.Verifier verifier) {
    return brokenChains(audit, headRecords, verifier).size();
  }

  /** The broken chains, each with why: chain ids and positions only, for the operator. */
  static Map<String, String> brokenChains(
      List<AuditRecord> audit,
      List<ConsumerRecord<String, byte[]>> headRecords,
      HeadSignatures.Verifier verifier) {
    Map<String, String> broken = new TreeMap<>(linkBreaks(audit));
    Map<String, AuditRecord> last = new HashMap<>();
    audit.forEach(a -> last.put(a.getChainId(), a));
    Map<String, SignedHead> latest = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : headRecords) {
      ChainHead head = head(record);
      SignedHead known = latest.get(head.getChainId());
      if (known == null || head.getSequence() >= known.head().getSequence()) {
        latest.put(head.getChainId(), new SignedHead(head, record));
      }
    }
    last.forEach(
        (chain, record) -> {
          SignedHead published = latest.get(chain);
          ChainHead head = published == null ? null : published.head();
          String why = null;
          if (head == null) {
            why = "no head on hub.audit.chain";
          } else if (head.getSequence() != record.getSequence()
              || !head.getHash().equals(record.getHash())) {
            why =
                "the latest head is at "
                    + head.getSequence()
                    + ", the last record at "
                    + record.getSequence()
                    + (head.getSequence() == record.getSequence() ? " with another hash" : "");
          } else if (!signed(published.record(), head, verifier)) {
            why = "the latest head's signature does not verify";
          }
          if (why != null) {
            broken.putIfAbsent(chain, why);
          }
        });
    return broken;
  }

  /** A chain head and the record it came in, with its signature. */
  private record SignedHead(ChainHead head, ConsumerRecord<String, byte[]> record) {}

  private static boolean signed(
      ConsumerRecord<String, byte[]> record, ChainHead head, HeadSignatures.Verifier verifier) {
    String keyId = header(record, HeadSignatures.KEY_ID_HEADER);
    Header signature = record.headers().lastHeader(HeadSignatures.SIGNATURE_HEADER);
    return keyId != null && signature != null && verifier.verify(head, keyId, signature.value());
  }

  private static ChainHead head(ConsumerRecord<String, byte[]> record) {
    try {
      return ChainHead.fromByteBuffer(ByteBuffer.wrap(record.value()));
    } catch (IOException e) {
      throw new IllegalStateException("an unreadable chain head at offset " + record.offset(), e);
    }
  }

  /** Chains (in hub.audit order) that do not count 1, 2, 3… or do not link hash to hash. */
  static Map<String, String> linkBreaks(List<AuditRecord> audit) {
    Map<String, AuditRecord> last = new HashMap<>();
    Map<String, String> broken = new HashMap<>();
    for (AuditRecord record : audit) {
      AuditRecord before = last.get(record.getChainId());
      long expected = before == null ? 1 : before.getSequence() + 1;
      String previous = before == null ? AuditHash.GENESIS : before.getHash();
      if (record.getSequence() != expected) {
        broken.putIfAbsent(
            record.getChainId(),
            "record " + record.getSequence() + " where " + expected + " was due");
      } else if (!AuditHash.follows(record, previous)) {
        broken.putIfAbsent(
            record.getChainId(),
            "record " + record.getSequence() + " does not link to the one before");
      }
      last.put(record.getChainId(), record);
    }
    return broken;
  }

  /** What the console's index holds: chain and position of every record. */
  static Set<String> indexed(String jdbcUrl, String password) throws SQLException {
    Set<String> positions = new HashSet<>();
    try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", password);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT chain_id, sequence FROM audit_record")) {
      while (rows.next()) {
        positions.add(rows.getString(1) + "#" + rows.getLong(2));
      }
    }
    return positions;
  }

  private static List<ConsumerRecord<String, byte[]>> snapshot(
      Map<String, Object> login, String topic) {
    Map<String, Object> config = new HashMap<>(login);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicSnapshot.read(consumer, topic, Duration.ofSeconds(60), records::add);
    }
    return records;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static <T> List<T> concat(Collection<T> a, Collection<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
