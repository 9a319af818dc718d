package nl.covenanthub.console.signals;

import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The public form (no login, Dutch by default): report a 'niet-pluis' signal, anonymously if one
 * wishes, and add to it later with the receipt code. A refused report is shown again as it was
 * typed, with the reason beside the field (or above the form), so nothing typed is lost.
 */
@Controller
class ReportPages {
  static final String FORM = "/melden";
  static final String ADD = "/melden/aanvullen";

  private final Intake intake;
  private final IntakeLimits limits;
  private final SignalSettings settings;

  ReportPages(Intake intake, IntakeLimits limits, SignalSettings settings) {
    this.intake = intake;
    this.limits = limits;
    this.settings = settings;
  }

  @GetMapping(FORM)
  String form(HttpSession session, Model model) {
    return form(Report.empty(), List.of(), session, model);
  }

  @PostMapping(FORM)
  String report(@ModelAttribute Report report, HttpSession session, Model model) {
    List<Report.Problem> problems = new ArrayList<>(report.problems(settings));
    if (!limits.answered(session, report.answer())) {
      problems.add(new Report.Problem("answer", "melden.error.answer", 0));
    }
    if (!problems.isEmpty()) {
      return form(report, problems, session, model);
    }
    if (!limits.permits(session)) {
      return form(
          report,
          List.of(new Report.Problem("report", "melden.error.too-many", 0)),
          session,
          model);
    }
    model.addAttribute("code", intake.receive(report));
    model.addAttribute("anonymous", report.anonymous());
    return "melden-ontvangen";
  }

  @GetMapping(ADD)
  String addForm(Model model) {
    model.addAttribute("problems", List.of());
    return "melden-aanvullen";
  }

  @PostMapping(ADD)
  String add(
      @RequestParam(name = "code", required = false) String code,
      @RequestParam(name = "text", required = false) String text,
      HttpSession session,
      Model model) {
    List<Report.Problem> problems = new ArrayList<>();
    String typedCode = code == null ? "" : code.strip();
    String typedText = text == null ? "" : text.strip();
    if (typedCode.isEmpty()) {
      problems.add(new Report.Problem("code", "melden.error.code", 0));
    }
    if (typedText.isEmpty()) {
      problems.add(new Report.Problem("text", "melden.error.text", 0));
    } else if (typedText.length() > settings.maxDescriptionLength()) {
      problems.add(
          new Report.Problem("text", "melden.error.too-long", settings.maxDescriptionLength()));
    }
    if (problems.isEmpty() && !limits.permits(session)) {
      problems.add(new Report.Problem("report", "melden.error.too-many", 0));
    }
    if (problems.isEmpty() && !intake.add(typedCode, typedText)) {
      problems.add(new Report.Problem("code", "melden.error.unknown-code", 0));
    }
    model.addAttribute("problems", problems);
    model.addAttribute("code", typedCode);
    model.addAttribute("text", typedText);
    model.addAttribute("added", problems.isEmpty());
    return "melden-aanvullen";
  }

  private String form(
      Report report, List<Report.Problem> problems, HttpSession session, Model model) {
    model.addAttribute("report", report);
    model.addAttribute("problems", problems);
    model.addAttribute("kinds", SignalKind.values());
    model.addAttribute("challenge", limits.challenge(session));
    model.addAttribute("limits", settings);
    return "melden-form";
  }
}
