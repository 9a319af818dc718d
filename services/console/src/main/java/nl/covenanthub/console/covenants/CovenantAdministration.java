package nl.covenanthub.console.covenants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.covenants.CovenantStore.StoredVersion;
import nl.covenanthub.console.covenants.VersionLifecycle.Action;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.console.covenants.VersionLifecycle.Event;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import nl.covenanthub.console.covenants.VersionLifecycle.State;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.ImpactPreview;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.covenant.Party;
import nl.covenanthub.covenant.Problem;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Covenant administration: proposals, approval (four eyes), acceptance by the parties whose
 * disclosures a version widens, rejection, withdrawal, activation at the effective time (published
 * to {@code hub.covenants}, which the hub switches to without a restart) and revocation by a party.
 * The rules are {@link VersionLifecycle}'s; this class stores and publishes.
 *
 * <p>The directory of covenant files ({@code console.covenants}) bootstraps: a covenant the console
 * holds no version of is imported from it as active at start-up. From then on the console's
 * versions win; a newer file in the directory is proposed like any other version (upload).
 */
@Service
public class CovenantAdministration {
  private static final Logger log = LoggerFactory.getLogger(CovenantAdministration.class);

  /** Keys for compiling previews only: pseudonyms made with them are never shown or kept. */
  private static final byte[] PREVIEW_KEY = new SecureRandom().generateSeed(32);

  private static final KeyRing PREVIEW_KEYS = ref -> List.of(PREVIEW_KEY);

  private final CovenantStore store;
  private final CovenantPublisher publisher;
  private final RecentOutboxEvents recentEvents;
  private final TrailAnchors anchors;
  private final ConsoleProperties properties;
  private final EventCatalog catalog = EventCatalog.standard();
  private final Clock clock;

  public CovenantAdministration(
      CovenantStore store,
      CovenantPublisher publisher,
      RecentOutboxEvents recentEvents,
      TrailAnchors anchors,
      ConsoleProperties properties,
      Clock clock) {
    this.store = store;
    this.publisher = publisher;
    this.recentEvents = recentEvents;
    this.anchors = anchors;
    this.properties = properties;
    this.clock = clock;
  }

  /** A proposal that did not validate: its problems, each with its line. */
  public static final class InvalidProposal extends RuntimeException {
    private final List<Problem> problems;

    InvalidProposal(List<Problem> problems) {
      super(problems.size() + " problem(s)", null, false, false);
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /**
   * What a version would change against the active versions, with the partners' recent events
   * replayed through both ({@code recent} says how many, or why none).
   */
  public record Preview(ImpactPreview impact, RecentOutboxEvents.Recent recent) {
    public String summary() {
      return impact.summary();
    }

    public String details() {
      return impact.details();
    }
  }

  /** A version with its state and everything the pages show. */
  public record VersionView(
      StoredVersion stored, VersionLifecycle.Version lifecycle, boolean ended) {
    /**
     * The lifecycle's state, except that an active version is shown as {@link State#EXPIRED} once
     * its validity ended and {@link State#REVOKED} once fewer than two parties take part in it.
     */
    public State state() {
      State state = lifecycle.state();
      if (state != State.ACTIVE) {
        return state;
      }
      if (ended) {
        return State.EXPIRED;
      }
      int taking = lifecycle.parties().size() - lifecycle.revokedBy().size();
      return taking < 2 ? State.REVOKED : State.ACTIVE;
    }
  }

  /** Imports the directory's covenants the console does not hold yet, as active versions. */
  @EventListener(ApplicationReadyEvent.class)
  public void bootstrap() {
    Path dir = Path.of(properties.covenants());
    if (!Files.isDirectory(dir)) {
      log.warn("No covenant directory at {}: nothing to bootstrap", dir.toAbsolutePath());
      return;
    }
    try {
      for (Path file : CovenantLoader.filesIn(dir)) {
        LoadedCovenant loaded = CovenantLoader.load(file);
        String id = loaded.id();
        List<StoredVersion> held = store.versionsOf(id);
        if (held.isEmpty()) {
          Instant now = now();
          long versionId =
              store.propose(
                  id,
                  loaded.version(),
                  loaded.contentHash(),
                  loaded.source(),
                  file.getFileName().toString(),
                  Optional.empty(),
                  Set.of(),
                  new Event(
                      Action.PROPOSED, "git", Optional.empty(), now, "imported from " + file));
          store.append(
              versionId,
              new Event(
                  Action.ACTIVATED,
                  "git",
                  Optional.empty(),
                  now,
                  "bootstrapped from the covenant directory"));
          log.info("Imported covenant {} v{} from {}", id, loaded.version(), file);
        } else if (held.stream().noneMatch(v -> v.contentHash().equals(loaded.contentHash()))) {
          log.warn(
              "{} holds a version of covenant {} the console does not have: propose it in the"
                  + " console (upload the file) for it to take effect",
              file,
              id);
        }
      }
    } catch (IOException | CovenantException e) {
      log.error("Cannot bootstrap covenants from {}: {}", dir.toAbsolutePath(), e.getMessage());
    }
  }

  public List<VersionView> versions() {
    return store.all().stream().map(this::view).toList();
  }

  public List<VersionView> versionsOf(String covenantId) {
    return store.versionsOf(covenantId).stream().map(this::view).toList();
  }

  public Optional<VersionView> version(long versionId) {
    return store.version(versionId).map(this::view);
  }

  /** The active version of each covenant. */
  public Map<String, VersionView> active() {
    Map<String, VersionView> active = new LinkedHashMap<>();
    for (VersionView v : versions()) {
      // Expired or revoked by all but one, it is still the version in force: the one a new
      // version supersedes and is compared with.
      if (v.lifecycle().state() == State.ACTIVE) {
        active.put(v.stored().covenantId(), v);
      }
    }
    return active;
  }

  /** Validates the text against the other active covenants; throws with every problem. */
  public LoadedCovenant validate(String fileName, String yaml) {
    try {
      LoadedCovenant proposed =
          CovenantLoader.load(fileName, yaml.getBytes(StandardCharsets.UTF_8));
      compileAsProposal(proposed);
      return proposed;
    } catch (CovenantException e) {
      throw new InvalidProposal(e.problems());
    }
  }

  /** Stores a new version, proposed by {@code actor} (a covenant-admin). */
  public VersionView propose(
      String fileName, String yaml, Optional<Instant> effectiveFrom, Actor actor) {
    if (!actor.admin()) {
      throw new Refused("not-admin", "only a covenant-admin proposes a version");
    }
    LoadedCovenant proposed = validate(fileName, yaml);
    String id = proposed.id();
    for (StoredVersion held : store.versionsOf(id)) {
      if (held.contentHash().equals(proposed.contentHash())) {
        throw new Refused("identical", "the text is that of v" + held.version() + " already");
      }
      if (held.version() >= proposed.version()) {
        throw new Refused(
            "version-taken",
            "v"
                + held.version()
                + " of this covenant exists: number the new version higher than "
                + held.version());
      }
    }
    // The rules alone decide who must accept: the same text always needs the same parties.
    ImpactPreview impact = rulesPreview(proposed);
    long versionId =
        store.propose(
            id,
            proposed.version(),
            proposed.contentHash(),
            yaml,
            fileName,
            effectiveFrom,
            impact.partiesToAccept(),
            new Event(Action.PROPOSED, actor.user(), Optional.empty(), now(), impact.render()));
    return version(versionId).orElseThrow();
  }

  /**
   * What the version would change against the active versions, rule by rule, and for the partners'
   * recent events (console.preview-events-per-partition of each outbox partition).
   */
  public Preview preview(LoadedCovenant proposed) {
    Set<String> partners = new java.util.TreeSet<>();
    for (VersionView v : active().values()) {
      load(v.stored()).parties().forEach(p -> partners.add(p.id()));
    }
    proposed.parties().forEach(p -> partners.add(p.id()));
    RecentOutboxEvents.Recent recent = recentEvents.of(partners);
    try {
      return new Preview(
          ImpactPreview.of(
              activeSet(),
              compileWith(proposed, CovenantSet.Ended.INACTIVE),
              recent.samples(),
              clock.instant()),
          recent);
    } catch (CovenantException e) {
      throw new InvalidProposal(e.problems());
    }
  }

  private ImpactPreview rulesPreview(LoadedCovenant proposed) {
    try {
      return ImpactPreview.of(activeSet(), compileWith(proposed, CovenantSet.Ended.INACTIVE));
    } catch (CovenantException e) {
      throw new InvalidProposal(e.problems());
    }
  }

  /** What the stored version would change against the active versions. */
  public Preview preview(long versionId) {
    StoredVersion stored = stored(versionId);
    return preview(load(stored));
  }

  /**
   * The administration trail checked in itself (every hash recomputed) and against the heads
   * published with the versions on {@code hub.covenants}, which whoever can rewrite this database
   * cannot change.
   */
  public CovenantStore.TrailCheck verifyTrail() {
    try {
      return store.verifyTrail(anchors.published(), null);
    } catch (KafkaException e) {
      log.warn("The trail's anchors on hub.covenants not read: {}", e.getClass().getName());
      return store.verifyTrail(List.of(), e.getClass().getSimpleName());
    }
  }

  /** What {@code versionId} changes against {@code againstId} (two versions of one covenant). */
  public ImpactPreview diff(long againstId, long versionId) {
    LoadedCovenant against = load(stored(againstId));
    LoadedCovenant version = load(stored(versionId));
    if (!against.id().equals(version.id())) {
      throw new Refused("other-covenant", "compare two versions of the same covenant");
    }
    try {
      return ImpactPreview.of(
          compileWith(against, CovenantSet.Ended.INACTIVE),
          compileWith(version, CovenantSet.Ended.INACTIVE));
    } catch (CovenantException e) {
      throw new InvalidProposal(e.problems());
    }
  }

  public void approve(long versionId, Actor actor, String note) {
    VersionView version = checkedView(versionId);
    VersionLifecycle.mayApprove(version.lifecycle(), actor);
    store.append(
        versionId, new Event(Action.APPROVED, actor.user(), Optional.empty(), now(), note));
    activateDue();
  }

  public void accept(long versionId, Actor actor, String party, String note) {
    VersionView version = checkedView(versionId);
    VersionLifecycle.mayAccept(version.lifecycle(), actor, party);
    store.append(
        versionId, new Event(Action.ACCEPTED, actor.user(), Optional.of(party), now(), note));
    activateDue();
  }

  public void reject(long versionId, Actor actor, Optional<String> party, String note) {
    VersionLifecycle.mayReject(view(stored(versionId)).lifecycle(), actor, party);
    store.append(versionId, new Event(Action.REJECTED, actor.user(), party, now(), note));
  }

  public void withdraw(long versionId, Actor actor, String note) {
    VersionLifecycle.mayWithdraw(view(stored(versionId)).lifecycle(), actor);
    store.append(
        versionId, new Event(Action.WITHDRAWN, actor.user(), Optional.empty(), now(), note));
  }

  /** {@code party} stops taking part in the active version: published at once. */
  public void revoke(long versionId, Actor actor, String party, String note) {
    VersionView version = view(stored(versionId));
    VersionLifecycle.mayRevoke(version.lifecycle(), actor, party);
    Set<String> revoked = new java.util.TreeSet<>(version.lifecycle().revokedBy());
    revoked.add(party);
    publisher.publish(version.stored(), revoked, store.head());
    store.append(
        versionId, new Event(Action.REVOKED, actor.user(), Optional.of(party), now(), note));
  }

  /**
   * Activates every accepted version whose effective time has come: published first, so the trail
   * says ACTIVATED only for what the hub can read; the version it replaces is superseded.
   */
  @Scheduled(fixedDelayString = "${console.covenant-activation-interval:5s}")
  public synchronized void activateDue() {
    Instant now = now();
    List<VersionView> due = new ArrayList<>();
    for (VersionView v : versions()) {
      if (v.state() == State.ACCEPTED
          && v.stored().effectiveFrom().map(at -> !at.isAfter(now)).orElse(true)) {
        due.add(v);
      }
    }
    due.sort(Comparator.comparing((VersionView v) -> v.stored().version()));
    for (VersionView v : due) {
      String id = v.stored().covenantId();
      Optional<VersionView> before = Optional.ofNullable(active().get(id));
      if (before.isPresent() && before.get().stored().version() > v.stored().version()) {
        store.append(
            v.stored().versionId(),
            new Event(
                Action.SUPERSEDED,
                "console",
                Optional.empty(),
                now,
                "v" + before.get().stored().version() + " became active first"));
        continue;
      }
      try {
        publisher.publish(v.stored(), Set.of(), store.head());
      } catch (RuntimeException e) {
        log.warn(
            "Cannot publish covenant {} v{} yet ({}); trying again",
            id,
            v.stored().version(),
            e.getClass().getName());
        return;
      }
      store.append(
          v.stored().versionId(),
          new Event(
              Action.ACTIVATED, "console", Optional.empty(), now, "published to hub.covenants"));
      before.ifPresent(
          b ->
              store.append(
                  b.stored().versionId(),
                  new Event(
                      Action.SUPERSEDED,
                      "console",
                      Optional.empty(),
                      now,
                      "by v" + v.stored().version())));
      log.info(
          "Covenant {} v{} ({}) activated", id, v.stored().version(), v.stored().contentHash());
    }
  }

  /** The version with its validity checked now, against the active versions. */
  private VersionView checkedView(long versionId) {
    StoredVersion stored = stored(versionId);
    boolean valid;
    try {
      compileAsProposal(load(stored));
      valid = true;
    } catch (CovenantException | RuntimeException e) {
      valid = false;
    }
    return view(stored, valid);
  }

  private StoredVersion stored(long versionId) {
    return store
        .version(versionId)
        .orElseThrow(() -> new Refused("no-such-version", "no covenant version " + versionId));
  }

  /** The version as its events make it; its validity is checked only where it counts. */
  private VersionView view(StoredVersion stored) {
    return view(stored, true);
  }

  /** {@code valid} false: the version is invalid whatever its text says (it no longer compiles). */
  private VersionView view(StoredVersion stored, boolean valid) {
    Set<String> parties;
    boolean ended = false;
    try {
      LoadedCovenant loaded = load(stored);
      parties =
          loaded.parties().stream().map(Party::id).collect(java.util.stream.Collectors.toSet());
      ended = loaded.hasEndedAt(clock.instant());
    } catch (RuntimeException e) {
      parties = Set.of();
      valid = false;
    }
    return new VersionView(
        stored,
        new VersionLifecycle.Version(
            parties, stored.requiredParties(), stored.lifecycleEvents(), valid),
        ended);
  }

  private static LoadedCovenant load(StoredVersion stored) {
    try {
      return CovenantLoader.load(stored.fileName(), stored.yaml().getBytes(StandardCharsets.UTF_8));
    } catch (CovenantException e) {
      throw new IllegalStateException("a stored version no longer loads: " + e.getMessage(), e);
    }
  }

  /** The active versions, compiled as the hub would (ended ones inactive). */
  private CovenantSet activeSet() {
    List<LoadedCovenant> active = new ArrayList<>();
    for (VersionView v : active().values()) {
      active.add(load(v.stored()).revokedBy(v.lifecycle().revokedBy()));
    }
    try {
      return CovenantSet.compile(active, catalog, PREVIEW_KEYS, clock, CovenantSet.Ended.INACTIVE);
    } catch (CovenantException e) {
      throw new IllegalStateException("the active versions do not compile: " + e.getMessage(), e);
    }
  }

  /**
   * Compiles {@code proposed} with the active versions, refusing it when its own validity has
   * ended: another covenant that ended is inactive, as in the hub, and blocks nothing.
   */
  private void compileAsProposal(LoadedCovenant proposed) throws CovenantException {
    compileWith(proposed, CovenantSet.Ended.INACTIVE);
    if (proposed.hasEndedAt(clock.instant())) {
      throw new InvalidProposal(
          List.of(
              proposed.problem(
                  "/validity/until",
                  "the covenant's validity has ended: a version can only be proposed for a"
                      + " period still to come")));
    }
  }

  /** The active versions with {@code proposed} in place of its covenant's. */
  private CovenantSet compileWith(LoadedCovenant proposed, CovenantSet.Ended ended)
      throws CovenantException {
    List<LoadedCovenant> set = new ArrayList<>();
    for (VersionView v : active().values()) {
      if (!v.stored().covenantId().equals(proposed.id())) {
        set.add(load(v.stored()));
      }
    }
    set.add(proposed);
    return CovenantSet.compile(set, catalog, PREVIEW_KEYS, clock, ended);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
