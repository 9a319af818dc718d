package nl.covenanthub.console.signals;

import java.time.Instant;
import java.util.List;

/**
 * One signal of the werkbestand as the integral-safety officer reads it: what was reported, what
 * was added later, what triage made of it.
 */
public record Signal(
    long id,
    String reference,
    Instant receivedAt,
    SignalKind kind,
    String street,
    String houseNumber,
    String postcode,
    String city,
    String area,
    String companyName,
    String kvkNumber,
    String description,
    String reporterContact,
    SignalStatus status,
    String mergedInto,
    String summary,
    String dismissReason,
    String riecCase,
    String outcomeNote,
    List<Addition> additions,
    List<String> merged) {

  public Signal {
    additions = List.copyOf(additions);
    merged = List.copyOf(merged);
  }

  /** Something the reporter added with the receipt code. */
  public record Addition(Instant addedAt, String text) {}

  /** A line of the work list: no content beyond where and what kind. */
  public record Summary(
      String reference,
      Instant receivedAt,
      SignalKind kind,
      String where,
      String companyName,
      SignalStatus status,
      int additions) {}

  /** Where, in one line, as the form had it. */
  public String where() {
    return where(street, houseNumber, postcode, city, area);
  }

  static String where(
      String street, String houseNumber, String postcode, String city, String area) {
    StringBuilder where = new StringBuilder();
    append(
        where, street == null ? null : houseNumber == null ? street : street + " " + houseNumber);
    append(where, postcode == null ? city : city == null ? postcode : postcode + " " + city);
    append(where, area);
    return where.toString();
  }

  private static void append(StringBuilder where, String part) {
    if (part != null) {
      if (where.length() > 0) {
        where.append(", ");
      }
      where.append(part);
    }
  }
}
