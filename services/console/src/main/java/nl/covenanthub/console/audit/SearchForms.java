package nl.covenanthub.console.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.covenant.Bsn;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link SearchForm} into a {@link DisclosureQuery}: checks every field, with messages that
 * say what is wrong and never quote a BSN, and pseudonymises a BSN with the hub's key and code, so
 * it finds the hub's records.
 */
@Component
public class SearchForms {

  private final SubjectPseudonyms subjectPseudonyms;
  private final ZoneId zone;
  private final int maxPageSize;

  public SearchForms(SubjectPseudonyms subjectPseudonyms, ConsoleProperties properties) {
    this.subjectPseudonyms = subjectPseudonyms;
    this.zone = properties.timeZone();
    this.maxPageSize = properties.maxPageSize();
  }

  /**
   * The query of {@code form}; throws {@link InvalidSearchException} with a message for the user
   * when it is not valid.
   */
  public DisclosureQuery toQuery(SearchForm form) {
    if (form.hasBsn() && present(form.subject()) != null) {
      throw new InvalidSearchException("bsn-and-subject", "give either bsn or subject, not both");
    }
    String subject = form.hasBsn() ? subjectPseudonym(form.bsn()) : present(form.subject());
    int size = form.size() == null ? DisclosureQuery.DEFAULT_SIZE : form.size();
    if (size < 1 || size > maxPageSize) {
      throw new InvalidSearchException(
          "size", "size must be between 1 and " + maxPageSize, maxPageSize);
    }
    int page = form.page() == null ? 0 : form.page();
    if (page < 0) {
      throw new InvalidSearchException("page", "page must be 0 or more (the first page is 0)");
    }
    TimeRange range = timeRange(form.from(), form.to());
    return new DisclosureQuery(
        subject,
        present(form.caseReference()),
        present(form.sender()),
        present(form.recipient()),
        present(form.purpose()),
        decision(form.decision()),
        range.from(),
        range.to(),
        page,
        size);
  }

  /** A time range, each bound open when null. */
  public record TimeRange(Instant from, Instant to) {}

  /**
   * The range from {@code from} (an ISO-8601 instant, or a date: from the start of that day) up to
   * {@code to} (an instant, exclusive, or a date: up to and including that day), days in the
   * console's time zone.
   */
  public TimeRange timeRange(String from, String to) {
    Instant start = start("from", from);
    Instant end = end("to", to);
    if (start != null && end != null && !start.isBefore(end)) {
      throw new InvalidSearchException("from-after-to", "from must be before to");
    }
    return new TimeRange(start, end);
  }

  /**
   * The hub's pseudonyms of {@code bsn} (see {@link SubjectPseudonyms}), made from the same
   * canonical form as the hub's (spaces and dots ignored); throws if it is not a BSN.
   */
  public String subjectPseudonym(String bsn) {
    try {
      return subjectPseudonyms.of(Bsn.canonical(bsn));
    } catch (Bsn.InvalidBsnException e) {
      throw new InvalidSearchException(
          "bsn." + e.problem().name().toLowerCase(Locale.ROOT), "bsn " + e.getMessage());
    }
  }

  private static AuditDecision decision(String text) {
    String decision = present(text);
    if (decision == null) {
      return null;
    }
    try {
      return AuditDecision.valueOf(decision.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidSearchException(
          "decision",
          "decision must be one of "
              + Arrays.stream(AuditDecision.values())
                  .map(Enum::name)
                  .collect(Collectors.joining(", ")));
    }
  }

  /** An instant, or the start of a date in the console's zone. */
  private Instant start(String name, String text) {
    String value = present(text);
    if (value == null) {
      return null;
    }
    return isDate(value) ? date(name, value).atStartOfDay(zone).toInstant() : instant(name, value);
  }

  /** An instant, or the end of a date (the start of the next day) in the console's zone. */
  private Instant end(String name, String text) {
    String value = present(text);
    if (value == null) {
      return null;
    }
    return isDate(value)
        ? date(name, value).plusDays(1).atStartOfDay(zone).toInstant()
        : instant(name, value);
  }

  private static boolean isDate(String value) {
    return value.length() == 10;
  }

  private static LocalDate date(String name, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeException e) {
      throw invalidTime(name);
    }
  }

  private static Instant instant(String name, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw invalidTime(name);
    }
  }

  private static InvalidSearchException invalidTime(String name) {
    return new InvalidSearchException(
        "time." + name,
        name + " must be an ISO-8601 date (2026-05-01) or instant (2026-05-01T08:00:00Z)");
  }

  private static String present(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
