package nl.covenanthub.console.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.console.covenants.Actors;
import nl.covenanthub.console.covenants.CovenantAdministration;
import nl.covenanthub.console.covenants.CovenantAdministration.VersionView;
import nl.covenanthub.console.covenants.CovenantStore;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Covenant administration as JSON, for scripts and pipelines (a version proposed from git, say):
 * the same operations as the pages, under the same rules ({@link CovenantAdministration}), with a
 * Keycloak access token. Who may do what is {@code VersionLifecycle}'s to say; a refusal is a
 * problem with its code ({@link CovenantApiErrors}).
 */
@RestController
class CovenantApi {
  private final CovenantAdministration covenants;

  CovenantApi(CovenantAdministration covenants) {
    this.covenants = covenants;
  }

  /** One event of a version's timeline. */
  record EventJson(long seq, String action, String actor, String party, Instant at, String note) {}

  /** A version as the pages show it. */
  record VersionJson(
      long versionId,
      String covenantId,
      int version,
      String contentHash,
      String state,
      String fileName,
      Instant effectiveFrom,
      String proposer,
      String approver,
      Set<String> requiredParties,
      Set<String> acceptedBy,
      Set<String> awaiting,
      Set<String> revokedBy,
      List<EventJson> events) {
    static VersionJson of(VersionView v) {
      return new VersionJson(
          v.stored().versionId(),
          v.stored().covenantId(),
          v.stored().version(),
          v.stored().contentHash(),
          v.state().name(),
          v.stored().fileName(),
          v.stored().effectiveFrom().orElse(null),
          v.lifecycle().proposer(),
          v.lifecycle().approver().orElse(null),
          v.stored().requiredParties(),
          v.lifecycle().acceptedBy(),
          v.lifecycle().awaiting(),
          v.lifecycle().revokedBy(),
          v.stored().events().stream()
              .map(
                  e ->
                      new EventJson(
                          e.seq(),
                          e.event().action().name(),
                          e.event().actor(),
                          e.event().party().orElse(null),
                          e.event().at(),
                          e.event().note()))
              .toList());
    }
  }

  /** The impact preview: its text, and how many recent events it replayed (or why none). */
  record PreviewJson(
      String summary, String details, int eventsReplayed, int leftOut, String notReplayed) {}

  /**
   * The administration trail's chain check: in itself, and up to {@code anchoredUpTo} against the
   * heads published on hub.covenants ({@code anchorsUnread}: why not, when they could not be read).
   */
  record TrailJson(
      long events, boolean intact, Long brokenAt, long anchoredUpTo, String anchorsUnread) {}

  @GetMapping("/api/covenants")
  List<VersionJson> versions() {
    return covenants.versions().stream().map(VersionJson::of).toList();
  }

  @GetMapping("/api/covenants/versions/{id}")
  VersionJson version(@PathVariable long id) {
    return VersionJson.of(found(id));
  }

  @GetMapping("/api/covenants/versions/{id}/preview")
  PreviewJson preview(@PathVariable long id) {
    found(id);
    CovenantAdministration.Preview preview = covenants.preview(id);
    return new PreviewJson(
        preview.summary(),
        preview.details(),
        preview.impact().eventsReplayed(),
        preview.recent().leftOut(),
        preview.recent().unreadable());
  }

  /** The exact text of the version, byte for byte: the way back to git. */
  @GetMapping(value = "/api/covenants/versions/{id}/yaml", produces = "application/yaml")
  byte[] yaml(@PathVariable long id) {
    return found(id).stored().yaml().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Proposes the YAML of the body (as {@code fileName}, effective from {@code effectiveFrom}, an
   * ISO instant, or as soon as it is accepted).
   */
  @PostMapping(
      value = "/api/covenants/versions",
      consumes = {"application/yaml", "application/x-yaml", MediaType.TEXT_PLAIN_VALUE})
  ResponseEntity<VersionJson> propose(
      @RequestBody String yaml,
      @RequestParam(defaultValue = "covenant.yaml") String fileName,
      @RequestParam Optional<String> effectiveFrom,
      Authentication authentication) {
    VersionView proposed =
        covenants.propose(
            fileName, yaml, effectiveFrom.map(CovenantApi::instant), Actors.of(authentication));
    return ResponseEntity.created(
            URI.create("/api/covenants/versions/" + proposed.stored().versionId()))
        .body(VersionJson.of(proposed));
  }

  /** approve, reject (for a party with {@code party}), accept, withdraw or revoke. */
  @PostMapping("/api/covenants/versions/{id}/{action}")
  VersionJson act(
      @PathVariable long id,
      @PathVariable String action,
      @RequestParam(defaultValue = "") String party,
      @RequestParam(defaultValue = "") String note,
      Authentication authentication) {
    Actor actor = Actors.of(authentication);
    Optional<String> asParty = party.isBlank() ? Optional.empty() : Optional.of(party);
    switch (action) {
      case "approve" -> covenants.approve(id, actor, note);
      case "accept" -> covenants.accept(id, actor, party, note);
      case "reject" -> covenants.reject(id, actor, asParty, note);
      case "withdraw" -> covenants.withdraw(id, actor, note);
      case "revoke" -> covenants.revoke(id, actor, party, note);
      default ->
          throw new Refused(
              "no-such-action",
              "the action is one of approve, accept, reject, withdraw and revoke");
    }
    return VersionJson.of(found(id));
  }

  @GetMapping("/api/covenants/trail")
  TrailJson trail() {
    CovenantStore.TrailCheck check = covenants.verifyTrail();
    return new TrailJson(
        check.events(),
        check.intact(),
        check.brokenAt().orElse(null),
        check.anchoredUpTo(),
        check.anchorsUnread());
  }

  private VersionView found(long id) {
    return covenants
        .version(id)
        .orElseThrow(() -> new Refused("no-such-version", "no covenant version " + id));
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new Refused(
          "bad-effective-from", "effectiveFrom: not an ISO instant such as 2027-01-01T00:00:00Z");
    }
  }
}
