package nl.covenanthub.console.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.lookups.LookupLog;
import nl.covenanthub.console.report.SubjectLetter;
import nl.covenanthub.console.report.SubjectReport;
import nl.covenanthub.console.report.SubjectReportCsv;
import nl.covenanthub.console.report.SubjectReports;
import nl.covenanthub.console.withdrawals.WithdrawalNotices;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The Art. 15 report of one data subject: asked for with a BSN (posted, never in a URL), shown as a
 * page to print (or save as PDF from the browser's print dialog), and downloaded as CSV. From the
 * BSN on, the subject is known by the hub's pseudonym only: the page and the CSV form carry that,
 * not the BSN.
 */
@Controller
class ReportPage {
  private final SubjectReports reports;
  private final SearchForms forms;
  private final ConsoleProperties properties;
  private final LookupLog lookups;
  private final MessageSource messages;
  private final WithdrawalNotices withdrawals;

  ReportPage(
      SubjectReports reports,
      SearchForms forms,
      ConsoleProperties properties,
      LookupLog lookups,
      MessageSource messages,
      WithdrawalNotices withdrawals) {
    this.withdrawals = withdrawals;
    this.reports = reports;
    this.forms = forms;
    this.properties = properties;
    this.lookups = lookups;
    this.messages = messages;
  }

  /** The answer in plain language, as a letter to the person (Dutch; English with lang=en). */
  @PostMapping("/console/report/letter")
  String letter(
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String lang,
      Model model) {
    SubjectReport report;
    try {
      report = logged(LookupLog.Action.REPORT_LETTER, pseudonym(null, subject));
    } catch (InvalidSearchException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    Locale locale = "en".equals(lang) ? Locale.ENGLISH : SubjectLetter.DUTCH;
    model.addAttribute("letter", SubjectLetter.of(report, messages, locale, properties.timeZone()));
    model.addAttribute("subject", report.subjectPseudonym());
    model.addAttribute("otherLanguage", locale == Locale.ENGLISH ? "nl" : "en");
    model.addAttribute("printLabel", messages.getMessage("letter.print", null, locale));
    model.addAttribute(
        "otherLanguageLabel", messages.getMessage("letter.other-language", null, locale));
    return "letter";
  }

  private SubjectReport logged(LookupLog.Action action, String subjectPseudonyms) {
    SubjectReport report = reports.about(subjectPseudonyms);
    lookups.reported(
        action, subjectPseudonyms, report.disclosed().size() + report.notDisclosed().size());
    return report;
  }

  @GetMapping("/console/report")
  String form() {
    return "report-form";
  }

  /** The report of the subject with this BSN, or (from a link of another page) this pseudonym. */
  @PostMapping("/console/report")
  String report(
      @RequestParam(required = false) String bsn,
      @RequestParam(required = false) String subject,
      Model model) {
    try {
      SubjectReport report = logged(LookupLog.Action.REPORT, pseudonym(bsn, subject));
      model.addAttribute("report", report);
      // Who was told to erase what they received about the person, and whether they did.
      model.addAttribute("withdrawals", withdrawals.about(report.subjectPseudonym()));
      return "report";
    } catch (InvalidSearchException e) {
      model.addAttribute("error", e.said());
      return "report-form";
    }
  }

  @PostMapping("/console/report/csv")
  void csv(@RequestParam(required = false) String subject, HttpServletResponse response)
      throws IOException {
    SubjectReport report;
    try {
      report = logged(LookupLog.Action.REPORT_CSV, pseudonym(null, subject));
    } catch (InvalidSearchException e) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    LocalDate made = report.madeAt().atZone(properties.timeZone()).toLocalDate();
    response.setContentType("text/csv; charset=UTF-8; header=present");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment()
            .filename("art15-report-" + made + ".csv")
            .build()
            .toString());
    SubjectReportCsv.write(report, response.getWriter());
  }

  private String pseudonym(String bsn, String subject) {
    if (bsn != null && !bsn.isBlank()) {
      return forms.subjectPseudonym(bsn);
    }
    if (subject != null && !subject.isBlank()) {
      return subject.strip();
    }
    throw new InvalidSearchException("no-bsn", "type the data subject's BSN");
  }
}
