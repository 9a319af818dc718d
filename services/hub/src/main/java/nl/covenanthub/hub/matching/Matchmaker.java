package nl.covenanthub.hub.matching;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.events.MatchNotice;
import nl.covenanthub.hub.audit.Auditor;
import nl.covenanthub.hub.disclosure.DecidedEvent;
import nl.covenanthub.hub.disclosure.DisclosureIds;
import nl.covenanthub.hub.disclosure.TraceContext;
import nl.covenanthub.hub.intake.IncomingEvent;
import nl.covenanthub.hub.lifecycle.HubMessages;
import nl.covenanthub.hub.lifecycle.HubTopicContainers;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Hit/no-hit matching (docs/case-lifecycle.md). The outbox route writes a {@link MatchCandidate}
 * for every event with a BSN under a purpose whose covenant allows matching, in the transaction of
 * its decisions, on the one partition of {@value #TOPIC}; this class reads them back in order, in
 * the hub's consumer group and in transactions, so matching sees every partner's cases in one
 * order, whichever instance decided them. Two partners that hold open cases about the same subject
 * are each sent a {@code MatchNotice} with the other's contact and case reference; every check, hit
 * or no-hit, is audited (chain {@code hub.matching-0}). A partner is matched only on subjects it
 * signalled itself: a query about another finds nothing, and is audited.
 */
@Component
public class Matchmaker implements SmartLifecycle {
  public static final String TOPIC = "hub.matching";
  static final String NOTICE = "MatchNotice";
  static final String CHECK = "MatchCheck";
  private static final Logger log = LoggerFactory.getLogger(Matchmaker.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema NOTICE_SCHEMA = MatchNotice.getClassSchema();
  private static final List<String> NOTICE_FIELDS =
      List.of("otherPartner", "otherCaseReference", "otherContact");
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
  private static final Map<String, String> CHECKS =
      Map.of(
          "NO_MATCH", "no other partner holds an open case about the subject",
          "ALREADY_MATCHED", "the partners that hold the subject were told of this one before",
          "NOT_SIGNALLED", "the partner holds no case about the subject under this purpose",
          "MATCH_ENDED", "the case closed: a match it made has ended");

  private final Pseudonymiser matchPseudonyms;
  private final Pseudonymiser subjects;
  private final Pseudonymiser caseKeys;
  private final KafkaTemplate<String, byte[]> kafka;
  private final KafkaProperties kafkaProperties;
  private final HubMessages messages;
  private final Auditor auditor;
  private final java.time.Clock clock;
  private final ConcurrentMessageListenerContainer<Object, Object> container;
  private volatile MatchBook book = new MatchBook();

  public Matchmaker(
      Pseudonymiser matchingPseudonymiser,
      Pseudonymiser subjectPseudonymiser,
      Pseudonymiser recordKeyPseudonymiser,
      KafkaTemplate<String, byte[]> kafka,
      KafkaProperties kafkaProperties,
      KafkaAdmin admin,
      HubMessages messages,
      Auditor auditor,
      HubTopicContainers containers,
      java.time.Clock clock) {
    this.clock = clock;
    this.matchPseudonyms = matchingPseudonymiser;
    this.subjects = subjectPseudonymiser;
    this.caseKeys = recordKeyPseudonymiser;
    this.kafka = kafka;
    this.kafkaProperties = kafkaProperties;
    this.messages = messages;
    this.auditor = auditor;
    admin.createOrModifyTopics(topic());
    this.container =
        containers.create(
            TOPIC,
            new HubTopicContainers.Reader() {
              @Override
              public void read(
                  List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
                if (book == null) {
                  book = rebuilt(consumer);
                }
                records.forEach(Matchmaker.this::take);
              }

              @Override
              public void assigned(Consumer<?, ?> consumer) {
                book = rebuilt(consumer);
              }

              @Override
              public void rolledBack() {
                book = null; // what the batch did to the book is undone by reading it again
              }
            });
  }

  /** Kept a little longer than the longest a signal counts (two years). */
  static NewTopic topic() {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(800).toMillis()))
        .build();
  }

  /**
   * After an event was decided: a candidate when its purpose allows matching and it names a BSN (a
   * signal or reference opens a case, a status change to CLOSED or WITHDRAWN closes it).
   */
  public void afterDecisions(DecidedEvent decided, CovenantSet covenants) {
    IncomingEvent in = decided.incoming();
    MatchCandidate.Kind kind = kindOf(in);
    if (kind == null || in.bsn().isEmpty()) {
      return;
    }
    covenants
        .matching(in.sender(), in.purpose(), decided.decidedAt())
        .ifPresent(
            grounds ->
                write(
                    candidate(
                        kind,
                        in,
                        decided.subjectPseudonym(),
                        decided.caseKey(),
                        grounds,
                        decided.decidedAt())));
  }

  /**
   * A partner's {@code MatchQuery}: answered from the book when the purpose allows it the matching;
   * otherwise nothing is sent and the refusal is audited.
   */
  public void query(IncomingEvent in, CovenantSet covenants) {
    Instant at = clock.instant();
    Optional<CovenantSet.MatchingGrounds> grounds =
        covenants.matching(in.sender(), in.purpose(), at);
    if (grounds.isEmpty() || in.bsn().isEmpty()) {
      auditor.withheldByHub(
          in, "NOT_MATCHABLE", "the purpose allows this partner no matching, or names no BSN", at);
      return;
    }
    write(
        candidate(
            MatchCandidate.Kind.QUERY,
            in,
            subjects.pseudonym(in.bsn().get()),
            caseKeys.pseudonym(in.sender() + "/" + in.caseReference()),
            grounds.get(),
            at));
  }

  private static MatchCandidate.Kind kindOf(IncomingEvent in) {
    switch (in.eventType()) {
      case "CaseSignal", "CaseReference":
        return MatchCandidate.Kind.OPEN;
      case "CaseStatusChange":
        String status = String.valueOf(in.event().get("status"));
        return status.equals("CLOSED") || status.equals("WITHDRAWN")
            ? MatchCandidate.Kind.CLOSE
            : MatchCandidate.Kind.OPEN;
      default:
        return null;
    }
  }

  private MatchCandidate candidate(
      MatchCandidate.Kind kind,
      IncomingEvent in,
      String auditSubject,
      String caseKey,
      CovenantSet.MatchingGrounds grounds,
      Instant at) {
    GenericRecord contact =
        in.event().hasField("contact") && in.event().get("contact") instanceof GenericRecord c
            ? c
            : null;
    String bsn = in.bsn().orElseThrow();
    CovenantRef covenant = grounds.covenant();
    return new MatchCandidate(
        kind,
        in.purpose(),
        matchPseudonyms.pseudonym(in.purpose() + "/" + bsn),
        auditSubject,
        in.sender(),
        caseKey,
        in.caseReference(),
        text(contact, "name"),
        text(contact, "organisation"),
        text(contact, "phone"),
        text(contact, "email"),
        in.eventId(),
        at.toEpochMilli(),
        grounds.keepUntil(at).toEpochMilli(),
        covenant.id(),
        covenant.version(),
        covenant.contentHash(),
        grounds.legalBasis());
  }

  private void write(MatchCandidate candidate) {
    try {
      kafka.send(TOPIC, 0, candidate.subject(), JSON.writeValueAsBytes(candidate));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One candidate, in the listener's transaction: the book moves on; notices and audit follow. */
  private void take(ConsumerRecord<String, byte[]> record) {
    MatchCandidate c = parse(record);
    if (c == null) {
      return;
    }
    MatchBook.Outcome outcome = book.take(c);
    Instant at = Instant.ofEpochMilli(c.at());
    for (MatchBook.Tell tell : outcome.tell()) {
      notice(record, tell, at);
    }
    if (outcome.check() != null) {
      auditor.withheldByHub(
          new Auditor.HubWithholding(
              record,
              DisclosureIds.of(record, ""),
              c.partner(),
              null, // a check about the person and the case, not one more decision on the event
              CHECK,
              c.caseReference(),
              c.purpose(),
              c.auditSubject(),
              at,
              outcome.check(),
              CHECKS.get(outcome.check())),
          at);
    }
  }

  /** Tells {@code tell.told()}'s partner whom to contact about {@code tell.about()}'s case. */
  private void notice(ConsumerRecord<String, byte[]> source, MatchBook.Tell tell, Instant at) {
    MatchCandidate told = tell.told();
    MatchCandidate about = tell.about();
    String matchId = DisclosureIds.of(source, "match/" + told.partner() + "/" + about.caseId());
    GenericData.Record contact =
        new GenericData.Record(NOTICE_SCHEMA.getField("otherContact").schema());
    contact.put("name", about.contactName() == null ? "" : about.contactName());
    contact.put(
        "organisation", about.contactOrganisation() == null ? "" : about.contactOrganisation());
    contact.put("phone", about.contactPhone());
    contact.put("email", about.contactEmail());
    GenericData.Record notice = new GenericData.Record(NOTICE_SCHEMA);
    notice.put("matchId", matchId);
    notice.put("purpose", told.purpose());
    notice.put("yourCaseReference", told.caseReference());
    notice.put("otherPartner", about.partner());
    notice.put("otherCaseReference", about.caseReference());
    notice.put("otherContact", contact);
    notice.put("occurredAt", at.toEpochMilli());
    CovenantRef covenant =
        new CovenantRef(about.covenantId(), about.covenantVersion(), about.covenantHash());
    TraceContext trace = TraceContext.from(source);
    messages.send(
        told.partner(),
        told.caseKey(),
        notice,
        matchId,
        covenant,
        told.purpose(),
        about.legalBasis(),
        NOTICE,
        trace);
    // What passes is the other's contact and reference: it discloses them to the one told.
    auditor.disclosedByHub(
        new Auditor.HubDisclosure(
            source,
            matchId,
            about.partner(),
            told.partner(),
            null, // about the person and the case, not a decision on the other's event
            NOTICE,
            about.caseReference(),
            about.purpose(),
            about.auditSubject(),
            Instant.ofEpochMilli(about.at()),
            covenant,
            about.legalBasis(),
            NOTICE_FIELDS,
            List.of(),
            trace,
            at));
  }

  /** The book as the committed candidates make it: read from the beginning up to the offset. */
  private MatchBook rebuilt(Consumer<?, ?> groupConsumer) {
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    Map<TopicPartition, OffsetAndMetadata> committed =
        groupConsumer.committed(Set.of(partition), READ_TIMEOUT);
    long end = committed.get(partition) == null ? 0 : committed.get(partition).offset();
    MatchBook rebuilt = new MatchBook();
    if (end == 0) {
      return rebuilt;
    }
    java.util.Properties props = new java.util.Properties();
    props.putAll(kafkaProperties.buildConsumerProperties());
    props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.assign(List.of(partition));
      reader.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (reader.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(TOPIC + " not read back to " + end);
        }
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          if (record.offset() < end) {
            MatchCandidate c = parse(record);
            if (c != null) {
              rebuilt.take(c);
            }
          }
        }
      }
    }
    log.info("Matching: read back {} committed candidate(s)", end);
    return rebuilt;
  }

  private static MatchCandidate parse(ConsumerRecord<String, byte[]> record) {
    try {
      return JSON.readValue(record.value(), MatchCandidate.class);
    } catch (IOException | RuntimeException e) {
      // Only the hub writes this topic; a record it cannot read is skipped, not retried.
      log.warn("{}@{} is not a match candidate; skipped", TOPIC, record.offset());
      return null;
    }
  }

  private static String text(GenericRecord record, String field) {
    if (record == null || !record.hasField(field) || record.get(field) == null) {
      return null;
    }
    return record.get(field).toString();
  }

  @Override
  public void start() {
    container.start();
  }

  @Override
  public void stop() {
    container.stop();
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }
}
