package nl.covenanthub.console.covenants;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What may happen to a covenant version, decided from what has happened to it: the rules of the
 * administration, pure (no database, no Spring), so they read and test on their own.
 *
 * <ul>
 *   <li>A {@code covenant-admin} proposes; the proposer or another admin may withdraw it while it
 *       is proposed.
 *   <li>A {@code covenant-approver} who is not the proposer approves or rejects it (four eyes).
 *   <li>Each party whose disclosures the version widens must accept it through a user of that
 *       party; such a user may also reject it.
 *   <li>Approved and accepted by every required party: accepted. It becomes active at its effective
 *       time, superseding the version active before it.
 *   <li>A party of an active version may revoke its participation: nothing is disclosed to or from
 *       it under that version from then on.
 * </ul>
 */
public final class VersionLifecycle {
  private VersionLifecycle() {}

  /** What happens to a version; each is one event of the trail. */
  public enum Action {
    PROPOSED,
    APPROVED,
    ACCEPTED,
    REJECTED,
    WITHDRAWN,
    ACTIVATED,
    SUPERSEDED,
    REVOKED
  }

  /** The state a version is in, from its events. */
  public enum State {
    PROPOSED,
    ACCEPTED,
    ACTIVE,
    REJECTED,
    WITHDRAWN,
    SUPERSEDED,
    /**
     * Active, but so many parties revoked their participation that fewer than two take part:
     * nothing can be disclosed under it any more. Derived, not an event.
     */
    REVOKED,
    /** Active, but its validity period has ended: the hub withholds its events. Derived. */
    EXPIRED;

    public boolean isOpen() {
      return this == PROPOSED;
    }
  }

  /** One event of a version's trail: who did what, when, for which party. */
  public record Event(
      Action action, String actor, Optional<String> party, Instant at, String note) {
    public Event {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(actor, "actor");
      Objects.requireNonNull(party, "party");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(note, "note");
    }
  }

  /** Who asks: the user name, whether they hold each role, and the parties they speak for. */
  public record Actor(String user, boolean admin, boolean approver, Set<String> parties) {
    public Actor {
      Objects.requireNonNull(user, "user");
      parties = Set.copyOf(parties);
    }
  }

  /** An action the rules do not allow, with a code (for the pages' texts) and the reason. */
  public static final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * A version as its events make it.
   *
   * @param parties the covenant's parties
   * @param requiredParties the parties whose disclosures it widens: each must accept
   */
  public record Version(
      Set<String> parties, Set<String> requiredParties, List<Event> events, boolean valid) {
    public Version {
      parties = Set.copyOf(parties);
      requiredParties = Set.copyOf(requiredParties);
      events = List.copyOf(events);
    }

    public State state() {
      State state = State.PROPOSED;
      for (Event event : events) {
        state =
            switch (event.action()) {
              case REJECTED -> State.REJECTED;
              case WITHDRAWN -> State.WITHDRAWN;
              case ACTIVATED -> State.ACTIVE;
              case SUPERSEDED -> State.SUPERSEDED;
              default -> state;
            };
      }
      if (state == State.PROPOSED && isApproved() && acceptedBy().containsAll(requiredParties)) {
        return State.ACCEPTED;
      }
      return state;
    }

    public String proposer() {
      return events.stream()
          .filter(e -> e.action() == Action.PROPOSED)
          .map(Event::actor)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("a version without its proposal"));
    }

    public Optional<String> approver() {
      return events.stream()
          .filter(e -> e.action() == Action.APPROVED)
          .map(Event::actor)
          .findFirst();
    }

    public boolean isApproved() {
      return approver().isPresent();
    }

    public Set<String> acceptedBy() {
      return partiesOf(Action.ACCEPTED);
    }

    public Set<String> revokedBy() {
      return partiesOf(Action.REVOKED);
    }

    /** The required parties that have not accepted yet. */
    public Set<String> awaiting() {
      Set<String> awaiting = new LinkedHashSet<>(requiredParties);
      awaiting.removeAll(acceptedBy());
      return awaiting;
    }

    private Set<String> partiesOf(Action action) {
      Set<String> parties = new LinkedHashSet<>();
      events.stream()
          .filter(e -> e.action() == action)
          .forEach(e -> e.party().ifPresent(parties::add));
      return parties;
    }
  }

  /** Checks that {@code actor} may approve; throws {@link Refused} with the reason if not. */
  public static void mayApprove(Version version, Actor actor) {
    open(version);
    if (!actor.approver()) {
      throw new Refused("not-approver", "only a covenant-approver approves a version");
    }
    if (actor.user().equals(version.proposer())) {
      throw new Refused(
          "four-eyes", "the proposer may not approve their own version: a second person must");
    }
    if (version.isApproved()) {
      throw new Refused("already-approved", "approved already by " + version.approver().get());
    }
    if (!version.valid()) {
      throw new Refused("invalid", "the version is not valid: it cannot be approved");
    }
  }

  /** Checks that {@code actor} may accept for {@code party}. */
  public static void mayAccept(Version version, Actor actor, String party) {
    open(version);
    speaksFor(actor, party);
    if (!version.parties().contains(party)) {
      throw new Refused("not-a-party", "'" + party + "' is not a party to this covenant");
    }
    if (version.acceptedBy().contains(party)) {
      throw new Refused("already-accepted", "'" + party + "' accepted already");
    }
    if (!version.valid()) {
      throw new Refused("invalid", "the version is not valid: it cannot be accepted");
    }
  }

  /** Checks that {@code actor} may reject: an approver, or a user of a party to the covenant. */
  public static void mayReject(Version version, Actor actor, Optional<String> party) {
    open(version);
    if (party.isPresent()) {
      speaksFor(actor, party.get());
      if (!version.parties().contains(party.get())) {
        throw new Refused("not-a-party", "'" + party.get() + "' is not a party to this covenant");
      }
    } else if (!actor.approver()) {
      throw new Refused("not-approver", "only a covenant-approver or a party rejects a version");
    } else if (actor.user().equals(version.proposer())) {
      throw new Refused("four-eyes", "the proposer withdraws their version, not rejects it");
    }
  }

  /** Checks that {@code actor} may withdraw: a covenant-admin, while it is proposed. */
  public static void mayWithdraw(Version version, Actor actor) {
    open(version);
    if (!actor.admin()) {
      throw new Refused("not-admin", "only a covenant-admin withdraws a proposal");
    }
  }

  /** Checks that {@code actor} may revoke {@code party}'s participation in the active version. */
  public static void mayRevoke(Version version, Actor actor, String party) {
    speaksFor(actor, party);
    if (version.state() != State.ACTIVE) {
      throw new Refused("not-active", "only the active version can be revoked");
    }
    if (!version.parties().contains(party)) {
      throw new Refused("not-a-party", "'" + party + "' is not a party to this covenant");
    }
    if (version.revokedBy().contains(party)) {
      throw new Refused("already-revoked", "'" + party + "' revoked already");
    }
  }

  private static void open(Version version) {
    if (!version.state().isOpen()) {
      throw new Refused(
          "not-open", "the version is " + version.state().name().toLowerCase() + ", not proposed");
    }
  }

  private static void speaksFor(Actor actor, String party) {
    if (!actor.parties().contains(party)) {
      throw new Refused("not-your-party", actor.user() + " does not speak for '" + party + "'");
    }
  }
}
