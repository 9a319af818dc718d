package nl.covenanthub.console.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.console.Said;
import nl.covenanthub.console.covenants.Actors;
import nl.covenanthub.console.covenants.CovenantAdministration;
import nl.covenanthub.console.covenants.CovenantAdministration.InvalidProposal;
import nl.covenanthub.console.covenants.CovenantAdministration.VersionView;
import nl.covenanthub.console.covenants.CovenantStore;
import nl.covenanthub.console.covenants.RecentOutboxEvents;
import nl.covenanthub.console.covenants.VersionLifecycle;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.console.covenants.VersionLifecycle.Refused;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.RuleWords;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The administrators' pages: covenants and their versions, propose, preview, approve, accept,
 * reject, withdraw, revoke, and the trail. Thin: every rule is {@link VersionLifecycle}'s and every
 * change goes through {@link CovenantAdministration}.
 */
@Controller
class CovenantPages {
  private final CovenantAdministration covenants;
  private final CovenantStore store;
  private final ZoneId zone;

  CovenantPages(
      CovenantAdministration covenants,
      CovenantStore store,
      nl.covenanthub.console.ConsoleProperties properties) {
    this.covenants = covenants;
    this.store = store;
    this.zone = properties.timeZone();
  }

  private static Actor actor(Authentication authentication) {
    return Actors.of(authentication);
  }

  @GetMapping("/console/covenants")
  String list(Model model, Authentication authentication) {
    Map<String, List<VersionView>> byCovenant = new LinkedHashMap<>();
    for (VersionView v : covenants.versions()) {
      byCovenant.computeIfAbsent(v.stored().covenantId(), k -> new java.util.ArrayList<>()).add(v);
    }
    byCovenant.values().forEach(java.util.Collections::reverse); // newest first
    model.addAttribute("covenants", byCovenant);
    model.addAttribute("actor", actor(authentication));
    return "covenants";
  }

  @GetMapping("/console/covenants/propose")
  String proposeForm(
      @RequestParam Optional<Long> from, Model model, Authentication authentication) {
    model.addAttribute(
        "yaml", from.flatMap(covenants::version).map(v -> v.stored().yaml()).orElse(""));
    model.addAttribute(
        "fileName",
        from.flatMap(covenants::version).map(v -> v.stored().fileName()).orElse("covenant.yaml"));
    model.addAttribute("effectiveFrom", "");
    model.addAttribute("actor", actor(authentication));
    return "covenant-propose";
  }

  @PostMapping("/console/covenants/propose")
  String propose(
      @RequestParam(defaultValue = "") String yaml,
      @RequestParam(defaultValue = "covenant.yaml") String fileName,
      @RequestParam(required = false) MultipartFile file,
      @RequestParam(defaultValue = "") String effectiveFrom,
      @RequestParam(defaultValue = "save") String intent,
      Model model,
      Authentication authentication)
      throws IOException {
    String text = yaml;
    String name = fileName.isBlank() ? "covenant.yaml" : fileName;
    if (file != null && !file.isEmpty()) {
      text = new String(file.getBytes(), StandardCharsets.UTF_8);
      name = Optional.ofNullable(file.getOriginalFilename()).filter(n -> !n.isBlank()).orElse(name);
    }
    model.addAttribute("yaml", text);
    model.addAttribute("fileName", name);
    model.addAttribute("effectiveFrom", effectiveFrom);
    model.addAttribute("actor", actor(authentication));
    try {
      Optional<Instant> effective = effectiveFrom(effectiveFrom);
      if (intent.equals("check")) {
        showPreview(model, covenants.preview(covenants.validate(name, text)));
        model.addAttribute("valid", true);
        return "covenant-propose";
      }
      VersionView proposed = covenants.propose(name, text, effective, actor(authentication));
      return "redirect:/console/covenants/versions/" + proposed.stored().versionId();
    } catch (InvalidProposal e) {
      model.addAttribute("problems", e.problems());
    } catch (Refused e) {
      model.addAttribute("refusal", e.getMessage());
    }
    return "covenant-propose";
  }

  private Optional<Instant> effectiveFrom(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      throw new Refused(
          "bad-effective-from",
          "effective from: not a date and time (" + e.getParsedString().length() + " characters)");
    }
  }

  @GetMapping("/console/covenants/versions/{id}")
  String version(
      @PathVariable long id,
      @RequestParam Optional<Long> against,
      Model model,
      Authentication authentication) {
    VersionView version = covenants.version(id).orElseThrow(() -> notFound(id));
    model.addAttribute("v", version);
    model.addAttribute("actor", actor(authentication));
    model.addAttribute("others", covenants.versionsOf(version.stored().covenantId()));
    model.addAttribute("rules", rulesInWords(version));
    try {
      if (against.isPresent()) {
        model.addAttribute("preview", covenants.diff(against.get(), id));
      } else if (version.state().isOpen()) {
        showPreview(model, covenants.preview(id));
      }
    } catch (RuntimeException e) {
      model.addAttribute("previewProblem", e.getMessage());
    }
    model.addAttribute("against", against.orElse(null));
    return "covenant-version";
  }

  /** The preview, and what its replay read: how many recent events, or why none. */
  private static void showPreview(Model model, CovenantAdministration.Preview preview) {
    model.addAttribute("preview", preview);
    RecentOutboxEvents.Recent recent = preview.recent();
    String why = recent.unreadable();
    int replayed = preview.impact().eventsReplayed();
    model.addAttribute(
        "replay",
        why != null
            ? new Said("preview.replay.none", "No recent events were replayed (" + why + ").", why)
            : new Said(
                "preview.replay.read",
                replayed + " recent events replayed, " + recent.leftOut() + " left out.",
                replayed,
                recent.leftOut()));
  }

  private static List<String> rulesInWords(VersionView version) {
    try {
      return RuleWords.of(
          CovenantLoader.load(
              version.stored().fileName(),
              version.stored().yaml().getBytes(StandardCharsets.UTF_8)));
    } catch (CovenantException e) {
      return List.of();
    }
  }

  /** The exact text of the version, byte for byte as proposed: the way back to git. */
  @GetMapping("/console/covenants/versions/{id}/yaml")
  ResponseEntity<byte[]> yaml(@PathVariable long id) {
    VersionView version = covenants.version(id).orElseThrow(() -> notFound(id));
    return ResponseEntity.ok()
        .contentType(new MediaType("application", "yaml", StandardCharsets.UTF_8))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(version.stored().fileName())
                .build()
                .toString())
        .body(version.stored().yaml().getBytes(StandardCharsets.UTF_8));
  }

  @PostMapping("/console/covenants/versions/{id}/{action}")
  String act(
      @PathVariable long id,
      @PathVariable String action,
      @RequestParam(defaultValue = "") String party,
      @RequestParam(defaultValue = "") String note,
      Authentication authentication,
      RedirectAttributes redirect) {
    Actor actor = actor(authentication);
    Optional<String> asParty = party.isBlank() ? Optional.empty() : Optional.of(party);
    try {
      switch (action) {
        case "approve" -> covenants.approve(id, actor, note);
        case "accept" -> covenants.accept(id, actor, party, note);
        case "reject" -> covenants.reject(id, actor, asParty, note);
        case "withdraw" -> covenants.withdraw(id, actor, note);
        case "revoke" -> covenants.revoke(id, actor, party, note);
        default -> throw notFound(id);
      }
      redirect.addFlashAttribute("done", action);
    } catch (Refused e) {
      redirect.addFlashAttribute("refusal", e.getMessage());
    }
    return "redirect:/console/covenants/versions/" + id;
  }

  @GetMapping("/console/covenants/trail")
  String trail(Model model) {
    model.addAttribute("trail", store.trail());
    model.addAttribute("check", covenants.verifyTrail());
    model.addAttribute("versions", covenants.versions());
    return "covenant-trail";
  }

  private static ResponseStatusException notFound(long id) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "no covenant version " + id);
  }
}
