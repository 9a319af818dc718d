package nl.covenanthub.covenant;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.avro.generic.IndexedRecord;

/**
 * The active covenant versions, compiled: the one thing the hub asks "may this recipient see this
 * event, and what of it?". Plans are compiled here, once; {@link #decide} is a lookup, a few
 * condition tests and a copy. Immutable and safe to share between threads; a new covenant version
 * means a new set.
 */
public final class CovenantSet {
  private final List<LoadedCovenant> covenants;
  private final Map<String, LoadedCovenant> byPurpose = new LinkedHashMap<>();

  /** Per purpose, per party: the other parties. Asked once per event, so made once here. */
  private final Map<String, Map<String, List<String>>> recipientsByPurpose = new HashMap<>();

  private final Map<PlanKey, KeyPlans> plans = new LinkedHashMap<>();
  private final EventCatalog catalog;

  private CovenantSet(List<LoadedCovenant> covenants, EventCatalog catalog, KeyRing keys) {
    this.covenants = List.copyOf(covenants);
    this.catalog = catalog;
    Map<PlanKey, List<Rule>> rulesByKey = new LinkedHashMap<>();
    Map<PlanKey, LoadedCovenant> ownerByKey = new LinkedHashMap<>();
    for (LoadedCovenant loaded : covenants) {
      loaded.covenant().purposes().forEach(p -> byPurpose.put(p.id(), loaded));
      for (Rule rule : loaded.covenant().rules()) {
        for (String type : rule.eventTypes()) {
          PlanKey key = new PlanKey(rule.from(), rule.to(), rule.purpose(), type);
          rulesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(rule);
          ownerByKey.put(key, loaded);
        }
      }
    }
    byPurpose.forEach(
        (purpose, owner) -> {
          Map<String, List<String>> bySender = new HashMap<>();
          owner
              .covenant()
              .parties()
              .forEach(party -> bySender.put(party.id(), otherParties(owner, party.id())));
          recipientsByPurpose.put(purpose, bySender);
        });
    rulesByKey.forEach(
        (key, rules) ->
            plans.put(
                key,
                new KeyPlans(
                    key,
                    ownerByKey.get(key),
                    rules,
                    catalog.eventType(key.eventType()).orElseThrow(),
                    keys)));
  }

  /** What compiling does with a covenant whose validity period has ended. */
  public enum Ended {
    /** It is a problem: what {@code covenant lint} and {@code preview} say. */
    REFUSED,
    /**
     * It is kept, inactive: its events are withheld ({@code COVENANT_ENDED}) and the other
     * covenants go on. What the hub does, so that one covenant ending does not stop the rest.
     */
    INACTIVE
  }

  /**
   * Validates and compiles covenants that are to be active together; an ended one is refused.
   *
   * @param clock decides which covenants have already ended
   * @throws CovenantException with every problem, if any covenant is invalid or a key is missing
   */
  public static CovenantSet compile(
      List<LoadedCovenant> covenants, EventCatalog catalog, KeyRing keys, Clock clock)
      throws CovenantException {
    return compile(covenants, catalog, keys, clock, Ended.REFUSED);
  }

  /** Validates and compiles covenants; {@code ended} says what happens to one that has ended. */
  public static CovenantSet compile(
      List<LoadedCovenant> covenants, EventCatalog catalog, KeyRing keys, Clock clock, Ended ended)
      throws CovenantException {
    CovenantValidator validator = new CovenantValidator(catalog);
    LocalDate today = LocalDate.now(clock.withZone(Validity.ZONE));
    List<Problem> problems = new ArrayList<>();
    for (LoadedCovenant loaded : covenants) {
      problems.addAll(validator.validate(loaded, today, ended == Ended.REFUSED));
    }
    problems.addAll(CovenantValidator.validateTogether(covenants));
    problems.addAll(missingKeys(covenants, keys));
    if (!problems.isEmpty()) {
      throw new CovenantException(problems);
    }
    return new CovenantSet(covenants, catalog, keys);
  }

  /** Loads, validates and compiles covenant files; an ended covenant is refused. */
  public static CovenantSet load(List<Path> files, EventCatalog catalog, KeyRing keys, Clock clock)
      throws CovenantException {
    return load(files, catalog, keys, clock, Ended.REFUSED);
  }

  /** Loads, validates and compiles covenant files; {@code ended} says what an ended one does. */
  public static CovenantSet load(
      List<Path> files, EventCatalog catalog, KeyRing keys, Clock clock, Ended ended)
      throws CovenantException {
    List<LoadedCovenant> loaded = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path file : files) {
      try {
        loaded.add(CovenantLoader.load(file));
      } catch (CovenantException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new CovenantException(problems);
    }
    return compile(loaded, catalog, keys, clock, ended);
  }

  /**
   * The covenants not in force at {@code at}, each with why (ended, or not yet begun): the hub's
   * health and metrics say which.
   */
  public Map<CovenantRef, String> notInForce(Instant at) {
    Map<CovenantRef, String> inactive = new LinkedHashMap<>();
    LocalDate day = LocalDate.ofInstant(at, Validity.ZONE);
    for (LoadedCovenant loaded : covenants) {
      Validity validity = loaded.covenant().validity();
      if (validity.hasEndedBefore(day)) {
        inactive.put(loaded.ref(), "ended on " + validity.until());
      } else if (day.isBefore(validity.from())) {
        inactive.put(loaded.ref(), "in force from " + validity.from());
      }
    }
    return inactive;
  }

  private static List<Problem> missingKeys(List<LoadedCovenant> covenants, KeyRing keys) {
    List<Problem> problems = new ArrayList<>();
    for (LoadedCovenant loaded : covenants) {
      List<Rule> rules = loaded.covenant().rules();
      for (int i = 0; i < rules.size(); i++) {
        for (Map.Entry<String, Treatment> field : rules.get(i).fields().entrySet()) {
          if (field.getValue() instanceof Treatment.Pseudonymise p
              && keys.key(p.keyRef()).isEmpty()) {
            problems.add(
                loaded.problem(
                    "/rules/" + i + "/fields/" + LoadedCovenant.escape(field.getKey()),
                    "pseudonymisation key '" + p.keyRef() + "' is not configured"));
          }
        }
      }
    }
    return problems;
  }

  /**
   * What {@code recipient} may see of {@code event}, sent by {@code sender} for {@code purpose}, at
   * moment {@code at}. The sender must be the authenticated one; this method trusts its arguments.
   */
  public Decision decide(
      String sender, String recipient, String purpose, IndexedRecord event, Instant at) {
    String eventType = event.getSchema().getName();
    PlanKey key = new PlanKey(sender, recipient, purpose, eventType);
    KeyPlans keyPlans = plans.get(key);
    if (keyPlans == null) {
      return withheldWithoutRule(key);
    }
    Covenant covenant = keyPlans.owner.covenant();
    if (!covenant.validity().covers(at)) {
      boolean ended = covenant.validity().hasEndedBefore(LocalDate.ofInstant(at, Validity.ZONE));
      return new Decision.Withheld(
          key,
          ended ? Decision.Reason.COVENANT_ENDED : Decision.Reason.COVENANT_NOT_IN_FORCE,
          ended
              ? "covenant '" + covenant.id() + "' ended on " + covenant.validity().until()
              : "covenant '"
                  + covenant.id()
                  + "' is in force from "
                  + covenant.validity().from()
                  + " until "
                  + covenant.validity().until(),
          Optional.of(keyPlans.owner.ref()));
    }
    Optional<Decision> revoked = revoked(key, keyPlans.owner);
    return revoked.isPresent() ? revoked.get() : keyPlans.decide(event);
  }

  /** Withheld when the sender or the recipient revoked its participation in the version. */
  private static Optional<Decision> revoked(PlanKey key, LoadedCovenant owner) {
    for (String party : List.of(key.sender(), key.recipient())) {
      if (owner.isRevokedBy(party)) {
        Covenant covenant = owner.covenant();
        return Optional.of(
            new Decision.Withheld(
                key,
                Decision.Reason.PARTY_REVOKED,
                "'"
                    + party
                    + "' revoked its participation in covenant '"
                    + covenant.id()
                    + "' v"
                    + covenant.version(),
                Optional.of(owner.ref())));
      }
    }
    return Optional.empty();
  }

  private Decision withheldWithoutRule(PlanKey key) {
    LoadedCovenant owner = byPurpose.get(key.purpose());
    if (owner == null) {
      return new Decision.Withheld(
          key,
          Decision.Reason.UNKNOWN_PURPOSE,
          "no active covenant has purpose '" + key.purpose() + "'",
          Optional.empty());
    }
    Covenant covenant = owner.covenant();
    Optional<Decision> revoked = revoked(key, owner);
    if (revoked.isPresent()) {
      return revoked.get();
    }
    for (String party : List.of(key.sender(), key.recipient())) {
      if (!covenant.hasParty(party)) {
        return new Decision.Withheld(
            key,
            Decision.Reason.NOT_A_PARTY,
            "'" + party + "' is not a party to covenant '" + covenant.id() + "'",
            Optional.of(owner.ref()));
      }
    }
    return new Decision.Withheld(
        key,
        Decision.Reason.NO_RULE,
        "no rule of covenant '"
            + covenant.id()
            + "' lets "
            + key.sender()
            + " disclose "
            + key.eventType()
            + " to "
            + key.recipient()
            + " for "
            + key.purpose(),
        Optional.of(owner.ref()));
  }

  /**
   * The parties that a sender's event for {@code purpose} is decided for: the covenant's parties
   * but the sender.
   */
  public List<String> recipients(String sender, String purpose) {
    Map<String, List<String>> bySender = recipientsByPurpose.get(purpose);
    if (bySender == null) {
      return List.of();
    }
    List<String> recipients = bySender.get(sender);
    // A sender outside the covenant: every party, and each decision says it is not a party.
    return recipients != null ? recipients : otherParties(byPurpose.get(purpose), sender);
  }

  private static List<String> otherParties(LoadedCovenant owner, String sender) {
    return owner.covenant().parties().stream()
        .map(Party::id)
        .filter(id -> !id.equals(sender))
        .toList();
  }

  /**
   * The matching {@code purpose} allows a sender at moment {@code at}, with the covenant version it
   * rests on: empty when the purpose names none, the sender is not a party, has revoked, or the
   * covenant is not in force.
   */
  public Optional<MatchingGrounds> matching(String sender, String purpose, Instant at) {
    LoadedCovenant owner = byPurpose.get(purpose);
    if (owner == null
        || !owner.covenant().validity().covers(at)
        || owner.isRevokedBy(sender)
        || owner.covenant().parties().stream().noneMatch(p -> p.id().equals(sender))) {
      return Optional.empty();
    }
    return owner
        .covenant()
        .purpose(purpose)
        .flatMap(Purpose::matching)
        .map(m -> new MatchingGrounds(m, owner.ref()));
  }

  /** Matching, and the covenant version that allows it. */
  public record MatchingGrounds(Matching matching, CovenantRef covenant) {
    /**
     * Until when a signal made at {@code at} counts, in calendar terms where covenants are made.
     */
    public Instant keepUntil(Instant at) {
      return at.atZone(Validity.ZONE).plus(matching.keepFor()).toInstant();
    }

    /** The legal basis of matching itself. */
    public String legalBasis() {
      return matching.legalBasis();
    }
  }

  /** Every party of every active covenant: the partners whose outboxes the hub reads. */
  public Set<String> partners() {
    Set<String> partners = new LinkedHashSet<>();
    covenants.forEach(c -> c.covenant().parties().forEach(p -> partners.add(p.id())));
    return partners;
  }

  /** Every purpose of every active covenant. */
  public Set<String> purposes() {
    return java.util.Collections.unmodifiableSet(byPurpose.keySet());
  }

  /** The versions this set was compiled from, with their text and revocations. */
  public List<LoadedCovenant> loaded() {
    return covenants;
  }

  public List<CovenantRef> covenants() {
    return covenants.stream().map(LoadedCovenant::ref).toList();
  }

  public EventCatalog catalog() {
    return catalog;
  }

  /** The compiled plan of a single rule, for previews and tests. */
  public Optional<FieldPlan> plan(PlanKey key, String ruleId) {
    KeyPlans keyPlans = plans.get(key);
    if (keyPlans == null) {
      return Optional.empty();
    }
    for (int i = 0; i < keyPlans.rules.size(); i++) {
      if (keyPlans.rules.get(i).id().equals(ruleId)) {
        return Optional.of(keyPlans.single[i]);
      }
    }
    return Optional.empty();
  }

  /**
   * The rules for one key, with their conditions compiled and a plan per rule. When several rules
   * meet the same event, their plan is compiled once on first use and kept.
   */
  private static final class KeyPlans {
    final PlanKey key;
    final LoadedCovenant owner;
    final List<Rule> rules;
    final EventSchema event;
    final KeyRing keys;
    final Predicate<IndexedRecord>[] conditions;
    final FieldPlan[] single;
    final Map<Long, FieldPlan> combined = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    KeyPlans(PlanKey key, LoadedCovenant owner, List<Rule> rules, EventSchema event, KeyRing keys) {
      if (rules.size() > 63) {
        throw new IllegalArgumentException("more than 63 rules for " + key);
      }
      this.key = key;
      this.owner = owner;
      this.rules = List.copyOf(rules);
      this.event = event;
      this.keys = keys;
      this.conditions = new Predicate[rules.size()];
      this.single = new FieldPlan[rules.size()];
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        conditions[i] = rule.when().map(c -> c.compile(event)).orElse(e -> true);
        single[i] = FieldPlan.compile(key, owner, List.of(rule), event, keys);
      }
    }

    Decision decide(IndexedRecord record) {
      if (record.getSchema() != event.avro() && !record.getSchema().equals(event.avro())) {
        return new Decision.Withheld(
            key,
            Decision.Reason.SCHEMA_MISMATCH,
            "the event's schema differs from the "
                + key.eventType()
                + " schema the covenant was compiled against",
            Optional.of(owner.ref()));
      }
      long met = 0;
      for (int i = 0; i < conditions.length; i++) {
        if (conditions[i].test(record)) {
          met |= 1L << i;
        }
      }
      if (met == 0) {
        return new Decision.Withheld(
            key,
            Decision.Reason.CONDITION_NOT_MET,
            "the event meets the condition of none of rules "
                + rules.stream().map(Rule::id).toList(),
            Optional.of(owner.ref()));
      }
      FieldPlan plan =
          Long.bitCount(met) == 1
              ? single[Long.numberOfTrailingZeros(met)]
              : combined.computeIfAbsent(met, this::combine);
      if (plan.viewSchema().isEmpty()) {
        return new Decision.Withheld(
            key,
            Decision.Reason.NO_FIELDS,
            "rules " + plan.ruleIds() + " let no field pass",
            Optional.of(owner.ref()));
      }
      return new Decision.Disclosed(plan, plan.apply(record));
    }

    private FieldPlan combine(long mask) {
      List<Rule> met = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        if ((mask & (1L << i)) != 0) {
          met.add(rules.get(i));
        }
      }
      return FieldPlan.compile(key, owner, met, event, keys);
    }
  }
}
