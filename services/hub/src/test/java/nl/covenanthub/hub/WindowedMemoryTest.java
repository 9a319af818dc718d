package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.devkit.MovableClock;
import org.junit.jupiter.api.Test;

/**
 * A value is held for its window, then forgotten (and its owner told, to make the topic forget it
 * too): memory stays one window, however long the hub runs.
 */
class WindowedMemoryTest {
  private static final Duration WINDOW = Duration.ofHours(1);

  /** A value and when its window began, as an idempotency key or a delivery state carries it. */
  private record Value(String text, long at) {}

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final List<String> forgotten = new ArrayList<>();
  private final WindowedMemory<Value> memory =
      new WindowedMemory<>(WINDOW, clock, Value::at, (key, value) -> forgotten.add(key));

  private Value now(String text) {
    return new Value(text, clock.millis());
  }

  private void moveOn(Duration duration) {
    clock.set(clock.instant().plus(duration));
  }

  @Test
  void aValueIsHeldWithinItsWindowAndForgottenAfter() {
    memory.put("k", now("e1"));

    moveOn(WINDOW.minusMillis(1));
    assertThat(memory.get("k")).map(Value::text).contains("e1");
    assertThat(forgotten).isEmpty();

    moveOn(Duration.ofMillis(1));
    assertThat(memory.get("k")).isEmpty();
    assertThat(memory.size()).as("gone from memory, not only hidden").isZero();
    assertThat(forgotten).as("its owner is told, once").containsExactly("k");
    memory.forgetEnded();
    assertThat(forgotten).containsExactly("k");
  }

  @Test
  void memoryHoldsOneWindowOfValuesHoweverLongTheHubRuns() {
    int perWindow = (int) WINDOW.toSeconds();
    int largest = 0;
    for (int i = 0; i < 5 * perWindow; i++) {
      memory.put("k" + i, now("e" + i));
      largest = Math.max(largest, memory.size());
      moveOn(Duration.ofSeconds(1)); // a value a second for five windows
    }
    assertThat(largest).isEqualTo(perWindow);
    assertThat(memory.get("k" + (5 * perWindow - 1))).as("the newest").isPresent();
    assertThat(memory.get("k" + (4 * perWindow - 1))).as("one window back").isEmpty();
    assertThat(forgotten).hasSize(4 * perWindow + 1);
  }

  @Test
  void aValuePutAgainLaterLastsFromThen() {
    memory.put("k", now("e1"));
    moveOn(WINDOW.dividedBy(2));
    memory.put("k", now("e2"));

    moveOn(WINDOW.dividedBy(2));
    assertThat(memory.get("k"))
        .as("the first value's end does not take the second")
        .map(Value::text)
        .contains("e2");
    assertThat(forgotten).isEmpty();

    moveOn(WINDOW.dividedBy(2));
    assertThat(memory.get("k")).isEmpty();
    assertThat(forgotten).containsExactly("k");
  }

  @Test
  void aValueFromLongAgoIsNotKept() {
    // Read back from a topic at start-up, older than the window (the broker deletes whole
    // segments, so a topic can still hold it).
    memory.put("old", new Value("e0", clock.instant().minus(WINDOW).toEpochMilli()));
    assertThat(memory.get("old")).isEmpty();
    assertThat(memory.size()).isZero();
    assertThat(forgotten).containsExactly("old");
  }

  @Test
  void aValueRemovedIsGoneAndItsOwnerIsNotTold() {
    memory.put("k", now("e1"));
    memory.remove("k");
    assertThat(memory.get("k")).isEmpty();
    moveOn(WINDOW);
    memory.forgetEnded();
    assertThat(forgotten).as("the topic deleted it already").isEmpty();
  }
}
