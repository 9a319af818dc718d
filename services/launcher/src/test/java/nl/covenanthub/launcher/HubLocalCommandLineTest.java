package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import nl.covenanthub.devkit.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a person types it: options, their defaults, and clear refusals. */
class HubLocalCommandLineTest {
  @TempDir Path state;

  @Test
  void countImpliesTheDemoAndPortsHaveTheirDefaults() {
    HubLocal command = parse("--count", "6", "--state-dir", state.toString());
    LocalSettings settings = command.settings(Repository.root(), Map.of());

    assertThat(settings.demo()).as("--count implies --demo").isTrue();
    assertThat(settings.count()).isEqualTo(6);
    assertThat(settings.hubs()).isEqualTo(1);
    assertThat(settings.ports()).isEqualTo(Ports.DEFAULTS);
    assertThat(settings.stateDir()).isEqualTo(state);
    assertThat(settings.log("hub")).isEqualTo(state.resolve("logs/hub.log"));
  }

  @Test
  void portsAndProcessesCanBeChosen() {
    HubLocal command =
        parse(
            "--hubs",
            "2",
            "--only",
            "keycloak,broker",
            "--kafka-port",
            "19092",
            "--hub-port",
            "18080");
    LocalSettings settings = command.settings(Repository.root(), Map.of());

    assertThat(settings.only()).containsExactly("keycloak", "broker");
    assertThat(settings.ports().kafkaController()).isEqualTo(19093);
    assertThat(settings.ports().kafkaInternal()).isEqualTo(19094);
    assertThat(settings.ports().hub(2)).isEqualTo(18082);
  }

  @Test
  void refusesNonsenseWithAMessageAndExitCodeTwo() {
    assertThat(run("--count", "many"))
        .startsWith("2:")
        .contains("Invalid value for option '--count'");
    assertThat(run("--frsh")).startsWith("2:").contains("Unknown option: '--frsh'");
    assertThat(run("stop")).startsWith("2:").contains("Missing required parameter: 'NAME'");
  }

  @Test
  void askingWhenNoStackRunsSaysSo() {
    assertThat(run("status", "--state-dir", state.toString()))
        .isEqualTo(
            "3:[hub-local] error: no hub-local runs with its state in "
                + state
                + " (start one with bin/hub-local)\n");
  }

  @Test
  void helpNamesTheSubcommandsAndTheEnvironment() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = HubLocal.commandLine().setOut(new PrintWriter(out));
    assertThat(commandLine.execute("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--count=N",
            "--hubs=N",
            "status",
            "stop",
            "start",
            "KEYCLOAK_ISSUER",
            "KAFKA_BOOTSTRAP_SERVERS");
  }

  private static HubLocal parse(String... args) {
    CommandLine commandLine = HubLocal.commandLine();
    commandLine.parseArgs(args);
    return commandLine.getCommand();
  }

  /** {@code exit code:standard error} of a run that never starts a stack. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.err;
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int code = HubLocal.commandLine().setErr(new PrintWriter(err, true)).execute(args);
      return code + ":" + err + stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
    } finally {
      System.setErr(original);
    }
  }
}
