package nl.covenanthub.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import nl.covenanthub.console.Said;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.Disclosure;
import nl.covenanthub.console.audit.DisclosurePage;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.lookups.LookupLog;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * The search of the audit, newest first, and one record in full. The form is posted, so a BSN never
 * reaches a URL; the pages of its results name the data subject by pseudonym.
 */
@Controller
class SearchPage {
  private static final String PATH = "/console/disclosures";

  private final AuditSearch search;
  private final SearchForms forms;
  private final LookupLog lookups;

  SearchPage(AuditSearch search, SearchForms forms, LookupLog lookups) {
    this.search = search;
    this.forms = forms;
    this.lookups = lookups;
  }

  @GetMapping(PATH)
  String searchByLink(@ModelAttribute SearchForm form, Model model) {
    if (form.hasBsn()) {
      return failed(
          form,
          new Said("error.bsn-in-link", "a BSN is not taken from a link: type it in the form"),
          model);
    }
    return results(form, model);
  }

  @PostMapping(PATH)
  String search(@ModelAttribute SearchForm form, Model model) {
    return results(form, model);
  }

  @GetMapping(PATH + "/{disclosureId}")
  String disclosure(@PathVariable String disclosureId, Model model) {
    Optional<Disclosure> found = search.disclosure(disclosureId);
    lookups.read(disclosureId, found.isPresent());
    model.addAttribute(
        "record",
        found.orElseThrow(
            () ->
                new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "no audit record with this disclosure id")));
    return "disclosure";
  }

  private String results(SearchForm form, Model model) {
    DisclosureQuery query;
    try {
      query = forms.toQuery(form);
    } catch (InvalidSearchException e) {
      return failed(form, e.said(), model);
    }
    DisclosurePage page = search.search(query);
    lookups.queried(LookupLog.Action.SEARCH, query, page.total());
    // The form as it was, the BSN replaced by its pseudonym: what the links to other pages carry.
    SearchForm kept = keep(form, query.subjectPseudonym());
    model.addAttribute("form", kept);
    model.addAttribute("page", page);
    if (page.page() > 0) {
      model.addAttribute("previous", link(kept, page.page() - 1));
    }
    if (page.hasNext()) {
      model.addAttribute("next", link(kept, page.page() + 1));
    }
    return "search";
  }

  private static String failed(SearchForm form, Said error, Model model) {
    model.addAttribute("form", keep(form, form.subject()));
    model.addAttribute("error", error);
    return "search";
  }

  private static SearchForm keep(SearchForm form, String subject) {
    return new SearchForm(
        null,
        subject,
        form.caseReference(),
        form.sender(),
        form.recipient(),
        form.purpose(),
        form.decision(),
        form.from(),
        form.to(),
        form.page(),
        form.size());
  }

  private static String link(SearchForm form, int page) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("subject", form.subject());
    parameters.put("caseReference", form.caseReference());
    parameters.put("sender", form.sender());
    parameters.put("recipient", form.recipient());
    parameters.put("purpose", form.purpose());
    parameters.put("decision", form.decision());
    parameters.put("from", form.from());
    parameters.put("to", form.to());
    parameters.put("size", form.size() == null ? null : form.size().toString());
    parameters.put("page", Integer.toString(page));
    return parameters.entrySet().stream()
        .filter(parameter -> parameter.getValue() != null && !parameter.getValue().isBlank())
        .map(
            parameter ->
                parameter.getKey()
                    + "="
                    + URLEncoder.encode(parameter.getValue().strip(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&", PATH + "?", ""));
  }
}
