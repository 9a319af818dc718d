package nl.covenanthub.console.signals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Removes dismissed signals once {@code console.signals.dismissed-kept-for} (three months by
 * default) has passed since they were dismissed, with what was added to them and merged into them.
 */
@Service
public class DismissedSignals {
  private static final Logger log = LoggerFactory.getLogger(DismissedSignals.class);

  private final SignalStore store;
  private final SignalSettings settings;
  private final Clock clock;

  DismissedSignals(SignalStore store, SignalSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(cron = "${console.signals.removal-cron:0 15 3 * * *}")
  void onSchedule() {
    removeExpired();
  }

  /** Removes every signal dismissed longer ago than the period; how many. */
  public int removeExpired() {
    Instant cutoff =
        clock.instant().atOffset(ZoneOffset.UTC).minus(settings.dismissedKeptFor()).toInstant();
    int removed = store.removeDismissedBefore(cutoff);
    log.info("Removed {} signal(s) dismissed before {}", removed, cutoff);
    return removed;
  }
}
