package nl.covenanthub.hub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The hub's clock: real time, plus however far a test moved it on (so the schedule's waits of
 * minutes, hours or days pass at once), or standing still until a test moves it.
 */
final class ShiftedClock extends Clock {
  /** Import it to give the hub this clock. */
  @TestConfiguration
  static class AsTheHubsClock {
    @Bean
    @Primary
    ShiftedClock shiftedClock() {
      return new ShiftedClock();
    }
  }

  private volatile Duration shift = Duration.ZERO;
  private volatile Instant stoppedAt;

  synchronized void moveOn(Duration duration) {
    shift = shift.plus(duration);
    if (stoppedAt != null) {
      stoppedAt = stoppedAt.plus(duration);
    }
  }

  /** From now on time passes only when a test moves it on. */
  synchronized void stop() {
    stoppedAt = instant();
  }

  /** Real time passes again, from where the clock stands. */
  synchronized void restart() {
    shift = Duration.between(Instant.now(), stoppedAt);
    stoppedAt = null;
  }

  @Override
  public Instant instant() {
    Instant stopped = stoppedAt;
    return stopped != null ? stopped : Instant.now().plus(shift);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this; // instants are what the hub compares; its zone is UTC
  }
}
