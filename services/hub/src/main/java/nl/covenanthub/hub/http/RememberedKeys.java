package nl.covenanthub.hub.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.hub.http.IdempotencyKeys.Remembered;

/**
 * The idempotency keys an instance holds in memory, each until its window ends. Then it is
 * forgotten here as the topic forgets it, so that memory holds what one window's requests used (at
 * most the partners' rate limits times the window), not every key since the instance started.
 */
final class RememberedKeys {
  /** When a key was remembered: keys come roughly in that order, so the oldest are at the head. */
  private record Remembering(String storeKey, long at) {}

  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
  private final Queue<Remembering> oldestFirst = new ArrayDeque<>();
  private final long windowMillis;
  private final Clock clock;

  RememberedKeys(Duration window, Clock clock) {
    this.windowMillis = window.toMillis();
    this.clock = clock;
  }

  /** What the first request with this key published, while its window lasts. */
  Optional<Remembered> within(String storeKey) {
    forgetEnded();
    Remembered first = remembered.get(storeKey);
    return first != null && !ended(first.at()) ? Optional.of(first) : Optional.empty();
  }

  void remember(String storeKey, Remembered first) {
    remembered.put(storeKey, first);
    synchronized (oldestFirst) {
      oldestFirst.add(new Remembering(storeKey, first.at()));
    }
    forgetEnded();
  }

  /** The topic deleted the key (a tombstone). */
  void forget(String storeKey) {
    remembered.remove(storeKey);
  }

  int size() {
    return remembered.size();
  }

  private void forgetEnded() {
    synchronized (oldestFirst) {
      while (!oldestFirst.isEmpty() && ended(oldestFirst.peek().at())) {
        Remembering old = oldestFirst.poll();
        // Not when the key was remembered again since (a later time).
        remembered.computeIfPresent(old.storeKey(), (key, r) -> r.at() == old.at() ? null : r);
      }
    }
  }

  private boolean ended(long at) {
    return at + windowMillis <= clock.millis();
  }
}
