package nl.covenanthub.hub.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nl.covenanthub.hub.TopicFollower;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.lifecycle.IndexFacts.Acknowledgement;
import nl.covenanthub.hub.lifecycle.IndexFacts.Disclosure;
import nl.covenanthub.hub.lifecycle.IndexFacts.Notice;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Which recipients received what of which case, which of them were told to erase it, and which
 * acknowledged: what a withdrawal, an erasure or the end of a retention must reach ({@link
 * IndexFacts}).
 *
 * <p>Kept on the topic {@value #TOPIC}, each fact written in the listener's transaction with the
 * decision it follows from (so the index knows a recipient exactly when the disclosure committed),
 * and followed by every hub instance from the beginning. Within a batch, the facts it wrote count
 * at once for that batch; for others only once it committed. Before a hub works on partitions it
 * was given, it reads what was committed up to then, also behind a transaction still open ({@link
 * #catchUp}).
 */
@Component
public class DisclosureIndex implements SmartLifecycle {
  public static final String TOPIC = "hub.disclosure-index";
  private static final Logger log = LoggerFactory.getLogger(DisclosureIndex.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CATCH_UP = Duration.ofMinutes(2);
  private static final String DISCLOSURE = "disclosure/";
  private static final String NOTICE = "notice/";
  private static final String ACK = "ack/";

  private final Map<String, Map<String, Disclosure>> disclosuresByCase = new ConcurrentHashMap<>();

  /** The case of each disclosure the index holds, by its id. */
  private final Map<String, String> caseOfDisclosure = new ConcurrentHashMap<>();

  /**
   * Disclosures this instance forgot when its acknowledgement committed, until its follower reads
   * their tombstones: a follower still behind reads the disclosure itself first, and must not bring
   * it back. As many as the follower lags behind.
   */
  private final Set<String> forgottenAhead = ConcurrentHashMap.newKeySet();

  private final Map<String, Set<String>> casesBySubject = new ConcurrentHashMap<>();
  private final Map<String, Notice> notices = new ConcurrentHashMap<>();

  /** The notices about each case: what a withdrawal of one case looks at, not every notice. */
  private final Map<String, Set<Notice>> noticesByCase = new ConcurrentHashMap<>();

  private final Map<String, Acknowledgement> acknowledgements = new ConcurrentHashMap<>();
  private final Map<String, String> sharedStrings = new ConcurrentHashMap<>();
  private final ThreadLocal<List<Object>> pending = ThreadLocal.withInitial(ArrayList::new);
  private final KafkaTemplate<String, byte[]> kafka;
  private final TopicFollower follower;

  public DisclosureIndex(
      KafkaTemplate<String, byte[]> kafka, ConsumerFactory<?, ?> consumers, KafkaAdmin admin) {
    this.kafka = kafka;
    admin.createOrModifyTopics(topic());
    this.follower = new TopicFollower(TOPIC, consumers, this::take);
  }

  /**
   * One partition: every instance reads all of it. Compacted, although each key is written once: a
   * disclosure its recipient erased (a tombstone) leaves the topic within about a day.
   */
  static NewTopic topic() {
    return Topics.compactedForgettingSoon(TOPIC).build();
  }

  /**
   * What was disclosed of a case, committed or in this thread's batch, oldest first; not what its
   * recipient confirmed it erased.
   */
  public List<Disclosure> disclosuresOf(String caseKey) {
    Map<String, Disclosure> committed = disclosuresByCase.getOrDefault(caseKey, Map.of());
    Set<String> forgotten =
        pendingOf(Forgotten.class).map(Forgotten::disclosureId).collect(Collectors.toSet());
    return Stream.concat(
            committed.values().stream(),
            pendingOf(Disclosure.class)
                .filter(d -> d.caseKey().equals(caseKey))
                .filter(d -> !committed.containsKey(d.disclosureId())))
        .filter(d -> !forgotten.contains(d.disclosureId()))
        .sorted(Comparator.comparingLong(Disclosure::at))
        .toList();
  }

  /** The cases of {@code sender} about the subject with this pseudonym. */
  public Set<String> casesOf(String sender, String subject) {
    Set<String> cases = new TreeSet<>(casesBySubject.getOrDefault(subject, Set.of()));
    pendingOf(Disclosure.class)
        .filter(d -> subject.equals(d.subject()))
        .forEach(d -> cases.add(d.caseKey()));
    cases.removeIf(c -> disclosuresOf(c).stream().noneMatch(d -> d.sender().equals(sender)));
    return cases;
  }

  /**
   * The committed disclosures whose retention ended by {@code now} and that no notice named yet: to
   * be told to their recipients.
   */
  public List<Disclosure> retentionEnded(Instant now) {
    Set<String> named = new java.util.HashSet<>();
    notices.values().forEach(n -> named.addAll(n.disclosureIds()));
    return disclosuresByCase.values().stream()
        .flatMap(c -> c.values().stream())
        .filter(d -> d.retainUntil() != null && d.retainUntil() <= now.toEpochMilli())
        .filter(d -> !named.contains(d.disclosureId()))
        .toList();
  }

  /** The disclosure ids a notice to {@code recipient} named already, about the case. */
  public Set<String> named(String caseKey, String recipient) {
    return named(noticesAbout(caseKey).filter(n -> n.recipient().equals(recipient)));
  }

  /**
   * The disclosure ids a notice to {@code recipient} named already for {@code reason}, about the
   * case: not what it received since.
   */
  public Set<String> named(String caseKey, String recipient, String reason) {
    return named(
        noticesAbout(caseKey)
            .filter(n -> n.recipient().equals(recipient) && n.reason().equals(reason)));
  }

  private static Set<String> named(Stream<Notice> notices) {
    Set<String> named = new java.util.HashSet<>();
    notices.forEach(n -> named.addAll(n.disclosureIds()));
    return named;
  }

  /** The notices about a case, committed or in this thread's batch. */
  private Stream<Notice> noticesAbout(String caseKey) {
    return Stream.concat(
        noticesByCase.getOrDefault(caseKey, Set.of()).stream(),
        pendingOf(Notice.class).filter(n -> n.caseKey().equals(caseKey)));
  }

  /**
   * A notice, even one another instance sent just now: what committed before this call counts, also
   * behind a transaction still open (a killed instance's) as long as this thread's transaction
   * wrote nothing to the index yet. Once it did, only up to the oldest open transaction, which may
   * be this one: waiting for it would wait for itself.
   */
  public Optional<Notice> notice(String noticeId) {
    Optional<Notice> notice = findNotice(noticeId);
    if (notice.isEmpty()) {
      if (pending.get().isEmpty()) {
        catchUp();
      } else {
        catchUpCommitted();
      }
      notice = findNotice(noticeId);
    }
    return notice;
  }

  public Collection<Notice> notices() {
    return List.copyOf(notices.values());
  }

  public Optional<Acknowledgement> acknowledgement(String noticeId) {
    return Optional.ofNullable(acknowledgements.get(noticeId))
        .or(
            () ->
                pendingOf(Acknowledgement.class)
                    .filter(a -> a.noticeId().equals(noticeId))
                    .findFirst());
  }

  /** Writes {@code fact} in the current transaction. */
  public void record(Object fact) {
    String key;
    if (fact instanceof Disclosure d) {
      key = DISCLOSURE + d.disclosureId();
    } else if (fact instanceof Notice n) {
      key = NOTICE + n.noticeId();
    } else if (fact instanceof Acknowledgement a) {
      key = ACK + a.noticeId();
    } else {
      throw new IllegalArgumentException("not an index fact: " + fact.getClass());
    }
    try {
      kafka.send(TOPIC, 0, key, JSON.writeValueAsBytes(fact));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    pending.get().add(fact);
  }

  /**
   * Forgets these disclosures in the current transaction: their recipient confirmed it erased them
   * (it acknowledged a notice naming them), so no later withdrawal, erasure or end of retention is
   * about them. A tombstone per disclosure on the topic, so every instance forgets them, and the
   * topic too once it is compacted.
   */
  public void forget(Collection<String> disclosureIds) {
    for (String id : disclosureIds) {
      kafka.send(TOPIC, 0, DISCLOSURE + id, null);
      pending.get().add(new Forgotten(id));
    }
  }

  /** A disclosure forgotten in this thread's batch, until the batch commits. */
  private record Forgotten(String disclosureId) {}

  /**
   * Before a hub works on partitions it was given: what their previous owner committed. Also what
   * it committed behind a transaction still open: one a killed instance left holds back every
   * read_committed reader until the broker aborts it, and a case disclosed meanwhile by the
   * instance that took over the killed one's partitions, then withdrawn here after they came back,
   * would not reach its recipients. Not inside a transaction that wrote to the index (it would wait
   * for itself).
   */
  public void catchUp() {
    follower.catchUpThroughOpenTransactions(CATCH_UP);
  }

  /** What was committed before this call, up to the oldest transaction still open. */
  void catchUpCommitted() {
    follower.catchUp(CATCH_UP);
  }

  public void afterCommit() {
    // Only while this instance still holds it: once the follower applied the tombstone, it is
    // past the disclosure too (atomic with its removal there, so no id is left behind).
    pendingOf(Forgotten.class)
        .forEach(
            f ->
                caseOfDisclosure.computeIfPresent(
                    f.disclosureId(),
                    (id, caseKey) -> {
                      forgottenAhead.add(id);
                      return caseKey;
                    }));
    pending.get().forEach(this::apply);
    pending.get().clear();
  }

  public void afterRollback() {
    pending.get().clear();
  }

  private Optional<Notice> findNotice(String noticeId) {
    return Optional.ofNullable(notices.get(noticeId))
        .or(() -> pendingOf(Notice.class).filter(n -> n.noticeId().equals(noticeId)).findFirst());
  }

  private <T> Stream<T> pendingOf(Class<T> type) {
    return pending.get().stream().filter(type::isInstance).map(type::cast);
  }

  private void take(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      if (record.key() != null && record.key().startsWith(DISCLOSURE)) {
        String disclosureId = record.key().substring(DISCLOSURE.length());
        apply(new Forgotten(disclosureId));
        forgottenAhead.remove(disclosureId);
      }
      return;
    }
    try {
      if (record.key().startsWith(DISCLOSURE)) {
        String disclosureId = record.key().substring(DISCLOSURE.length());
        if (caseOfDisclosure.containsKey(disclosureId) || forgottenAhead.contains(disclosureId)) {
          return; // applied, or forgotten, when this instance committed: not parsed again
        }
        apply(sharingStrings(JSON.readValue(record.value(), Disclosure.class)));
      } else if (record.key().startsWith(NOTICE)) {
        apply(JSON.readValue(record.value(), Notice.class));
      } else if (record.key().startsWith(ACK)) {
        apply(JSON.readValue(record.value(), Acknowledgement.class));
      }
    } catch (IOException e) {
      log.warn("{}@{} is not an index fact; ignored", TOPIC, record.offset());
    }
  }

  /**
   * The fact with one instance of each partner id, purpose and covenant id and hash among all
   * facts, and its view's case reference the same instance as its own when they are equal: a fact
   * read back as JSON has strings of its own, and those took more than half of its memory (about
   * 690 bytes a fact with its strings, 300 when they are shared; docs/case-lifecycle.md, "Memory").
   * The shared strings are as few as the covenants' parties, purposes and versions.
   */
  private Disclosure sharingStrings(Disclosure d) {
    return new Disclosure(
        d.disclosureId(),
        d.caseKey(),
        shared(d.sender()),
        d.caseReference(),
        d.subject(),
        shared(d.recipient()),
        shared(d.purpose()),
        shared(d.covenantId()),
        d.covenantVersion(),
        shared(d.covenantHash()),
        sameAs(d.caseReference(), d.viewCaseReference()),
        d.at(),
        d.retainUntil());
  }

  private String shared(String value) {
    return value == null ? null : sharedStrings.computeIfAbsent(value, v -> v);
  }

  /** {@code value}, as the instance {@code original} when they are equal. */
  static String sameAs(String original, String value) {
    return Objects.equals(original, value) ? original : value;
  }

  /**
   * A case's disclosures, and its place among its subject's cases, change only inside the atomic
   * operation on its entry (compute, computeIfPresent): a disclosure applied while another of its
   * case is forgotten is never put into a map just removed, and no empty entry is left behind.
   */
  private void apply(Object fact) {
    if (fact instanceof Disclosure d) {
      caseOfDisclosure.put(d.disclosureId(), d.caseKey());
      disclosuresByCase.compute(
          d.caseKey(),
          (c, held) -> {
            Map<String, Disclosure> disclosures = held == null ? new ConcurrentHashMap<>() : held;
            disclosures.put(d.disclosureId(), d);
            if (d.subject() != null) {
              casesBySubject.compute(
                  d.subject(),
                  (s, cases) -> {
                    Set<String> of = cases == null ? ConcurrentHashMap.newKeySet() : cases;
                    of.add(c);
                    return of;
                  });
            }
            return disclosures;
          });
    } else if (fact instanceof Forgotten f) {
      String caseKey = caseOfDisclosure.remove(f.disclosureId());
      if (caseKey != null) {
        removeFromCase(caseKey, f.disclosureId());
      }
    } else if (fact instanceof Notice n) {
      notices.put(n.noticeId(), n);
      noticesByCase.computeIfAbsent(n.caseKey(), c -> ConcurrentHashMap.newKeySet()).add(n);
    } else if (fact instanceof Acknowledgement a) {
      acknowledgements.putIfAbsent(a.noticeId(), a);
    }
  }

  /**
   * Removes a disclosure from its case, and the case from its subject's cases when no other
   * disclosure of the case names that subject.
   */
  private void removeFromCase(String caseKey, String disclosureId) {
    disclosuresByCase.computeIfPresent(
        caseKey,
        (c, held) -> {
          Disclosure removed = held.remove(disclosureId);
          String subject = removed == null ? null : removed.subject();
          if (subject != null
              && held.values().stream().noneMatch(d -> subject.equals(d.subject()))) {
            casesBySubject.computeIfPresent(
                subject,
                (s, cases) -> {
                  cases.remove(c);
                  return cases.isEmpty() ? null : cases;
                });
          }
          return held.isEmpty() ? null : held;
        });
  }

  @Override
  public void start() {
    follower.start();
  }

  /** Before the retention triggers' container, whose first batch catches up on the index. */
  @Override
  public int getPhase() {
    return DEFAULT_PHASE - 1;
  }

  @Override
  public void stop() {
    follower.stop();
  }

  @Override
  public boolean isRunning() {
    return follower.isRunning();
  }
}
