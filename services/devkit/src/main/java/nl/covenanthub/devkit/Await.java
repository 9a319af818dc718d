package nl.covenanthub.devkit;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Waiting for a process to become ready: a check polled until it passes, failing early when the
 * process ends and late when the deadline passes, with a progress line now and then for a person
 * who is watching.
 */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(250);

  /** One attempt at the readiness check; an exception counts as "not yet". */
  @FunctionalInterface
  public interface Check {
    boolean passes() throws Exception;
  }

  private Await() {}

  /**
   * Polls {@code check} until it passes. Throws {@link ChildProcess#failure} if {@code process}
   * ends first or {@code timeout} passes; calls {@code progress} with the time spent every {@code
   * progressEvery} (if not null).
   */
  public static void ready(
      ChildProcess process,
      Check check,
      Duration timeout,
      Duration progressEvery,
      Consumer<Duration> progress) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    long nextProgress = progressEvery == null ? Long.MAX_VALUE : started + progressEvery.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw process.failure(
            "stopped while starting (exit code " + process.process().exitValue() + ")");
      }
      if (passes(check)) {
        return;
      }
      long now = System.nanoTime();
      if (now >= deadline) {
        throw process.failure("was not ready within " + timeout.toSeconds() + " s");
      }
      if (now >= nextProgress && progress != null) {
        progress.accept(Duration.ofNanos(now - started));
        nextProgress += progressEvery.toNanos();
      }
      sleep(POLL);
    }
  }

  private static boolean passes(Check check) {
    try {
      return check.passes();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    } catch (Exception e) {
      return false;
    }
  }

  /** Sleeps, turning an interrupt into an exception that ends the wait. */
  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
