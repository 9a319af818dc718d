package nl.covenanthub.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import nl.covenanthub.devkit.MovableClock;
import nl.covenanthub.hub.http.IdempotencyKeys.Remembered;
import org.junit.jupiter.api.Test;

/** Idempotency keys are answered for their window, then forgotten: memory stays one window. */
class RememberedKeysTest {
  private static final Duration WINDOW = Duration.ofHours(1);
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final RememberedKeys keys = new RememberedKeys(WINDOW, clock);

  private Remembered rememberedNow(String eventId) {
    return new Remembered("fingerprint-of-" + eventId, eventId, clock.millis());
  }

  private void moveOn(Duration duration) {
    clock.set(clock.instant().plus(duration));
  }

  @Test
  void aKeyIsAnsweredWithinItsWindowAndForgottenAfter() {
    keys.remember("k", rememberedNow("e1"));

    moveOn(WINDOW.minusMillis(1));
    assertThat(keys.within("k")).map(Remembered::eventId).contains("e1");

    moveOn(Duration.ofMillis(1));
    assertThat(keys.within("k")).isEmpty();
    assertThat(keys.size()).as("gone from memory, not only hidden").isZero();
  }

  @Test
  void memoryHoldsOneWindowOfKeysHoweverLongTheHubRuns() {
    int perWindow = (int) WINDOW.toSeconds();
    int largest = 0;
    for (int i = 0; i < 5 * perWindow; i++) {
      keys.remember("k" + i, rememberedNow("e" + i));
      largest = Math.max(largest, keys.size());
      moveOn(Duration.ofSeconds(1)); // a key a second for five windows
    }
    assertThat(largest).isEqualTo(perWindow);
    assertThat(keys.within("k" + (5 * perWindow - 1))).as("the newest").isPresent();
    assertThat(keys.within("k" + (4 * perWindow - 1))).as("one window back").isEmpty();
  }

  @Test
  void aKeyRememberedAgainLaterLastsFromThen() {
    keys.remember("k", rememberedNow("e1"));
    moveOn(WINDOW.dividedBy(2));
    keys.remember("k", rememberedNow("e2"));

    moveOn(WINDOW.dividedBy(2));
    assertThat(keys.within("k"))
        .as("the first remembering's end does not take the second")
        .map(Remembered::eventId)
        .contains("e2");

    moveOn(WINDOW.dividedBy(2));
    assertThat(keys.within("k")).isEmpty();
  }

  @Test
  void aKeyRememberedLongAgoIsNotKept() {
    // Read back from the topic at start-up, older than the window (the broker deletes whole
    // segments, so a topic can still hold it).
    keys.remember("old", new Remembered("f", "e0", clock.instant().minus(WINDOW).toEpochMilli()));
    assertThat(keys.within("old")).isEmpty();
    assertThat(keys.size()).isZero();
  }

  @Test
  void aKeyTheTopicDeletedIsForgotten() {
    keys.remember("k", rememberedNow("e1"));
    keys.forget("k");
    assertThat(keys.within("k")).isEmpty();
  }
}
