package nl.covenanthub.console.report;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.Disclosure;
import nl.covenanthub.console.audit.DisclosurePage;
import nl.covenanthub.console.audit.DisclosureQuery;
import org.springframework.stereotype.Service;

/**
 * Makes the Art. 15 report of one data subject from the audit index, through {@link AuditSearch}.
 */
@Service
public class SubjectReports {
  static final int PAGE_SIZE = 200;

  private final AuditSearch search;
  private final Clock clock;

  public SubjectReports(AuditSearch search, Clock clock) {
    this.search = search;
    this.clock = clock;
  }

  /** Everything the audit holds about the data subject with this pseudonym, across all partners. */
  public SubjectReport about(String subjectPseudonym) {
    var madeAt = clock.instant();
    DisclosureQuery everything = DisclosureQuery.everything().withSubject(subjectPseudonym);
    // By chain position: a record indexed while the pages are read pushes the older ones down a
    // place, so one may come twice.
    Map<String, Disclosure> records = new LinkedHashMap<>();
    DisclosurePage page;
    int number = 0;
    do {
      page = search.search(everything.withPage(number++, PAGE_SIZE));
      page.items()
          .forEach(
              record -> records.putIfAbsent(record.chainId() + "#" + record.sequence(), record));
      // Until a short page, not by the total: above AuditSearch.EXACT_UP_TO that is an estimate,
      // and the report must hold every record.
    } while (page.items().size() == PAGE_SIZE);
    List<Disclosure> all = List.copyOf(records.values());
    return new SubjectReport(
        subjectPseudonym,
        madeAt,
        all.stream().filter(SubjectReports::disclosed).toList(),
        all.stream().filter(record -> !disclosed(record)).toList());
  }

  private static boolean disclosed(Disclosure record) {
    return record.decision() == AuditDecision.DISCLOSED;
  }
}
