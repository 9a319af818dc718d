package nl.covenanthub.console.signals;

import nl.covenanthub.events.RiskLevel;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The werkbestand for the role {@code integrale-veiligheid} (PageSecurity): the work list, one
 * signal, and what triage and the case table do with it. Each page reads and each form posts
 * through {@link Triage}, which logs it.
 */
@Controller
class TriagePages {
  static final String LIST = "/console/signalen";

  private final Triage triage;

  TriagePages(Triage triage) {
    this.triage = triage;
  }

  @GetMapping(LIST)
  String list(Model model) {
    model.addAttribute("signals", triage.workList());
    return "signals";
  }

  @GetMapping(LIST + "/{reference}")
  String signal(@PathVariable String reference, Model model) {
    model.addAttribute(
        "signal",
        triage
            .view(reference)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND)));
    model.addAttribute("risks", RiskLevel.values());
    return "signal";
  }

  @PostMapping(LIST + "/{reference}/samenvoegen")
  String merge(
      @PathVariable String reference, @RequestParam String into, RedirectAttributes redirect) {
    triage.merge(reference, into.strip());
    return done(reference, "signals.done.merge", redirect);
  }

  @PostMapping(LIST + "/{reference}/verrijken")
  String enrich(
      @PathVariable String reference,
      @RequestParam(required = false) String companyName,
      @RequestParam(required = false) String kvkNumber,
      RedirectAttributes redirect) {
    triage.enrich(reference, blankless(companyName), blankless(kvkNumber));
    return done(reference, "signals.done.enrich", redirect);
  }

  @PostMapping(LIST + "/{reference}/afwijzen")
  String dismiss(
      @PathVariable String reference,
      @RequestParam(required = false) String reason,
      RedirectAttributes redirect) {
    triage.dismiss(reference, blankless(reason));
    return done(reference, "signals.done.dismiss", redirect);
  }

  @PostMapping(LIST + "/{reference}/agenderen")
  String agenda(
      @PathVariable String reference,
      @RequestParam(required = false) String summary,
      @RequestParam RiskLevel risk,
      RedirectAttributes redirect) {
    triage.agenda(reference, blankless(summary), risk);
    return done(reference, "signals.done.agenda", redirect);
  }

  @PostMapping(LIST + "/{reference}/escaleren")
  String escalate(
      @PathVariable String reference,
      @RequestParam(required = false) String riecCase,
      RedirectAttributes redirect) {
    triage.escalate(reference, blankless(riecCase));
    return done(reference, "signals.done.escalate", redirect);
  }

  @PostMapping(LIST + "/{reference}/bestuurlijk")
  String administrative(
      @PathVariable String reference,
      @RequestParam(required = false) String note,
      RedirectAttributes redirect) {
    triage.administrative(reference, blankless(note));
    return done(reference, "signals.done.administrative", redirect);
  }

  @PostMapping(LIST + "/{reference}/intrekken")
  String withdraw(@PathVariable String reference, RedirectAttributes redirect) {
    triage.withdraw(reference);
    redirect.addFlashAttribute("done", "signals.done.withdraw");
    redirect.addFlashAttribute("doneReference", reference);
    return "redirect:" + LIST;
  }

  @ExceptionHandler(Triage.Refused.class)
  @ResponseStatus(HttpStatus.CONFLICT)
  String refused(Triage.Refused refused, Model model) {
    model.addAttribute("refused", refused.messageKey());
    return "signal-refused";
  }

  private static String done(String reference, String message, RedirectAttributes redirect) {
    redirect.addFlashAttribute("done", message);
    return "redirect:" + LIST + "/" + reference;
  }

  private static String blankless(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
