package nl.covenanthub.launcher;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import nl.covenanthub.devkit.Await;

/**
 * The end of a {@code --count} run: the hubs' audit counters ({@code hub_disclosures_total}, read
 * as the operator) against what the console has indexed since the run started (its API, as the
 * privacy officer).
 */
final class IndexCheck {
  private static final Duration INDEX_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Stack stack;
  private final LocalSettings settings;
  private final HttpProbe probe;
  private final Say say;

  IndexCheck(Stack stack, LocalSettings settings, HttpProbe probe, Say say) {
    this.stack = stack;
    this.settings = settings;
    this.probe = probe;
    this.say = say;
  }

  /**
   * Until the console has indexed every audit record the hubs counted since {@code runStarted}: the
   * exit code.
   */
  int await(Instant runStarted) {
    if (!settings.hasDemoUsers() || stack.service("console").isEmpty()) {
      return 0; // no demo users to ask with, or no console
    }
    long deadline = System.nanoTime() + INDEX_TIMEOUT.toNanos();
    long expected = -1;
    long indexed = -1;
    while (System.nanoTime() < deadline) {
      try {
        expected = 0;
        for (int n = 1; n <= settings.hubs(); n++) {
          if (stack.service(LocalStack.hubName(n)).map(Service::isRunning).orElse(false)) {
            expected += (long) probe.counter(settings.ports().hub(n), "hub_disclosures_total");
          }
        }
        indexed = probe.auditRecordsSince(settings.ports().console(), runStarted);
        if (indexed >= expected) {
          say.line(
              "console: indexed all "
                  + expected
                  + " audit records of this run (http://localhost:"
                  + settings.ports().console()
                  + "/api/disclosures, role privacy-officer)");
          return 0;
        }
      } catch (IOException e) {
        // not answering yet: try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 130;
      }
      Await.sleep(POLL);
    }
    say.error(
        "the console indexed "
            + Math.max(indexed, 0)
            + " of the "
            + Math.max(expected, 0)
            + " audit records of this run within "
            + INDEX_TIMEOUT.toSeconds()
            + " s (log "
            + say.relative(settings.log("console"))
            + ")");
    return 1;
  }
}
