package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh): their logs, stopping a whole tree, and what a failed start tells. */
class ChildProcessTest {
  @TempDir Path dir;

  @Test
  void stoppingEndsTheProcessAndEverythingItStarted() throws Exception {
    Path log = dir.resolve("logs/tree.log");
    // sh starts a grandchild (sleep) and waits: a TERM to sh alone would leave the sleep running.
    ChildProcess tree =
        ChildProcess.start(
            "tree", new ProcessBuilder("sh", "-c", "echo started; sleep 600 & wait"), log);
    Awaitility.waitUntil(
        () -> tree.tree().size() >= 2 && Files.readString(log).contains("started"));
    List<ProcessHandle> all = tree.tree();

    tree.stop(Duration.ofSeconds(30));

    assertThat(all).as("the process and its descendants").noneMatch(ProcessHandle::isAlive);
    assertThat(tree.isAlive()).isFalse();
    assertThat(tree.logTail(5)).as("its log").isEqualTo("started");
  }

  @Test
  void aProcessThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
    Path log = dir.resolve("stubborn.log");
    ChildProcess stubborn =
        ChildProcess.start(
            "stubborn",
            new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"),
            log);
    Awaitility.waitUntil(() -> Files.readString(log).contains("ready"));

    boolean inTime = stubborn.stop(Duration.ofMillis(500));

    assertThat(inTime).as("stopped within the grace period").isFalse();
    assertThat(stubborn.isAlive()).as("alive after the kill").isFalse();
  }

  @Test
  void aStartThatEndsEarlyFailsNamingTheProcessItsLogAndItsLastLines() {
    Path log = dir.resolve("early.log");
    ChildProcess early =
        ChildProcess.start(
            "early service",
            new ProcessBuilder("sh", "-c", "echo line one; echo 'port 1234 in use' >&2; exit 3"),
            log);

    assertThatThrownBy(() -> Await.ready(early, () -> false, Duration.ofMinutes(5), null, null))
        .hasMessageContaining("the early service stopped while starting (exit code 3)")
        .hasMessageContaining(log.toString())
        .hasMessageEndingWith("line one\nport 1234 in use");
  }

  @Test
  void aStartThatTakesTooLongFailsAfterItsTimeoutAndReportsProgress() throws Exception {
    Path log = dir.resolve("slow.log");
    ChildProcess slow = ChildProcess.start("slow service", new ProcessBuilder("sleep", "600"), log);
    List<Duration> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      assertThatThrownBy(
              () ->
                  Await.ready(
                      slow,
                      () -> false,
                      Duration.ofSeconds(2),
                      Duration.ofMillis(500),
                      progress::add))
          .hasMessageContaining("the slow service was not ready within 2 s");
      assertThat(progress).as("progress reports while waiting").isNotEmpty();
    } finally {
      slow.stop(Duration.ofSeconds(10));
    }
  }

  @Test
  void aCheckThatThrowsCountsAsNotReadyYet() throws Exception {
    ChildProcess sleeper =
        ChildProcess.start("sleeper", new ProcessBuilder("sleep", "600"), dir.resolve("s.log"));
    int[] calls = {0};
    try {
      Await.ready(
          sleeper,
          () -> {
            if (++calls[0] < 3) {
              throw new java.io.IOException("connection refused");
            }
            return true;
          },
          Duration.ofMinutes(5),
          null,
          null);
      assertThat(calls[0]).as("attempts until it passed").isEqualTo(3);
    } finally {
      sleeper.stop(Duration.ofSeconds(10));
    }
  }

  /** Waits for a condition without a fixed sleep (the devkit has no Awaitility dependency). */
  static final class Awaitility {
    static void waitUntil(Await.Check condition) throws Exception {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!condition.passes()) {
        assertThat(System.nanoTime()).as("condition met within two minutes").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }
}
