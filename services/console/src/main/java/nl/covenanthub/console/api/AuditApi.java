package nl.covenanthub.console.api;

import java.util.List;
import java.util.Optional;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.Disclosure;
import nl.covenanthub.console.audit.DisclosureCount;
import nl.covenanthub.console.audit.DisclosurePage;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.audit.StatsPeriod;
import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.integrity.IntegrityReport;
import nl.covenanthub.console.logboek.LogboekRecord;
import nl.covenanthub.console.lookups.LookupLog;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The privacy officer's API: search the audit, read one decision, count decisions over time, verify
 * the chains. A BSN is accepted only in the body of {@code POST /api/disclosures/search}: a URL
 * ends up in access logs, proxies and browser history.
 */
@RestController
class AuditApi {
  private final AuditSearch search;
  private final SearchForms forms;
  private final IntegrityCheck integrity;
  private final LookupLog lookups;

  AuditApi(AuditSearch search, SearchForms forms, IntegrityCheck integrity, LookupLog lookups) {
    this.search = search;
    this.forms = forms;
    this.integrity = integrity;
    this.lookups = lookups;
  }

  @GetMapping("/api/disclosures")
  DisclosurePage disclosures(@ModelAttribute SearchForm form) {
    return logged(LookupLog.Action.SEARCH, forms.toQuery(withoutBsn(form)));
  }

  @PostMapping("/api/disclosures/search")
  DisclosurePage searchDisclosures(@RequestBody SearchForm form) {
    return logged(LookupLog.Action.SEARCH, forms.toQuery(form));
  }

  /** A page of the Logboek Dataverwerkingen export: the audit in the standard's shape. */
  record LogboekPage(
      List<LogboekRecord> records,
      int page,
      int size,
      long total,
      long totalPages,
      boolean totalEstimated) {}

  /**
   * The audit in the shape of the Logboek Dataverwerkingen standard, with the filters of {@code GET
   * /api/disclosures}; an export, so it is logged as one.
   */
  @GetMapping("/api/logboek")
  LogboekPage logboek(@ModelAttribute SearchForm form) {
    DisclosurePage page = logged(LookupLog.Action.EXPORT_LOGBOEK, forms.toQuery(withoutBsn(form)));
    return new LogboekPage(
        page.items().stream().map(LogboekRecord::of).toList(),
        page.page(),
        page.size(),
        page.total(),
        page.totalPages(),
        page.totalEstimated());
  }

  private DisclosurePage logged(LookupLog.Action action, DisclosureQuery query) {
    DisclosurePage page = search.search(query);
    lookups.queried(action, query, page.total());
    return page;
  }

  /** Who looked up whom: for the operator, who oversees the privacy officer's use of the audit. */
  @GetMapping("/api/lookups")
  List<LookupLog.Lookup> lookups(@RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw new InvalidSearchException("limit must be between 1 and 1000");
    }
    return lookups.newest(limit);
  }

  @GetMapping("/api/disclosures/{disclosureId}")
  Disclosure disclosure(@PathVariable String disclosureId) {
    Optional<Disclosure> found = search.disclosure(disclosureId);
    lookups.read(disclosureId, found.isPresent());
    return found.orElseThrow(
        () ->
            new ResponseStatusException(
                HttpStatus.NOT_FOUND, "no audit record with this disclosure id"));
  }

  @GetMapping("/api/stats")
  List<DisclosureCount> stats(
      @RequestParam(defaultValue = "day") String by, @ModelAttribute SearchForm filters) {
    return search.counts(forms.toQuery(withoutBsn(filters)), StatsPeriod.of(by));
  }

  @GetMapping("/api/integrity")
  IntegrityReport integrity(
      @RequestParam(required = false) String chainId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    SearchForms.TimeRange range = forms.timeRange(from, to);
    return integrity.verify(
        chainId == null || chainId.isBlank() ? null : chainId, range.from(), range.to());
  }

  private static SearchForm withoutBsn(SearchForm form) {
    if (form.hasBsn()) {
      throw new InvalidSearchException(
          "a BSN may not be sent in a URL: send it in the JSON body of POST /api/disclosures/search");
    }
    return form;
  }
}
