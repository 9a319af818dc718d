package nl.covenanthub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.audit.DisclosureCount;
import nl.covenanthub.console.audit.StatsPeriod;
import org.junit.jupiter.api.Test;

class DisclosureChartTest {

  @Test
  void onePairOneLineOverEveryDayWithTheGapsAsZero() {
    DisclosureChart chart =
        DisclosureChart.of(
            List.of(
                count("2026-05-01", "politie", "lzn", "zorg-en-veiligheid", 2),
                count("2026-05-01", "politie", "lzn", "ondermijning", 1),
                count("2026-05-04", "politie", "lzn", "zorg-en-veiligheid", 5),
                count("2026-05-03", "lzn", "politie", "zorg-en-veiligheid", 1)),
            StatsPeriod.DAY);

    assertThat(chart.periods())
        .containsExactly("2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04");
    assertThat(chart.series())
        .extracting(DisclosureChart.Series::label)
        .as("by sender, then recipient")
        .containsExactly("lzn → politie", "politie → lzn");
    assertThat(chart.series().get(1).counts())
        .as("purposes added up, a day without as 0")
        .containsExactly(3L, 0L, 0L, 5L);
    assertThat(chart.max()).isEqualTo(5);
    assertThat(chart.series()).extracting(DisclosureChart.Series::colour).doesNotHaveDuplicates();
  }

  @Test
  void theLineRunsFromTheLeftToTheRightAndTheHighestCountIsAtTheTop() {
    DisclosureChart chart =
        DisclosureChart.of(
            List.of(
                count("2026-01", "politie", "lzn", "p", 4),
                count("2026-03", "politie", "lzn", "p", 2)),
            StatsPeriod.MONTH);

    List<DisclosureChart.Point> points = chart.points(chart.series().get(0));
    assertThat(points)
        .extracting(DisclosureChart.Point::period)
        .containsExactly("2026-01", "2026-02", "2026-03");
    assertThat(points.get(0).x()).isEqualTo(chart.left());
    assertThat(points.get(2).x()).isEqualTo(chart.right());
    assertThat(points.get(1).y()).as("0 on the x axis").isEqualTo(chart.bottom());
    assertThat(points.get(0).y()).as("the highest count at the top").isLessThan(points.get(2).y());
    assertThat(chart.polyline(chart.series().get(0)).split(" ")).hasSize(3);
    assertThat(chart.periodTicks())
        .extracting(DisclosureChart.Tick::text)
        .containsExactly("2026-01", "2026-02", "2026-03");
  }

  @Test
  void aLongRangeHasAtMostEightPeriodLabelsWithTheFirstAndTheLast() {
    DisclosureChart chart =
        DisclosureChart.of(
            List.of(
                count("2026-01-01", "politie", "lzn", "p", 1),
                count("2026-12-31", "politie", "lzn", "p", 1)),
            StatsPeriod.DAY);

    assertThat(chart.periods()).hasSize(365);
    assertThat(chart.periodTicks())
        .hasSizeLessThanOrEqualTo(9)
        .extracting(DisclosureChart.Tick::text)
        .startsWith("2026-01-01")
        .endsWith("2026-12-31");
    assertThat(chart.marked()).as("no marks on 365 points").isFalse();
  }

  @Test
  void noCountsNoChart() {
    assertThat(DisclosureChart.of(List.of(), StatsPeriod.DAY).isEmpty()).isTrue();
  }

  private static DisclosureCount count(
      String period, String sender, String recipient, String purpose, long n) {
    return new DisclosureCount(period, sender, recipient, purpose, AuditDecision.DISCLOSED, n);
  }
}
