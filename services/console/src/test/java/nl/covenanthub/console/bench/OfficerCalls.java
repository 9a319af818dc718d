package nl.covenanthub.console.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import nl.covenanthub.console.audit.AuditSearch;
import nl.covenanthub.console.audit.DisclosureQuery;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.audit.StatsPeriod;
import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.integrity.IntegrityReport;
import nl.covenanthub.console.report.SubjectReports;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The calls the privacy officer's pages and API make, besides the searches by subject and case,
 * each timed as the console's service answers it (the statements and the Java around them; not
 * HTTP, JSON or the page template): a partner pair over a week, a partner pair over everything, the
 * unfiltered first page, one record by disclosure id, the subject report (Art. 15), the chart per
 * day and per month, and the integrity of the last day as the page shows it; and, not counted in
 * the worst, the console's walk of the last day every 5 minutes that the page goes on from. Round
 * robin, so that a pause of the machine hits all alike (and the page always goes on from a walk a
 * round before, as it would from the one at most 5 minutes before).
 */
final class OfficerCalls {
  private static final int PAGE = 50;

  /** One call: its name, and what it does with a random source; returns the size of its answer. */
  private record Call(String name, ToLongFunction<SplittableRandom> run, boolean waitedFor) {
    Call(String name, ToLongFunction<SplittableRandom> run) {
      this(name, run, true);
    }
  }

  private final List<Call> calls = new ArrayList<>();

  OfficerCalls(
      SearchForms forms,
      AuditSearch search,
      SubjectReports reports,
      IntegrityCheck integrity,
      JdbcClient db,
      List<String> subjects,
      Instant first,
      Duration span) {
    Instant end = first.plus(span);
    calls.add(
        new Call(
            "partner pair politie -> lzn, a random week",
            random -> {
              LocalDate from =
                  LocalDate.ofInstant(first, ZoneOffset.UTC)
                      .plusDays(random.nextInt((int) Math.max(1, span.toDays() - 7)));
              return search
                  .search(
                      forms.toQuery(
                          filters(
                              "politie",
                              "lzn",
                              null,
                              from.toString(),
                              from.plusDays(7).toString())))
                  .total();
            }));
    calls.add(
        new Call(
            "partner pair politie -> lzn, all time",
            random ->
                search.search(forms.toQuery(filters("politie", "lzn", null, null, null))).total()));
    calls.add(
        new Call(
            "no filter, first page",
            random -> search.search(DisclosureQuery.everything()).total()));
    calls.add(
        new Call(
            "decision WITHHELD, a random month",
            random -> {
              LocalDate from =
                  LocalDate.ofInstant(first, ZoneOffset.UTC)
                      .plusMonths(random.nextInt((int) Math.max(1, span.toDays() / 31)))
                      .withDayOfMonth(1);
              return search
                  .search(
                      forms.toQuery(
                          filters(
                              null,
                              null,
                              "WITHHELD",
                              from.toString(),
                              from.plusMonths(1).toString())))
                  .total();
            }));
    List<String> disclosureIds = disclosureIds(db, first, span, new SplittableRandom(7));
    calls.add(
        new Call(
            "one record by disclosure id",
            random ->
                search
                    .disclosure(disclosureIds.get(random.nextInt(disclosureIds.size())))
                    .map(found -> 1L)
                    .orElseThrow(() -> new IllegalStateException("a record was not found"))));
    calls.add(
        new Call(
            "subject report (Art. 15), a random subject",
            random -> {
              var report = reports.about(subjects.get(random.nextInt(subjects.size())));
              return report.disclosed().size() + report.notDisclosed().size();
            }));
    calls.add(
        new Call(
            "chart: DISCLOSED per day, all time",
            random ->
                search
                    .counts(
                        forms.toQuery(filters(null, null, "DISCLOSED", null, null)),
                        StatsPeriod.of("day"))
                    .size()));
    calls.add(
        new Call(
            "chart: everything per month",
            random -> search.counts(DisclosureQuery.everything(), StatsPeriod.of("month")).size()));
    calls.add(
        new Call(
            "integrity of the last day, as the page shows it",
            random -> checked(integrity.verifySince(end.minus(Duration.ofDays(1))))));
    // Not a call the officer waits for: the console's walk every 5 minutes that the page goes on
    // from (and the page's "re-hash the last day now").
    calls.add(
        new Call(
            "* the last day re-hashed in full (every 5 min)",
            // As IntegrityMonitor.rehashLastDay: up to the newest record.
            random -> checked(integrity.verify(null, end.minus(Duration.ofDays(1)), null)),
            false));
  }

  private static long checked(IntegrityReport report) {
    if (!report.intact()) {
      throw new IllegalStateException("the benchmark's chains do not hold: " + report);
    }
    return report.checked();
  }

  /** The first page of a search by partner pair, decision and dates (any may be null). */
  private static SearchForm filters(
      String sender, String recipient, String decision, String from, String to) {
    return new SearchForm(null, null, null, sender, recipient, null, decision, from, to, 0, PAGE);
  }

  /** Disclosure ids of records spread over the time span. */
  private static List<String> disclosureIds(
      JdbcClient db, Instant first, Duration span, SplittableRandom random) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Instant at = first.plusSeconds(random.nextLong(span.toSeconds()));
      db.sql(
              "SELECT disclosure_id FROM audit_record WHERE decided_at >= :at ORDER BY decided_at"
                  + " LIMIT 1")
          .param("at", at.atOffset(ZoneOffset.UTC))
          .query(String.class)
          .optional()
          .ifPresent(ids::add);
    }
    return ids;
  }

  /**
   * Runs every call {@code warmUp} times, then {@code times} times, round robin; appends a line per
   * call to the report and returns the worst p95 in ms of the calls the officer waits for (not
   * those marked with *).
   */
  double measure(int warmUp, int times, SplittableRandom random, StringBuilder report) {
    Map<Call, long[]> nanos = new LinkedHashMap<>();
    Map<Call, Long> answers = new LinkedHashMap<>();
    calls.forEach(call -> nanos.put(call, new long[times]));
    long started = System.nanoTime();
    for (int i = -warmUp; i < times; i++) {
      for (Call call : calls) {
        long t = System.nanoTime();
        long answer = call.run().applyAsLong(random);
        long took = System.nanoTime() - t;
        if (i >= 0) {
          nanos.get(call)[i] = took;
          answers.merge(call, answer, Math::max);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "the privacy officer's other calls: %d rounds of %d calls after %d to warm up, in %.1f s%n",
        times,
        calls.size(),
        warmUp,
        (System.nanoTime() - started) / 1e9);
    append(
        report,
        "%-50s %6s %8s %8s %8s   %s",
        "call (as the service answers it)",
        "calls",
        "p50 ms",
        "p95 ms",
        "max ms",
        "answer (largest)");
    double worst = 0;
    for (Call call : calls) {
      long[] sorted = nanos.get(call).clone();
      Arrays.sort(sorted);
      double p95 = AuditBench.ms(AuditBench.percentile(sorted, 95));
      if (call.waitedFor()) {
        worst = Math.max(worst, p95);
      }
      append(
          report,
          "%-50s %6d %8.2f %8.2f %8.2f   %d",
          call.name(),
          times,
          AuditBench.ms(AuditBench.percentile(sorted, 50)),
          p95,
          AuditBench.ms(sorted[sorted.length - 1]),
          answers.get(call));
    }
    return worst;
  }

  private static void append(StringBuilder report, String format, Object... args) {
    report.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
