package nl.covenanthub.hub;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * Values an instance holds in memory by key, each until its window ends (counted from the time the
 * value carries). Then it is forgotten, as the topic behind it forgets it, so that memory holds
 * what one window brought (idempotency keys, webhook delivery states), not everything since the
 * instance started. Time comes from a clock, so a test moves it instead of waiting.
 *
 * @param <V> what is held per key
 */
public final class WindowedMemory<V> {
  /** When a value was put: values come roughly in that order, so the oldest are at the head. */
  private record Put(String key, long at) {}

  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final Queue<Put> oldestFirst = new ArrayDeque<>();
  private final long windowMillis;
  private final Clock clock;
  private final ToLongFunction<V> at;
  private final BiConsumer<String, V> forgotten;

  /**
   * @param at when a value's window begins (epoch milliseconds)
   * @param forgotten told of each value forgotten because its window ended (not of those removed)
   */
  public WindowedMemory(
      Duration window, Clock clock, ToLongFunction<V> at, BiConsumer<String, V> forgotten) {
    this.windowMillis = window.toMillis();
    this.clock = clock;
    this.at = at;
    this.forgotten = forgotten;
  }

  /** The value of {@code key}, while its window lasts. */
  public Optional<V> get(String key) {
    forgetEnded();
    V value = values.get(key);
    return value != null && !ended(at.applyAsLong(value)) ? Optional.of(value) : Optional.empty();
  }

  /** Holds {@code value} for {@code key} (in place of what it held) until its window ends. */
  public void put(String key, V value) {
    V previous = values.put(key, value);
    long when = at.applyAsLong(value);
    // The same time again (a value read back from the topic it was written to): already queued.
    if (previous == null || at.applyAsLong(previous) != when) {
      synchronized (oldestFirst) {
        oldestFirst.add(new Put(key, when));
      }
    }
    forgetEnded();
  }

  /** Forgets {@code key} now (the topic deleted it). */
  public void remove(String key) {
    values.remove(key);
  }

  public int size() {
    return values.size();
  }

  /** Forgets every value whose window ended. */
  public void forgetEnded() {
    List<Map.Entry<String, V>> gone = new ArrayList<>();
    synchronized (oldestFirst) {
      while (!oldestFirst.isEmpty() && ended(oldestFirst.peek().at())) {
        Put old = oldestFirst.poll();
        V value = values.get(old.key());
        // Not when the key was put again since (a later time).
        if (value != null && at.applyAsLong(value) == old.at() && values.remove(old.key(), value)) {
          gone.add(Map.entry(old.key(), value));
        }
      }
    }
    gone.forEach(entry -> forgotten.accept(entry.getKey(), entry.getValue()));
  }

  private boolean ended(long at) {
    return at + windowMillis <= clock.millis();
  }
}
