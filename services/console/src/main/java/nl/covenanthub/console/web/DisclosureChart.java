package nl.covenanthub.console.web;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import nl.covenanthub.console.audit.DisclosureCount;
import nl.covenanthub.console.audit.StatsPeriod;

/**
 * A line chart of decisions over time, one line per partner pair (sender to recipient, all purposes
 * together), drawn by the page as SVG: every day or month from the first to the last with a count,
 * those without as 0.
 *
 * @param periods the days ({@code 2026-05-14}) or months ({@code 2026-05}), oldest first
 * @param series one per partner pair, by sender then recipient
 * @param max the highest count of any pair in any period
 */
public record DisclosureChart(List<String> periods, List<Series> series, long max) {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 300;
  private static final int LEFT = 48;
  private static final int RIGHT = 44;
  private static final int TOP = 16;
  private static final int BOTTOM = 40;

  /** Okabe and Ito's colours, told apart by people with colour blindness too. */
  private static final List<String> COLOURS =
      List.of(
          "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000");

  private static final int MAX_X_LABELS = 8;
  private static final int MAX_MARKED_PERIODS = 62;

  /** One partner pair's counts, one per period. */
  public record Series(String sender, String recipient, String colour, List<Long> counts) {
    public Series {
      counts = List.copyOf(counts);
    }

    public String label() {
      return sender + " → " + recipient;
    }

    public long total() {
      return counts.stream().mapToLong(Long::longValue).sum();
    }
  }

  /** A point of a line, in the SVG's coordinates. */
  public record Point(double x, double y, String period, long count) {}

  /** A label on an axis, at {@code position} (x for periods, y for counts). */
  public record Tick(double position, String text) {}

  public DisclosureChart {
    periods = List.copyOf(periods);
    series = List.copyOf(series);
  }

  /** The chart of {@code counts}, which are per {@code by}. */
  public static DisclosureChart of(List<DisclosureCount> counts, StatsPeriod by) {
    List<String> periods = periods(counts, by);
    Map<String, long[]> pairs = new TreeMap<>();
    for (DisclosureCount count : counts) {
      long[] line =
          pairs.computeIfAbsent(
              count.sender() + "\n" + count.recipient(), pair -> new long[periods.size()]);
      line[periods.indexOf(count.period())] += count.count();
    }
    List<Series> series = new ArrayList<>();
    long max = 0;
    for (var pair : pairs.entrySet()) {
      String[] partners = pair.getKey().split("\n", 2);
      series.add(
          new Series(
              partners[0],
              partners[1],
              COLOURS.get(series.size() % COLOURS.size()),
              Arrays.stream(pair.getValue()).boxed().toList()));
      max = Math.max(max, Arrays.stream(pair.getValue()).max().orElse(0));
    }
    return new DisclosureChart(periods, series, max);
  }

  public boolean isEmpty() {
    return series.isEmpty();
  }

  /** The points of a series' line. */
  public List<Point> points(Series line) {
    return IntStream.range(0, periods.size())
        .mapToObj(
            i -> new Point(x(i), y(line.counts().get(i)), periods.get(i), line.counts().get(i)))
        .toList();
  }

  /** A polyline's {@code points} attribute. */
  public String polyline(Series line) {
    return String.join(
        " ", points(line).stream().map(p -> round(p.x()) + "," + round(p.y())).toList());
  }

  /**
   * Whether to mark every point (not when there are so many periods that the marks would hide the
   * lines).
   */
  public boolean marked() {
    return periods.size() <= MAX_MARKED_PERIODS;
  }

  /**
   * At most {@value #MAX_X_LABELS} periods under the x axis, evenly spread, the first and the last
   * among them.
   */
  public List<Tick> periodTicks() {
    int step = Math.max(1, (int) Math.ceil((periods.size() - 1) / (double) (MAX_X_LABELS - 1)));
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < periods.size(); i += step) {
      ticks.add(new Tick(x(i), periods.get(i)));
    }
    int last = periods.size() - 1;
    if (last > 0 && last % step != 0) {
      ticks.add(new Tick(x(last), periods.get(last)));
    }
    return ticks;
  }

  /** 0, the middle and the top of the y axis, in whole counts. */
  public List<Tick> countTicks() {
    long top = Math.max(1, max);
    return List.of(0L, top / 2, top).stream()
        .distinct()
        .map(count -> new Tick(y(count), Long.toString(count)))
        .toList();
  }

  public double x(int index) {
    double width = WIDTH - LEFT - RIGHT;
    return periods.size() <= 1 ? LEFT + width / 2 : LEFT + width * index / (periods.size() - 1);
  }

  public double y(long count) {
    double height = HEIGHT - TOP - BOTTOM;
    return TOP + height - height * count / Math.max(1, max);
  }

  public String viewBox() {
    return "0 0 " + WIDTH + " " + HEIGHT;
  }

  /** Where the x axis starts. */
  public int left() {
    return LEFT;
  }

  /** Where the x axis ends. */
  public int right() {
    return WIDTH - RIGHT;
  }

  /** Where the y axis starts (0). */
  public int bottom() {
    return HEIGHT - BOTTOM;
  }

  private static List<String> periods(List<DisclosureCount> counts, StatsPeriod by) {
    List<String> seen = counts.stream().map(DisclosureCount::period).distinct().sorted().toList();
    if (seen.isEmpty()) {
      return seen;
    }
    String first = seen.get(0);
    String last = seen.get(seen.size() - 1);
    List<String> periods = new ArrayList<>();
    if (by == StatsPeriod.DAY) {
      for (LocalDate day = LocalDate.parse(first);
          !day.isAfter(LocalDate.parse(last));
          day = day.plusDays(1)) {
        periods.add(day.toString());
      }
    } else {
      for (YearMonth month = YearMonth.parse(first);
          !month.isAfter(YearMonth.parse(last));
          month = month.plusMonths(1)) {
        periods.add(month.toString());
      }
    }
    return periods;
  }

  private static String round(double value) {
    return String.format(java.util.Locale.ROOT, "%.1f", value);
  }
}
