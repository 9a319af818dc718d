package nl.covenanthub.covenant;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/** The period in which a covenant is in force, both days inclusive, in Dutch local time. */
public record Validity(LocalDate from, LocalDate until) {
  public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

  public Validity {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
  }

  public boolean isEmpty() {
    return until.isBefore(from);
  }

  public boolean covers(Instant moment) {
    LocalDate day = LocalDate.ofInstant(moment, ZONE);
    return !day.isBefore(from) && !day.isAfter(until);
  }

  public boolean hasEndedBefore(LocalDate day) {
    return until.isBefore(day);
  }
}
