package nl.covenanthub.console.covenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.console.covenants.VersionLifecycle.Action;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.console.covenants.VersionLifecycle.Event;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import nl.covenanthub.console.covenants.VersionLifecycle.State;
import nl.covenanthub.console.covenants.VersionLifecycle.Version;
import org.junit.jupiter.api.Test;

/** The administration's rules on their own: four eyes, party acceptance, revocation. */
class VersionLifecycleTest {
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
  private static final Set<String> PARTIES = Set.of("politie", "lzn", "riec");
  private static final Actor ADMIN = new Actor("beheerder", true, false, Set.of());
  private static final Actor APPROVER = new Actor("goedkeurder", false, true, Set.of());
  private static final Actor ADMIN_AND_APPROVER = new Actor("beheerder", true, true, Set.of());
  private static final Actor POLITIE = new Actor("jurist-politie", false, false, Set.of("politie"));

  private static Event event(Action action, String actor, String party) {
    return new Event(action, actor, Optional.ofNullable(party), AT, "");
  }

  private static Version proposed(Set<String> required, Event... more) {
    List<Event> events = new ArrayList<>(List.of(event(Action.PROPOSED, "beheerder", null)));
    events.addAll(List.of(more));
    return new Version(PARTIES, required, events, true);
  }

  @Test
  void theProposerMayNotApproveTheirOwnVersionEvenWithTheApproverRole() {
    assertThatThrownBy(() -> VersionLifecycle.mayApprove(proposed(Set.of()), ADMIN_AND_APPROVER))
        .isInstanceOf(Refused.class)
        .hasMessageContaining("a second person must")
        .extracting(e -> ((Refused) e).code())
        .isEqualTo("four-eyes");
    VersionLifecycle.mayApprove(proposed(Set.of()), APPROVER);
  }

  @Test
  void onlyAnApproverApprovesAndOnlyOnce() {
    assertThatThrownBy(() -> VersionLifecycle.mayApprove(proposed(Set.of()), POLITIE))
        .hasMessageContaining("only a covenant-approver");
    Version approved = proposed(Set.of("politie"), event(Action.APPROVED, "goedkeurder", null));
    assertThatThrownBy(
            () -> VersionLifecycle.mayApprove(approved, new Actor("tweede", false, true, Set.of())))
        .hasMessageContaining("approved already by goedkeurder");
  }

  @Test
  void anInvalidVersionCannotBeApprovedOrAccepted() {
    Version invalid =
        new Version(
            PARTIES, Set.of("politie"), List.of(event(Action.PROPOSED, "beheerder", null)), false);
    assertThatThrownBy(() -> VersionLifecycle.mayApprove(invalid, APPROVER))
        .hasMessageContaining("not valid");
    assertThatThrownBy(() -> VersionLifecycle.mayAccept(invalid, POLITIE, "politie"))
        .hasMessageContaining("not valid");
  }

  @Test
  void aMissingPartyAcceptanceKeepsItProposed() {
    Version approvedOnly =
        proposed(Set.of("politie", "lzn"), event(Action.APPROVED, "goedkeurder", null));
    assertThat(approvedOnly.state()).isEqualTo(State.PROPOSED);
    Version oneOfTwo =
        proposed(
            Set.of("politie", "lzn"),
            event(Action.APPROVED, "goedkeurder", null),
            event(Action.ACCEPTED, "jurist-politie", "politie"));
    assertThat(oneOfTwo.state()).isEqualTo(State.PROPOSED);
    assertThat(oneOfTwo.awaiting()).containsExactly("lzn");
    Version both =
        proposed(
            Set.of("politie", "lzn"),
            event(Action.ACCEPTED, "jurist-politie", "politie"),
            event(Action.ACCEPTED, "jurist-lzn", "lzn"));
    assertThat(both.state()).as("accepted by the parties, not approved").isEqualTo(State.PROPOSED);
    Version all =
        proposed(
            Set.of("politie", "lzn"),
            event(Action.ACCEPTED, "jurist-politie", "politie"),
            event(Action.ACCEPTED, "jurist-lzn", "lzn"),
            event(Action.APPROVED, "goedkeurder", null));
    assertThat(all.state()).isEqualTo(State.ACCEPTED);
    assertThat(proposed(Set.of(), event(Action.APPROVED, "goedkeurder", null)).state())
        .as("a version that widens nothing needs only the approval")
        .isEqualTo(State.ACCEPTED);
  }

  @Test
  void aUserAcceptsOnlyForTheirOwnPartyAndOnlyAPartyOfTheCovenant() {
    Version version = proposed(Set.of("politie", "lzn"));
    assertThatThrownBy(() -> VersionLifecycle.mayAccept(version, POLITIE, "lzn"))
        .extracting(e -> ((Refused) e).code())
        .isEqualTo("not-your-party");
    Actor stranger = new Actor("jurist-odr", false, false, Set.of("odr"));
    assertThatThrownBy(() -> VersionLifecycle.mayAccept(version, stranger, "odr"))
        .extracting(e -> ((Refused) e).code())
        .isEqualTo("not-a-party");
    VersionLifecycle.mayAccept(version, POLITIE, "politie");
  }

  @Test
  void aClosedVersionTakesNoMoreDecisions() {
    Version rejected = proposed(Set.of(), event(Action.REJECTED, "goedkeurder", null));
    assertThat(rejected.state()).isEqualTo(State.REJECTED);
    assertThatThrownBy(() -> VersionLifecycle.mayApprove(rejected, APPROVER))
        .hasMessageContaining("rejected, not proposed");
    Version withdrawn = proposed(Set.of(), event(Action.WITHDRAWN, "beheerder", null));
    assertThatThrownBy(() -> VersionLifecycle.mayAccept(withdrawn, POLITIE, "politie"))
        .hasMessageContaining("withdrawn");
    assertThatThrownBy(() -> VersionLifecycle.mayWithdraw(proposed(Set.of()), APPROVER))
        .hasMessageContaining("only a covenant-admin");
    VersionLifecycle.mayWithdraw(proposed(Set.of()), ADMIN);
  }

  @Test
  void onlyAPartyOfTheActiveVersionRevokesAndOnlyOnce() {
    Version active =
        proposed(
            Set.of(),
            event(Action.APPROVED, "goedkeurder", null),
            event(Action.ACTIVATED, "console", null));
    assertThat(active.state()).isEqualTo(State.ACTIVE);
    VersionLifecycle.mayRevoke(active, POLITIE, "politie");
    assertThatThrownBy(() -> VersionLifecycle.mayRevoke(active, ADMIN, "politie"))
        .hasMessageContaining("does not speak for 'politie'");
    assertThatThrownBy(() -> VersionLifecycle.mayRevoke(proposed(Set.of()), POLITIE, "politie"))
        .hasMessageContaining("only the active version");
    List<Event> events = new ArrayList<>(active.events());
    events.add(event(Action.REVOKED, "jurist-politie", "politie"));
    Version revoked = new Version(PARTIES, Set.of(), events, true);
    assertThat(revoked.revokedBy()).containsExactly("politie");
    assertThat(revoked.state()).as("still active for the others").isEqualTo(State.ACTIVE);
    assertThatThrownBy(() -> VersionLifecycle.mayRevoke(revoked, POLITIE, "politie"))
        .hasMessageContaining("revoked already");
  }
}
