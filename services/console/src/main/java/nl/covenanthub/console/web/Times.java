package nl.covenanthub.console.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import nl.covenanthub.console.ConsoleProperties;
import org.springframework.stereotype.Component;

/**
 * Times as the pages show them: to the second, in the console's time zone ({@code
 * ${@times.format(instant)}}).
 */
@Component("times")
public class Times {
  private final DateTimeFormatter format;

  Times(ConsoleProperties properties) {
    this.format =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
            .withZone(properties.timeZone());
  }

  public String format(Instant instant) {
    return instant == null ? "" : format.format(instant);
  }
}
