package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nl.covenanthub.devkit.ChildProcess;
import nl.covenanthub.devkit.FreePorts;
import nl.covenanthub.devkit.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/hub-local} end to end: the packaged launcher run as a person runs it, with everything
 * real (Keycloak, the broker, PostgreSQL, the hub, the console, the demo partners), on free ports
 * and with its state in {@code target/it-stack}. What the README promises: {@code --count} decides,
 * delivers, indexes and stops; {@code --demo} runs until Ctrl-C, which stops everything it started;
 * one process can be stopped and started on request.
 */
class HubLocalIT {
  private static final Path ROOT = Repository.root();
  private static final Path STATE = Path.of("target/it-stack").toAbsolutePath();
  private static final Duration RUN_LIMIT = Duration.ofMinutes(10);

  private Process launcher;
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

  @AfterEach
  void leaveNothingRunning() {
    if (launcher != null && launcher.isAlive()) {
      launcher.destroy();
      ChildProcess.awaitExit(List.of(launcher.toHandle()), Duration.ofMinutes(2));
      launcher.destroyForcibly();
    }
    seen.forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void countPublishesWaitsForTheIndexAndStopsEverything() throws Exception {
    Path out = STATE.resolve("count.out");
    Path err = STATE.resolve("count.err");
    launcher = launch(out, err, "--count", "6", "--fresh");

    await("the --count run ends")
        .atMost(RUN_LIMIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              watchDescendants();
              return !launcher.isAlive();
            });

    String errors = Files.readString(err);
    String output = Files.readString(out);
    assertThat(launcher.exitValue()).as("exit code; stderr:\n%s", errors).isZero();
    assertThat(output).as("the demo partners' report").contains("[demo] 6 published");
    assertThat(output).as("deliveries printed by their recipients").contains("[lzn] ← politie");
    Matcher indexed =
        Pattern.compile("console: indexed all (\\d+) audit records of this run").matcher(errors);
    assertThat(indexed.find()).as("the console's index check; stderr:\n%s", errors).isTrue();
    assertThat(Integer.parseInt(indexed.group(1)))
        .as("audit records of 6 events")
        .isGreaterThanOrEqualTo(6);
    assertThat(errors).contains("[hub-local] stopped everything it started");
    assertEverythingStopped();
    assertThat(STATE.resolve("logs"))
        .as("one log per process")
        .isDirectoryContaining("glob:**/hub.log")
        .isDirectoryContaining("glob:**/kafka.log")
        .isDirectoryContaining("glob:**/console.log")
        .isDirectoryContaining("glob:**/postgres.log")
        .isDirectoryContaining("glob:**/keycloak.log");
  }

  @Test
  void demoRunsUntilCtrlCAndOneProcessAtATimeCanBeStoppedAndStarted() throws Exception {
    Path out = STATE.resolve("demo.out");
    Path err = STATE.resolve("demo.err");
    launcher = launch(out, err, "--demo");
    awaitLine(err, "[hub-local] running with the demo partners");
    awaitLine(out, " ← ");
    watchDescendants();

    String status = control("status");
    for (String name : List.of("keycloak", "broker", "postgres", "hub", "console", "demo")) {
      assertThat(status).as("status").containsPattern("(?m)^" + name + " +running \\(pid \\d+\\)");
    }

    assertThat(control("stop", "hub")).isEqualTo("hub stopped\n");
    assertThat(control("status")).containsPattern("(?m)^hub +stopped");
    assertThat(launcher.isAlive())
        .as("the launcher goes on without the hub it was asked to stop")
        .isTrue();
    assertThat(control("start", "hub")).isEqualTo("hub started and ready\n");
    watchDescendants();
    long deliveriesBefore = count(out, " ← ");
    await("a delivery by the restarted hub")
        .atMost(RUN_LIMIT)
        .until(() -> count(out, " ← ") > deliveriesBefore);

    for (String name : List.of("postgres", "broker")) {
      assertThat(control("stop", name)).isEqualTo(name + " stopped\n");
      assertThat(control("start", name)).isEqualTo(name + " started and ready\n");
    }
    assertThat(control("status")).doesNotContain("stopped");
    watchDescendants();

    // Ctrl-C: SIGINT to the launcher alone, as a terminal would send it (children get it too there;
    // here they must be stopped by the launcher).
    new ProcessBuilder("kill", "-INT", String.valueOf(launcher.pid())).start().waitFor();
    await("the launcher ends on Ctrl-C").atMost(RUN_LIMIT).until(() -> !launcher.isAlive());

    assertThat(launcher.exitValue()).as("exit code after Ctrl-C").isEqualTo(130);
    assertThat(Files.readString(err)).contains("[hub-local] stopped everything it started");
    assertEverythingStopped();
  }

  private Process launch(Path out, Path err, String... options) throws IOException {
    Files.createDirectories(STATE);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcovenanthub.repo=" + ROOT,
                "-jar",
                launcherJar().toString(),
                "--state-dir",
                STATE.toString(),
                "--keycloak-port",
                String.valueOf(FreePorts.any()),
                "--kafka-port",
                String.valueOf(freePortRun(3)),
                "--hub-port",
                String.valueOf(FreePorts.any()),
                "--console-port",
                String.valueOf(FreePorts.any()),
                "--postgres-port",
                String.valueOf(FreePorts.any())));
    command.addAll(List.of(options));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // A developer's own settings must not leak into this stack.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("KAFKA_")
                    || name.startsWith("KEYCLOAK_")
                    || name.startsWith("COVENANT_")
                    || name.startsWith("HUB_")
                    || name.startsWith("CONSOLE_"));
    return builder.start();
  }

  private String control(String... words) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcovenanthub.repo=" + ROOT,
                "-jar",
                launcherJar().toString()));
    command.addAll(List.of(words));
    command.addAll(List.of("--state-dir", STATE.toString()));
    Process control = new ProcessBuilder(command).redirectErrorStream(true).start();
    String answer = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(control.waitFor())
        .as("exit code of hub-local %s: %s", String.join(" ", words), answer)
        .isZero();
    return answer;
  }

  /**
   * Everything the launcher started, noted while it runs (after it ends, its children are no longer
   * its own).
   */
  private void watchDescendants() {
    if (launcher.isAlive()) {
      launcher.descendants().forEach(seen::add);
    }
  }

  private void assertEverythingStopped() throws IOException {
    assertThat(seen).as("processes the launcher started").isNotEmpty();
    assertThat(
            seen.stream()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
        .as("processes left running")
        .isEmpty();
    Path postmaster = STATE.resolve("console/postgres/postmaster.pid");
    if (Files.exists(postmaster)) {
      long pid = Long.parseLong(Files.readAllLines(postmaster).get(0).strip());
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("PostgreSQL").isEmpty();
    }
  }

  private static void awaitLine(Path file, String text) {
    await("'" + text + "' in " + file.getFileName())
        .atMost(RUN_LIMIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> Files.exists(file) && Files.readString(file).contains(text));
  }

  private static long count(Path file, String text) throws IOException {
    return Files.readAllLines(file).stream().filter(line -> line.contains(text)).count();
  }

  private static Path launcherJar() throws IOException {
    try (var jars = Files.list(Path.of("target"))) {
      return jars.filter(p -> p.getFileName().toString().matches("launcher-.*\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no target/launcher-*.jar: run mvn verify (it packages first)"))
          .toAbsolutePath();
    }
  }

  /** The first of {@code n} consecutive free ports (the broker takes three). */
  private static int freePortRun(int n) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int port = first; port < first + n && free; port++) {
        try (ServerSocket ignored = new ServerSocket(port)) {
          // free
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports");
  }
}
