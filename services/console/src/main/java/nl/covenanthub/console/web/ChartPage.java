package nl.covenanthub.console.web;

import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.audit.StatsPeriod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Decisions over time per partner pair (disclosures unless another decision is chosen), per day or
 * month.
 */
@Controller
class ChartPage {
  private final AuditSearch search;
  private final SearchForms forms;

  ChartPage(AuditSearch search, SearchForms forms) {
    this.search = search;
    this.forms = forms;
  }

  @GetMapping("/console/chart")
  String chart(
      @RequestParam(defaultValue = "day") String by,
      @RequestParam(defaultValue = "DISCLOSED") String decision,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      Model model) {
    model.addAttribute("by", by);
    model.addAttribute("decision", decision);
    model.addAttribute("from", from);
    model.addAttribute("to", to);
    try {
      StatsPeriod period = StatsPeriod.of(by);
      DisclosureQuery filters =
          forms.toQuery(
              new SearchForm(null, null, null, null, null, null, decision, from, to, null, null));
      model.addAttribute("chart", DisclosureChart.of(search.counts(filters, period), period));
    } catch (InvalidSearchException e) {
      model.addAttribute("error", e.said());
    }
    return "chart";
  }
}
