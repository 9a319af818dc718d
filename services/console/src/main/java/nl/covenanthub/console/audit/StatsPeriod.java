package nl.covenanthub.console.audit;

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
}
