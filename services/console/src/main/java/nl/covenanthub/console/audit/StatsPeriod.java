package nl.covenanthub.console.audit;

import java.util.Locale;

/** The unit of the counts over time: a day or a month, in the console's time zone. */
public enum StatsPeriod {
  DAY("day", "YYYY-MM-DD"),
  MONTH("month", "YYYY-MM");

  final String truncateTo;
  final String format;

  StatsPeriod(String truncateTo, String format) {
    this.truncateTo = truncateTo;
    this.format = format;
  }

  /** {@code day} or {@code month}, in any case; throws {@link InvalidSearchException} otherwise. */
  public static StatsPeriod of(String by) {
    try {
      return valueOf(by.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSearchException("by", "by must be day or month");
    }
  }
}
