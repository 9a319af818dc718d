package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import nl.covenanthub.devkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's bookkeeping and its control socket, with real processes ({@code sleep}) standing in
 * for the services: the order of starts and stops, a stop on request against a process that ends on
 * its own, and what a second launcher is told.
 */
class StackTest {
  @TempDir Path dir;

  private final List<String> events = new CopyOnWriteArrayList<>();
  private Stack stack;

  @AfterEach
  void stopEverything() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void startsInOrderAndStopsNewestFirst() {
    stack = stackOf("first", "second", "third");

    stack.startAll();
    assertThat(stack.services()).allMatch(Service::isRunning);
    stack.close();

    assertThat(events)
        .containsExactly(
            "start first",
            "start second",
            "start third",
            "stop third",
            "stop second",
            "stop first");
    assertThat(stack.services()).noneMatch(Service::isRunning);
  }

  @Test
  void aProcessStoppedOnRequestIsNotAFailureButOneThatEndsOnItsOwnIs() {
    stack = stackOf("broker", "hub");
    stack.startAll();

    stack.stop("hub");
    assertThat(stack.failed()).as("after a stop on request").isEmpty();

    stack.start("hub");
    SleepService hub = (SleepService) stack.service("hub").orElseThrow();
    hub.process.process().destroyForcibly(); // it dies, nobody asked
    await().atMost(Duration.ofMinutes(1)).until(() -> stack.failed().isPresent());
    assertThat(stack.failed()).map(Service::name).contains("hub");
  }

  @Test
  void refusesWhatCannotBeDone() {
    stack = stackOf("broker", "hub");
    stack.startAll();

    assertThatThrownBy(() -> stack.start("hub")).hasMessageStartingWith("hub runs already (pid ");
    assertThatThrownBy(() -> stack.stop("kafka"))
        .hasMessage("no process kafka in this stack; its processes: broker, hub");
    stack.stop("hub");
    assertThatThrownBy(() -> stack.stop("hub")).hasMessage("hub does not run");
  }

  @Test
  void theControlSocketStopsStartsAndListsForASecondLauncher() throws Exception {
    stack = stackOf("broker", "hub");
    stack.startAll();
    Path socket = dir.resolve(ControlSocket.FILE_NAME);
    try (ControlSocket control = ControlSocket.open(socket, stack)) {
      long before = stack.service("hub").orElseThrow().pid().orElseThrow();

      assertThat(send(socket, "stop hub")).isEqualTo(new Answer(0, "hub stopped\n", ""));
      assertThat(stack.service("hub").orElseThrow().isRunning()).isFalse();
      assertThat(send(socket, "status").out())
          .containsPattern("broker +running \\(pid \\d+\\) +log ")
          .containsPattern("hub +stopped +log ");

      assertThat(send(socket, "start hub")).isEqualTo(new Answer(0, "hub started and ready\n", ""));
      assertThat(stack.service("hub").orElseThrow().pid())
          .isPresent()
          .isNotEqualTo(Optional.of(before));

      Answer refused = send(socket, "stop nothing");
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("error: no process nothing in this stack");
      assertThat(send(socket, "reboot").err()).contains("unknown command 'reboot'");

      assertThatThrownBy(() -> ControlSocket.open(socket, stack))
          .as("a second launcher with the same state")
          .hasMessageContaining("another hub-local runs with its state in " + dir);
    }
    assertThat(send(socket, "status"))
        .as("once the launcher has gone")
        .isEqualTo(
            new Answer(
                3,
                "",
                "[hub-local] error: no hub-local runs with its state in "
                    + dir
                    + " (start one with bin/hub-local)\n"));
  }

  private Stack stackOf(String... names) {
    List<Service> services =
        java.util.Arrays.stream(names)
            .<Service>map(name -> new SleepService(name, dir, events))
            .toList();
    return new Stack(services, new Say(dir));
  }

  record Answer(int code, String out, String err) {}

  private static Answer send(Path socket, String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ControlSocket.send(
            socket,
            command,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Answer(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A real process that runs until stopped: {@code sleep}. */
  static final class SleepService implements Service {
    private final String name;
    private final Path dir;
    private final List<String> events;
    volatile ChildProcess process;

    SleepService(String name, Path dir, List<String> events) {
      this.name = name;
      this.dir = dir;
      this.events = events;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start() {
      events.add("start " + name);
      process = ChildProcess.start(name, new ProcessBuilder("sleep", "600"), log());
    }

    @Override
    public void stop() {
      events.add("stop " + name);
      process.stop(Duration.ofSeconds(10));
    }

    @Override
    public boolean isRunning() {
      return process != null && process.isAlive();
    }

    @Override
    public Optional<Long> pid() {
      return isRunning() ? Optional.of(process.pid()) : Optional.empty();
    }

    @Override
    public Path log() {
      return dir.resolve(name + ".log");
    }

    @Override
    public String address() {
      return name;
    }

    @Override
    public List<Integer> ports() {
      return List.of();
    }
  }
}
