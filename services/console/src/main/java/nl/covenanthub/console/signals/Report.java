package nl.covenanthub.console.signals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A report as the public form posts it. Every field is optional to the binder; {@link #problems}
 * says what is missing or too long, per field, so the form can show each message beside its field.
 */
public record Report(
    String kind,
    String street,
    String houseNumber,
    String postcode,
    String city,
    String area,
    String companyName,
    String kvkNumber,
    String description,
    String contactName,
    String contactDetails,
    String answer) {

  /** What is wrong with one field (or, for {@code field} "report", with the whole). */
  public record Problem(String field, String message, int limit) {}

  public Report {
    kind = trimmed(kind);
    street = trimmed(street);
    houseNumber = trimmed(houseNumber);
    postcode = trimmed(postcode);
    city = trimmed(city);
    area = trimmed(area);
    companyName = trimmed(companyName);
    kvkNumber = trimmed(kvkNumber);
    description = trimmed(description);
    contactName = trimmed(contactName);
    contactDetails = trimmed(contactDetails);
    answer = trimmed(answer);
  }

  static Report empty() {
    return new Report(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether the reporter gave no contact: then nothing about them is stored. */
  public boolean anonymous() {
    return contactName == null && contactDetails == null;
  }

  /** The reporter's contact as one text, or null when anonymous. */
  String contact() {
    if (anonymous()) {
      return null;
    }
    return Stream.of(contactName, contactDetails)
        .filter(v -> v != null)
        .reduce((a, b) -> a + " · " + b)
        .orElse(null);
  }

  /** Missing and too-long fields; the challenge's answer is checked elsewhere. */
  List<Problem> problems(SignalSettings limits) {
    List<Problem> problems = new ArrayList<>();
    SignalKind parsed = chosenKind();
    if (parsed == null) {
      problems.add(new Problem("kind", "melden.error.kind", 0));
    }
    if (city == null && area == null && street == null && postcode == null) {
      problems.add(new Problem("city", "melden.error.where", 0));
    }
    if (description == null) {
      problems.add(new Problem("description", "melden.error.description", 0));
    }
    checkLength("street", street, limits, problems);
    checkLength("houseNumber", houseNumber, limits, problems);
    checkLength("postcode", postcode, limits, problems);
    checkLength("city", city, limits, problems);
    checkLength("area", area, limits, problems);
    checkLength("companyName", companyName, limits, problems);
    checkLength("kvkNumber", kvkNumber, limits, problems);
    checkLength("contactName", contactName, limits, problems);
    checkLength("contactDetails", contactDetails, limits, problems);
    if (description != null && description.length() > limits.maxDescriptionLength()) {
      problems.add(
          new Problem("description", "melden.error.too-long", limits.maxDescriptionLength()));
    }
    if (length() > limits.maxReportLength()) {
      problems.add(new Problem("report", "melden.error.report-too-long", limits.maxReportLength()));
    }
    return problems;
  }

  /** The kind chosen, or null when none or not one of the list. */
  SignalKind chosenKind() {
    if (kind == null) {
      return null;
    }
    for (SignalKind known : SignalKind.values()) {
      if (known.name().equals(kind)) {
        return known;
      }
    }
    return null;
  }

  private int length() {
    return Stream.of(
            street,
            houseNumber,
            postcode,
            city,
            area,
            companyName,
            kvkNumber,
            description,
            contactName,
            contactDetails)
        .mapToInt(v -> v == null ? 0 : v.length())
        .sum();
  }

  private static void checkLength(
      String field, String value, SignalSettings limits, List<Problem> problems) {
    if (value != null && value.length() > limits.maxFieldLength()) {
      problems.add(new Problem(field, "melden.error.too-long", limits.maxFieldLength()));
    }
  }

  private static String trimmed(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }
}
