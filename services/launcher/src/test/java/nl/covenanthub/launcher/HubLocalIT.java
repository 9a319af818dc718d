package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.stream.StreamSupport;
import nl.covenanthub.devkit.ChildProcess;
import nl.covenanthub.devkit.FreePorts;
import nl.covenanthub.devkit.Repository;
import nl.covenanthub.devkit.TokenClient;
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

  private static final String CARE_COVENANT = "zorg-en-veiligheid-west-maas-en-waal";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Process launcher;
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  private int keycloakPort;
  private int consolePort;
  private int hubPort;

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
    launcher = launch(out, err, "--demo", "--fresh");
    awaitLine(err, "[hub-local] running with the demo partners");
    awaitLine(out, " ← ");
    awaitLine(out, "⇐ webhook"); // Veilig Thuis receives by webhook too
    awaitLine(out, "[lzn] ← politie WithdrawalNotice"); // a withdrawn signal's recipient is told
    awaitLine(out, "[politie] ← lzn WithdrawalAcknowledgement"); // and politie hears it was erased
    awaitLine(out, "[politie] ← lzn MatchNotice"); // politie and lzn hold one resident: a match
    awaitLine(out, "✗ dead-lettered"); // the demo's spoofed sender
    everyMetricTheMonitoringReadsIsExposed();
    assertThat(Files.readString(out))
        .as("every webhook the demo's receiver got verified")
        .contains("signature verified")
        .doesNotContain("signature does not verify");
    assertThat(webhooks("list"))
        .as("bin/webhooks list, the operator's CLI")
        .contains("\"veilig-thuis\"")
        .contains("\"enabled\":true");
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

    aNewCovenantVersionReachesTheRunningHubAndTheDemoTrafficFollowsIt();

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

  /**
   * The demo's administrators at work (issue 12): beheerder proposes version 2 of the care covenant
   * through the console's API, in which politie no longer passes the birth date to lzn (narrower,
   * so the approval alone is needed); goedkeurder approves it; the running hub switches without a
   * restart, and the demo partners' next politie signals to lzn are decided under version 2,
   * without the birth date, as the privacy officer sees in the console's audit.
   */
  private void aNewCovenantVersionReachesTheRunningHubAndTheDemoTrafficFollowsIt()
      throws Exception {
    JsonNode active =
        StreamSupport.stream(
                consoleJson("GET", "/api/covenants", "beheerder", null).spliterator(), false)
            .filter(v -> v.path("covenantId").asText().equals(CARE_COVENANT))
            .filter(v -> v.path("state").asText().equals("ACTIVE"))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no active " + CARE_COVENANT + " in the console"));
    assertThat(active.path("version").asInt()).isEqualTo(1);
    String v1 =
        console(
                "GET",
                "/api/covenants/versions/" + active.path("versionId").asLong() + "/yaml",
                "beheerder",
                null)
            .body();
    int rule = v1.indexOf("    from: politie\n    to: lzn\n");
    int whole = v1.indexOf("      subject: pass\n", rule);
    assertThat(rule).as("the politie-to-lzn rule").isPositive();
    assertThat(whole).as("which passes the whole subject").isPositive();
    String v2 =
        (v1.substring(0, whole)
                + "      subject.bsn: pass\n      subject.name: pass\n      subject.address: pass\n"
                + v1.substring(whole + "      subject: pass\n".length()))
            .replace("\nversion: 1\n", "\nversion: 2\n");

    JsonNode proposed =
        consoleJson(
            "POST", "/api/covenants/versions?fileName=zorg-en-veiligheid.yaml", "beheerder", v2);
    long versionId = proposed.path("versionId").asLong();
    assertThat(proposed.path("requiredParties").size())
        .as("narrower: no party must accept")
        .isZero();
    JsonNode approved =
        consoleJson("POST", "/api/covenants/versions/" + versionId + "/approve", "goedkeurder", "");
    assertThat(approved.path("state").asText()).isEqualTo("ACTIVE");
    String switched = java.time.Instant.now().toString();

    await("the demo's politie signals to lzn decided under v2")
        .atMost(RUN_LIMIT)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> !underVersion2(switched).isEmpty());
    for (JsonNode record : underVersion2(switched)) {
      assertThat(record.path("covenantHash").asText())
          .isEqualTo(approved.path("contentHash").asText());
      assertThat(record.path("disclosedFields").toString())
          .as("disclosed under v2")
          .contains("subject.name")
          .doesNotContain("subject.birthDate");
    }
  }

  /** What the console indexed of politie's disclosures to lzn under v2 since {@code from}. */
  private List<JsonNode> underVersion2(String from) throws Exception {
    JsonNode page =
        consoleJson(
            "GET",
            "/api/disclosures?sender=politie&recipient=lzn&decision=DISCLOSED&size=200&from="
                + from,
            "fg",
            null);
    List<JsonNode> records = new ArrayList<>();
    page.path("items")
        .forEach(
            r -> {
              // The demo's signals: not the withdrawal notices the hub sends lzn under v2 too.
              if (r.path("covenantId").asText().equals(CARE_COVENANT)
                  && r.path("covenantVersion").asInt() == 2
                  && r.path("eventType").asText().equals("CaseSignal")) {
                records.add(r);
              }
            });
    return records;
  }

  /**
   * Each metric that infra/monitoring's alerts and dashboard read is in the running hub's or
   * console's /actuator/prometheus, fetched as Prometheus does with prometheus.yaml: the client
   * prometheus (role metrics-reader) with the secret in prometheus-secret, a fresh token per
   * scrape.
   */
  private void everyMetricTheMonitoringReadsIsExposed() throws Exception {
    String secret = Files.readString(MonitoringQueries.DIRECTORY.resolve("prometheus-secret"));
    TokenClient keycloak =
        new TokenClient(
            "http://localhost:"
                + keycloakPort
                + "/realms/covenant-hub/protocol/openid-connect/token");
    Set<String> wanted = MonitoringQueries.allMetricNames();
    await("every metric the alerts and the dashboard read")
        .atMost(RUN_LIMIT)
        .untilAsserted(
            () -> {
              String token = keycloak.clientToken("prometheus", secret.strip());
              String exposed = metrics(hubPort, token) + metrics(consolePort, token);
              assertThat(wanted)
                  .as("read by infra/monitoring but exposed by neither the hub nor the console")
                  .filteredOn(
                      name ->
                          !Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]")
                              .matcher(exposed)
                              .find())
                  .isEmpty();
            });
  }

  private static String metrics(int port, String token) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(1))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("metrics on port %d", port).isEqualTo(200);
    return response.body();
  }

  private JsonNode consoleJson(String method, String path, String user, String body)
      throws Exception {
    HttpResponse<String> response = console(method, path, user, body);
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> console(String method, String path, String user, String body)
      throws Exception {
    String token =
        new TokenClient(
                "http://localhost:"
                    + keycloakPort
                    + "/realms/covenant-hub/protocol/openid-connect/token")
            .userToken(user, "demo");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + consolePort + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofMinutes(1));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/yaml")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code bin/webhooks} against this stack, as the demo user operator. */
  private String webhooks(String... words) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/webhooks").toString()));
    command.addAll(List.of(words));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HUB_URL", "http://localhost:" + hubPort);
    builder.environment().put("KEYCLOAK_URL", "http://localhost:" + keycloakPort);
    builder.environment().remove("HUB_OPERATOR_TOKEN");
    Process process = builder.start();
    String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor())
        .as("bin/webhooks %s: %s", String.join(" ", words), answer)
        .isZero();
    return answer;
  }

  private Process launch(Path out, Path err, String... options) throws IOException {
    Files.createDirectories(STATE);
    // Keycloak, hub, console, PostgreSQL, webhook receiver: no two the same (a console once got the
    // port of the PostgreSQL started before it), and none in the broker's run.
    int[] ports = FreePorts.distinct(5);
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
                String.valueOf(keycloakPort = ports[0]),
                "--kafka-port",
                String.valueOf(freePortRun(3, ports)),
                "--hub-port",
                String.valueOf(hubPort = ports[1]),
                "--console-port",
                String.valueOf(consolePort = ports[2]),
                "--postgres-port",
                String.valueOf(ports[3]),
                "--webhook-port",
                String.valueOf(ports[4])));
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
    // A process that was told to stop may still be on its way out (a grandchild being reaped) when
    // the launcher returns: it must be gone soon, not at once.
    await("processes the launcher started are gone")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        seen.stream()
                            .filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
                    .as("processes left running")
                    .isEmpty());
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

  /**
   * The first of {@code n} consecutive free ports (the broker takes three), none of {@code taken}.
   */
  private static int freePortRun(int n, int[] taken) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = java.util.Arrays.stream(taken).noneMatch(p -> p >= first && p < first + n);
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
