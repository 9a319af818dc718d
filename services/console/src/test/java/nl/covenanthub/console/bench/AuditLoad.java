package nl.covenanthub.console.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantRef;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.covenant.PlanKey;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.covenant.Rule;

/**
 * The audit the hub would write for months of partner traffic under the real covenants of {@code
 * covenants/}: per event, one record per recipient of the covenant (disclosed under a rule's
 * compiled plan, with its field lists, legal basis and covenant hash; withheld for want of a rule
 * or a met condition), now and then a rejected record; hash-chained per outbox partition ({@code
 * partner.<sender>.outbox-<p>}) and sealed with the hub's own {@link AuditHash}. Subjects and case
 * references are drawn with a skew: a few people and cases have many records, most have a few.
 * Deterministic for a seed. Records are made one at a time and not kept; what the searches need
 * (which subjects and cases exist, and how many records each has) is.
 */
final class AuditLoad {
  static final int OUTBOX_PARTITIONS = 3;

  private final SplittableRandom random;
  private final List<EventKind> kinds;
  private final Map<String, Chain> chains = new LinkedHashMap<>();
  private final String[] subjects;
  private final int[] recordsPerSubject;
  private final int[] caseSubject;
  private final int[] casesPerSender;
  private final int[] recordsPerCase;
  private final Instant start;
  private final long spanMillis;
  private final int expectedEvents;
  private long events;

  /**
   * The partner systems' events: who sends what for which purpose, and what each recipient gets of
   * it.
   */
  private record EventKind(
      String sender,
      int senderIndex,
      String purpose,
      String eventType,
      List<Outcome> perRecipient) {}

  /**
   * For one recipient of an event kind: the plans that may disclose (one per rule), or empty:
   * always withheld.
   */
  private record Outcome(
      String recipient,
      List<FieldPlan> plans,
      CovenantRef covenant,
      String withheldDetail,
      String withheldReason) {}

  /** One hash chain: an outbox partition of a sender. */
  private static final class Chain {
    final String topic;
    final int partition;
    long sequence;
    long sourceOffset;
    String previousHash = AuditHash.GENESIS;

    Chain(String topic, int partition) {
      this.topic = topic;
      this.partition = partition;
    }

    String id() {
      return topic + "-" + partition;
    }
  }

  /**
   * A sealed record as the hub writes it to hub.audit: key (its chain), value (single-object
   * encoding).
   */
  record Sealed(String chainId, byte[] bytes) {}

  /**
   * @param covenants the covenant directory (the hub's {@code covenants/})
   * @param subjects how many people the audit is about
   * @param cases how many case references, over all senders
   * @param rows about how many records will be asked for (spreads decidedAt over {@code span})
   */
  AuditLoad(
      Path covenants,
      Pseudonymiser pseudonymiser,
      int subjects,
      int cases,
      int rows,
      Instant start,
      Duration span,
      long seed) {
    this.random = new SplittableRandom(seed);
    this.kinds = eventKinds(covenants);
    this.subjects = new String[subjects];
    for (int i = 0; i < subjects; i++) {
      // Nine digits, like a BSN; only ever seen here, as the hub's keyed pseudonym.
      this.subjects[i] =
          pseudonymiser.pseudonym(String.valueOf(100_000_000 + 7_919L * i % 900_000_000));
    }
    this.recordsPerSubject = new int[subjects];
    this.caseSubject = new int[cases];
    for (int i = 0; i < cases; i++) {
      caseSubject[i] = skewed(subjects, 2.0);
    }
    this.recordsPerCase = new int[cases];
    int senders = (int) kinds.stream().map(EventKind::sender).distinct().count();
    this.casesPerSender = new int[senders];
    java.util.Arrays.fill(casesPerSender, cases / senders);
    this.start = start;
    this.spanMillis = span.toMillis();
    double recordsPerEvent =
        kinds.stream().mapToInt(k -> k.perRecipient().size()).average().orElse(1);
    this.expectedEvents = (int) Math.ceil(rows / recordsPerEvent);
  }

  /** The next event's audit records: one per recipient (or one rejected record), in chain order. */
  List<Sealed> nextEvent() {
    EventKind kind = kinds.get(random.nextInt(kinds.size()));
    int caseInSender = skewed(casesPerSender[kind.senderIndex()], 1.5);
    int caseIndex = kind.senderIndex() * casesPerSender[0] + caseInSender;
    int subject = caseSubject[caseIndex];
    String caseReference = caseReference(kind.sender(), caseInSender);
    Chain chain =
        chains.computeIfAbsent(
            kind.sender() + "/" + Math.floorMod(caseReference.hashCode(), OUTBOX_PARTITIONS),
            k ->
                new Chain(
                    "partner." + kind.sender() + ".outbox",
                    Math.floorMod(caseReference.hashCode(), OUTBOX_PARTITIONS)));
    long offset = chain.sourceOffset++;
    // decidedAt grows with the events over the span; the event occurred a moment before.
    Instant decidedAt =
        start.plusMillis(
            Math.min(spanMillis, events++ * spanMillis / Math.max(1, expectedEvents))
                + random.nextInt(1_000));
    Instant occurredAt = decidedAt.minusMillis(20 + random.nextInt(3_000));
    String traceId = hex(16);
    String eventId = uuid();
    // One in twenty people is known without a BSN: no pseudonym in the audit.
    String pseudonym = subject % 20 == 19 ? null : subjects[subject];

    List<Sealed> sealed = new ArrayList<>(kind.perRecipient().size());
    if (random.nextInt(500) == 0) {
      // The outbox record was refused (here: the payload names another sender): audited, nothing
      // delivered.
      AuditRecord.Builder record =
          base(chain, offset, "", kind.sender(), null, traceId, decidedAt)
              .setDecision(AuditDecision.REJECTED)
              .setReason("SENDER_MISMATCH")
              .setDetail(
                  "payload claims sender 'lzn' but came from the outbox of '"
                      + kind.sender()
                      + "'");
      sealed.add(seal(chain, record));
      return sealed;
    }
    for (Outcome outcome : kind.perRecipient()) {
      AuditRecord.Builder record =
          base(
                  chain,
                  offset,
                  outcome.recipient(),
                  kind.sender(),
                  outcome.recipient(),
                  traceId,
                  decidedAt)
              .setEventId(eventId)
              .setEventType(kind.eventType())
              .setCaseReference(caseReference)
              .setPurpose(kind.purpose())
              .setSubjectPseudonym(pseudonym)
              .setOccurredAt(occurredAt);
      if (!outcome.plans().isEmpty() && random.nextInt(100) < 85) {
        FieldPlan plan = outcome.plans().get(random.nextInt(outcome.plans().size()));
        record
            .setDecision(AuditDecision.DISCLOSED)
            .setCovenantId(plan.covenant().id())
            .setCovenantVersion(plan.covenant().version())
            .setCovenantHash(plan.covenant().contentHash())
            .setLegalBasis(plan.legalBasis())
            .setRuleIds(plan.ruleIds())
            .setDisclosedFields(plan.disclosedFields())
            .setTransformedFields(plan.transformedFields())
            .setWithheldFields(plan.withheldFields())
            .setRetention(Optional.ofNullable(plan.retention()).map(Object::toString).orElse(null));
      } else {
        record
            .setDecision(AuditDecision.WITHHELD)
            .setReason(outcome.withheldReason())
            .setDetail(outcome.withheldDetail())
            .setCovenantId(outcome.covenant().id())
            .setCovenantVersion(outcome.covenant().version())
            .setCovenantHash(outcome.covenant().contentHash());
      }
      sealed.add(seal(chain, record));
      recordsPerCase[caseIndex]++;
      if (pseudonym != null) {
        recordsPerSubject[subject]++;
      }
    }
    return sealed;
  }

  /** The pseudonyms of the subjects that have records, and how many each has. */
  Map<String, Integer> subjectsWithRecords() {
    Map<String, Integer> found = new LinkedHashMap<>();
    for (int i = 0; i < subjects.length; i++) {
      if (recordsPerSubject[i] > 0) {
        found.put(subjects[i], recordsPerSubject[i]);
      }
    }
    return found;
  }

  /** The case references that have records, and how many each has. */
  Map<String, Integer> casesWithRecords() {
    Map<String, Integer> found = new LinkedHashMap<>();
    List<String> senders = kinds.stream().map(EventKind::sender).distinct().toList();
    for (int i = 0; i < recordsPerCase.length; i++) {
      if (recordsPerCase[i] > 0) {
        int sender = Math.min(senders.size() - 1, i / casesPerSender[0]);
        found.put(
            caseReference(senders.get(sender), i - sender * casesPerSender[0]), recordsPerCase[i]);
      }
    }
    return found;
  }

  /** Each chain's id and its number of records (its head's sequence). */
  Map<String, Long> chainLengths() {
    Map<String, Long> lengths = new LinkedHashMap<>();
    chains.values().forEach(c -> lengths.put(c.id(), c.sequence));
    return lengths;
  }

  /**
   * Every sender's event kinds with the compiled plans of the real covenants, as the hub decides
   * them.
   */
  private static List<EventKind> eventKinds(Path directory) {
    List<LoadedCovenant> loaded = new ArrayList<>();
    CovenantSet set;
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        loaded.add(CovenantLoader.load(file));
      }
      // Every rule's plan, including those that pseudonymise: a random key will do for the field
      // lists.
      byte[] key = new byte[32];
      set =
          CovenantSet.compile(
              loaded, EventCatalog.standard(), ref -> List.of(key), Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CovenantException e) {
      throw new IllegalStateException(
          "the covenants in " + directory + " do not load: " + e.getMessage(), e);
    }
    Map<String, EventKind> kinds = new LinkedHashMap<>();
    List<String> senders = new ArrayList<>();
    for (LoadedCovenant covenant : loaded) {
      for (Rule rule : covenant.covenant().rules()) {
        if (!senders.contains(rule.from())) {
          senders.add(rule.from());
        }
        for (String type : rule.eventTypes()) {
          kinds.computeIfAbsent(
              rule.from() + "/" + rule.purpose() + "/" + type,
              k ->
                  new EventKind(
                      rule.from(),
                      senders.indexOf(rule.from()),
                      rule.purpose(),
                      type,
                      outcomes(set, covenant, rule.from(), rule.purpose(), type)));
        }
      }
    }
    return List.copyOf(kinds.values());
  }

  private static List<Outcome> outcomes(
      CovenantSet set, LoadedCovenant covenant, String sender, String purpose, String type) {
    List<Outcome> outcomes = new ArrayList<>();
    for (String recipient : set.recipients(sender, purpose)) {
      PlanKey key = new PlanKey(sender, recipient, purpose, type);
      List<Rule> rules =
          covenant.covenant().rules().stream()
              .filter(
                  r ->
                      r.from().equals(sender)
                          && r.to().equals(recipient)
                          && r.purpose().equals(purpose)
                          && r.eventTypes().contains(type))
              .toList();
      List<FieldPlan> plans = rules.stream().map(r -> set.plan(key, r.id()).orElseThrow()).toList();
      String detail =
          rules.isEmpty()
              ? "no rule of covenant '"
                  + covenant.covenant().id()
                  + "' lets "
                  + sender
                  + " disclose "
                  + type
                  + " to "
                  + recipient
                  + " for "
                  + purpose
              : "the event meets the condition of none of rules "
                  + rules.stream().map(Rule::id).toList();
      outcomes.add(
          new Outcome(
              recipient,
              plans,
              covenant.ref(),
              detail,
              rules.isEmpty() ? "NO_RULE" : "CONDITION_NOT_MET"));
    }
    return outcomes;
  }

  private AuditRecord.Builder base(
      Chain chain,
      long offset,
      String recipientKey,
      String sender,
      String recipient,
      String traceId,
      Instant decidedAt) {
    // As the hub's DisclosureIds: a name UUID of the source record and the recipient.
    String disclosureId =
        UUID.nameUUIDFromBytes(
                (chain.topic + "/" + chain.partition + "/" + offset + "/" + recipientKey)
                    .getBytes(StandardCharsets.UTF_8))
            .toString();
    return AuditRecord.newBuilder()
        .setTraceId(traceId)
        .setSpanId(disclosureId.replace("-", "").substring(0, 16))
        .setDisclosureId(disclosureId)
        .setSender(sender)
        .setRecipient(recipient)
        .setDecidedAt(decidedAt)
        .setSourceTopic(chain.topic)
        .setSourcePartition(chain.partition)
        .setSourceOffset(offset);
  }

  private static Sealed seal(Chain chain, AuditRecord.Builder builder) {
    AuditRecord record =
        builder
            .setChainId(chain.id())
            .setSequence(++chain.sequence)
            .setPreviousHash(chain.previousHash)
            .setHash("")
            .build();
    byte[] bytes = AuditHash.sealed(record);
    chain.previousHash = record.getHash();
    return new Sealed(chain.id(), bytes);
  }

  private static String caseReference(String sender, int number) {
    return switch (sender) {
      case "politie" -> "PL0600-2026-" + (100_000 + number);
      case "lzn" -> "LZN-2026-" + (100_000 + number);
      case "veilig-thuis" -> "VT-GLZ-2026-" + (10_000 + number);
      case "riec" -> "RIEC-ON-2026-" + (1_000 + number);
      default -> sender.toUpperCase(java.util.Locale.ROOT) + "-2026-" + number;
    };
  }

  /**
   * An index below {@code n}, low ones more often: {@code n·u^power} for uniform u (power 1:
   * uniform).
   */
  private int skewed(int n, double power) {
    return Math.min(n - 1, (int) (n * Math.pow(random.nextDouble(), power)));
  }

  private String uuid() {
    return new UUID(
            random.nextLong() & ~0xF000L | 0x4000L,
            random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L)
        .toString();
  }

  private String hex(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
