package nl.covenanthub.console.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** The form's own checks: what is required, how long a field and a whole report may be. */
class ReportTest {
  private static final SignalSettings LIMITS =
      new SignalSettings(
          200,
          4000,
          5000,
          3,
          60,
          Duration.ofHours(1),
          Period.ofMonths(3),
          "-",
          false,
          "team",
          "gemeente",
          "team@example.org");

  @Test
  void aReportNeedsAKindAPlaceAndADescription() {
    assertThat(Report.empty().problems(LIMITS))
        .extracting(Report.Problem::field)
        .containsExactly("kind", "city", "description");
    assertThat(report("OVERIG", "Wamel", "iets", null).problems(LIMITS)).isEmpty();
    assertThat(report("ONBEKEND", "Wamel", "iets", null).problems(LIMITS))
        .as("a kind not on the list")
        .extracting(Report.Problem::field)
        .containsExactly("kind");
  }

  @Test
  void eachFieldAndTheWholeReportHaveAMaximum() {
    assertThat(report("OVERIG", "W".repeat(201), "iets", null).problems(LIMITS))
        .containsExactly(new Report.Problem("city", "melden.error.too-long", 200));
    assertThat(report("OVERIG", "Wamel", "x".repeat(4001), null).problems(LIMITS))
        .containsExactly(new Report.Problem("description", "melden.error.too-long", 4000));
    Report large =
        new Report(
            "OVERIG",
            "s".repeat(200),
            "h".repeat(200),
            "p".repeat(200),
            "c".repeat(200),
            "a".repeat(200),
            "b".repeat(200),
            "k".repeat(200),
            "x".repeat(4000),
            "n".repeat(200),
            "d".repeat(200),
            null);
    assertThat(large.problems(LIMITS))
        .as("every field within its own limit, the whole too long")
        .containsExactly(new Report.Problem("report", "melden.error.report-too-long", 5000));
  }

  @Test
  void blankFieldsAreAbsentAndNoContactMeansAnonymous() {
    Report anonymous = report("PAND", "  Wamel ", " iets ", "   ");
    assertThat(anonymous.city()).isEqualTo("Wamel");
    assertThat(anonymous.anonymous()).isTrue();
    assertThat(anonymous.contact()).isNull();
    Report known = report("PAND", "Wamel", "iets", "M. Melder");
    assertThat(known.anonymous()).isFalse();
    assertThat(known.contact()).isEqualTo("M. Melder");
  }

  private static Report report(String kind, String city, String description, String contact) {
    return new Report(
        kind, null, null, null, city, null, null, null, description, contact, null, null);
  }
}
