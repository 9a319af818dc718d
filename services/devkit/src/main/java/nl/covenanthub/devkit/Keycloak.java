package nl.covenanthub.devkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak (the {@code org.keycloak:keycloak-quarkus-dist} server from Maven Central) with the
 * {@code covenant-hub} realm, as a child process: for tests ({@link #shared()}) and for bin/hub-local
 * ({@link KeycloakMain}).
 *
 * <p>It runs {@code kc.sh start-dev} on 127.0.0.1 with an in-memory database, so every start imports the realm
 * file afresh and nothing of a previous run is left. The issuer is always {@code http://localhost:<port>/...}, the
 * address all local clients use. The master realm has the bootstrap administrator {@code admin}/{@code admin}: a
 * local demo credential, like the realm's demo secrets.
 */
public final class Keycloak {
  /** The realm this launcher waits for, and the one {@link #issuer()} names. */
  public static final String REALM = "covenant-hub";
  /** Where the realm file is, relative to the repository. */
  static final String REALM_FILE = "infra/keycloak/covenant-hub-realm.json";
  /** The realm's test-only public client with the password grant, used by {@link #userToken}. */
  static final String TEST_CLI = "test-cli";
  /** Local demo administrator of the master realm; never for anything but a local Keycloak. */
  static final String DEMO_ADMIN = "admin";
  static final String DEMO_ADMIN_PASSWORD = "admin";

  /** A port of a Keycloak already running with the realm, for {@link #shared()} to use instead of starting one. */
  static final String RUNNING_PORT_PROPERTY = "covenanthub.keycloak.port";

  private static final Duration START_TIMEOUT =
      Duration.ofSeconds(Long.getLong("covenanthub.keycloak.start-timeout-seconds", 240));
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

  private static Keycloak shared;
  private static RuntimeException sharedFailure;

  private final int port;
  private final Path workDir;
  private final Process process;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread stopOnExit = new Thread(this::stop, "keycloak-stop");
  private volatile boolean stopRequested;

  private Keycloak(int port, Path workDir, Process process, FileChannel lockFile, FileLock lock) {
    this.port = port;
    this.workDir = workDir;
    this.process = process;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /**
   * Starts Keycloak with the realm in {@code realmFile} on {@code httpPort}: extracts the distribution once into
   * {@code workDir/keycloak-<version>}, runs {@code bin/kc.sh start-dev --http-port=<port> --import-realm} with its
   * output in {@code workDir/keycloak.log}, and waits until the realm's OpenID configuration answers (at most 240 s,
   * or {@code -Dcovenanthub.keycloak.start-timeout-seconds}). Prints its progress. Fails with the log's last lines if
   * Keycloak does not come up. Keycloak is stopped by {@link #stop()} or, at the latest, when this JVM exits.
   */
  public static Keycloak start(Path workDir, Path realmFile, int httpPort) {
    long started = System.nanoTime();
    Path dir = workDir.toAbsolutePath().normalize();
    Path realm = realmFile.toAbsolutePath().normalize();
    if (!Files.isRegularFile(realm)) {
      throw new IllegalArgumentException("no realm file " + realm);
    }
    Object realmName = Json.object(read(realm)).get("realm");
    if (!REALM.equals(realmName)) {
      throw new IllegalArgumentException(realm + " is the realm '" + realmName + "', not '" + REALM + "'");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    KeycloakDist dist = KeycloakDist.resolved();
    FileChannel lockFile = null;
    FileLock lock;
    Process process;
    try {
      lockFile = FileChannel.open(dir.resolve(".running.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = tryLock(lockFile);
      if (lock == null) {
        throw new WorkDirInUse("another Keycloak runs from " + dir + " (pids in " + dir.resolve("keycloak.pid")
            + "); stop it or use another work directory");
      }
      Path home = dist.extractInto(dir);
      stopLeftovers(dir, home);
      requireFreePort(httpPort);
      importOnly(home.resolve("data/import"), realm);
      Path log = dir.resolve("keycloak.log");
      System.out.println("[keycloak] starting Keycloak " + dist.version() + " on http://localhost:" + httpPort
          + " (realm " + REALM + " from " + realm.getFileName() + ", log " + log + ")…");
      ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
          "--http-port=" + httpPort, "--http-host=127.0.0.1", "--hostname=http://localhost:" + httpPort,
          "--db=dev-mem", "--import-realm")
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Map<String, String> env = builder.environment();
      // A developer's own Keycloak settings would change this Keycloak; the JVM is the one running this code.
      env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS") && !name.equals(
          "JAVA_OPTS_KC_HEAP"));
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("KC_BOOTSTRAP_ADMIN_USERNAME", DEMO_ADMIN);
      env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD);
      process = builder.start();
    } catch (IOException e) {
      close(lockFile);
      throw new UncheckedIOException("cannot start Keycloak in " + dir, e);
    } catch (RuntimeException e) {
      close(lockFile);
      throw e;
    }
    Keycloak keycloak = new Keycloak(httpPort, dir, process, lockFile, lock);
    // Stopped when this JVM ends, even while it is still starting: no Keycloak is left running.
    Runtime.getRuntime().addShutdownHook(keycloak.stopOnExit);
    keycloak.awaitReady(started);
    return keycloak;
  }

  /**
   * The Keycloak of this JVM's tests: started on the first call in {@code <repo>/.local/test-keycloak} on a free port
   * with the repository's realm file, stopped when the JVM exits. If that work directory is in use by another JVM
   * (tests of two modules at once), this one gets its own next to it. With {@code -Dcovenanthub.keycloak.port=P} it is
   * the Keycloak already running on {@code localhost:P} with this realm (bin/hub-local's: 8180), to save the start
   * when running tests again and again.
   */
  public static synchronized Keycloak shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException("the shared Keycloak failed to start earlier in this JVM", sharedFailure);
    }
    try {
      Integer running = Integer.getInteger(RUNNING_PORT_PROPERTY);
      if (running != null) {
        shared = new Keycloak(running, null, null, null, null);
        System.out.println("[keycloak] using the Keycloak already running on " + shared.url() + " (-D"
            + RUNNING_PORT_PROPERTY + ")");
        return shared;
      }
      Path root = repositoryRoot();
      Path workDir = root.resolve(".local/test-keycloak");
      Path realm = root.resolve(REALM_FILE);
      Path ownWorkDir = null;
      Keycloak keycloak;
      try {
        keycloak = start(workDir, realm, freePort());
      } catch (WorkDirInUse e) {
        ownWorkDir = workDir.resolveSibling("test-keycloak-" + ProcessHandle.current().pid());
        System.out.println("[keycloak] " + e.getMessage() + "; this JVM uses " + ownWorkDir);
        keycloak = start(ownWorkDir, realm, freePort());
      }
      if (ownWorkDir != null) {
        Keycloak started = keycloak;
        Path extraWorkDir = ownWorkDir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          started.stop();
          try {
            KeycloakDist.deleteTree(extraWorkDir);
          } catch (IOException ignored) {
            // a leftover directory in .local is harmless
          }
        }, "keycloak-clean-up"));
      }
      shared = keycloak;
      return keycloak;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  /** {@code http://localhost:<port>} */
  public String url() {
    return "http://localhost:" + port;
  }

  /** {@code <url>/realms/covenant-hub}: the {@code iss} of every token of the realm. */
  public String issuer() {
    return url() + "/realms/" + REALM;
  }

  public String tokenEndpoint() {
    return issuer() + "/protocol/openid-connect/token";
  }

  public String jwksUri() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  /** An access token of {@code clientId} (its service account) by the client-credentials grant. */
  public String clientToken(String clientId, String clientSecret) {
    return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
  }

  /**
   * An access token of a user by the password grant through the realm's test-only public client {@code test-cli}
   * (see docs/security.md). Its claims are those of a browser login: the user's realm roles and {@code hub} in
   * {@code aud}.
   */
  public String userToken(String username, String password) {
    return token(Map.of("grant_type", "password", "client_id", TEST_CLI, "username", username, "password", password));
  }

  /** Stops Keycloak (TERM, then KILL after 30 s) and waits for it. Safe to call twice, and from any thread. */
  public synchronized void stop() {
    if (process == null) {
      return; // not started here
    }
    stopRequested = true;
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // this is the shutdown hook, or it runs already
    }
    List<ProcessHandle> all = new ArrayList<>();
    process.descendants().forEach(all::add);
    all.add(process.toHandle());
    if (all.stream().anyMatch(ProcessHandle::isAlive)) {
      System.out.println("[keycloak] stopping Keycloak on " + url() + "…");
      process.destroy();
      if (!awaitExit(all, STOP_TIMEOUT)) {
        System.out.println("[keycloak] Keycloak did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit(all, Duration.ofSeconds(10));
      }
    }
    try {
      Files.deleteIfExists(workDir.resolve("keycloak.pid"));
    } catch (IOException ignored) {
      // only a hint for the next start
    }
    close(lockFile);
  }

  /** The demo secret of {@code clientId} in the repository's realm file; only secrets marked as demo ones. */
  public static String demoSecret(String clientId) {
    Path realm = repositoryRoot().resolve(REALM_FILE);
    for (Object client : list(Json.object(read(realm)).get("clients"))) {
      Map<?, ?> fields = (Map<?, ?>) client;
      if (clientId.equals(fields.get("clientId"))) {
        Object secret = fields.get("secret");
        if (!(secret instanceof String text) || !text.contains("NOT-FOR-PRODUCTION")) {
          throw new IllegalArgumentException("client " + clientId + " in " + realm + " has no demo secret");
        }
        return text;
      }
    }
    throw new IllegalArgumentException("no client " + clientId + " in " + realm);
  }

  /** Blocks until Keycloak's process ends; its exit code. For {@link KeycloakMain}. */
  int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  /** Whether {@link #stop()} was called: Keycloak did not end on its own. */
  boolean stopRequested() {
    return stopRequested;
  }

  String logTail() {
    return tail(workDir.resolve("keycloak.log"), 40);
  }

  private void awaitReady(long started) {
    URI openIdConfiguration = URI.create(issuer() + "/.well-known/openid-configuration");
    long deadline = started + START_TIMEOUT.toNanos();
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    try {
      writePids();
      while (true) {
        if (stopRequested) {
          throw new IllegalStateException("Keycloak was stopped while it started");
        }
        if (!process.isAlive()) {
          fail("Keycloak stopped while starting (exit code " + process.exitValue() + ")");
        }
        if (answers(openIdConfiguration)) {
          writePids();
          System.out.println("[keycloak] ready in " + seconds(started) + " s: issuer " + issuer());
          return;
        }
        long now = System.nanoTime();
        if (now >= deadline) {
          fail("Keycloak was not ready within " + START_TIMEOUT.toSeconds() + " s");
        }
        if (now >= nextProgress) {
          System.out.println("[keycloak] still starting (" + seconds(started) + " s)…");
          nextProgress += PROGRESS_EVERY.toNanos();
        }
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }

  private void fail(String reason) {
    String tail = logTail();
    stop();
    throw new IllegalStateException(reason + "; the last lines of " + workDir.resolve("keycloak.log") + ":\n" + tail);
  }

  private boolean answers(URI uri) throws InterruptedException {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private String token(Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach Keycloak at " + tokenEndpoint(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Keycloak for a token", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException("Keycloak refused a token (" + form.get("grant_type") + " for "
          + form.getOrDefault("username", form.get("client_id")) + "): HTTP " + response.statusCode() + " "
          + response.body());
    }
    Object token = Json.object(response.body()).get("access_token");
    if (!(token instanceof String text)) {
      throw new IllegalStateException("Keycloak's token response has no access_token: " + response.body());
    }
    return text;
  }

  /** The pids of kc.sh and the JVM it starts, so a later start can stop them if this JVM was killed. */
  private void writePids() {
    List<String> pids = new ArrayList<>();
    pids.add(String.valueOf(process.pid()));
    process.descendants().forEach(p -> pids.add(String.valueOf(p.pid())));
    try {
      Files.write(workDir.resolve("keycloak.pid"), pids);
    } catch (IOException ignored) {
      // only a hint for the next start
    }
  }

  /** A Keycloak left running from {@code home} by a JVM that was killed: stopped, since it holds the port. */
  private static void stopLeftovers(Path dir, Path home) throws IOException {
    Path pidFile = dir.resolve("keycloak.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<ProcessHandle> leftovers = new ArrayList<>();
    for (String line : Files.readAllLines(pidFile)) {
      try {
        ProcessHandle.of(Long.parseLong(line.strip()))
            .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
            .ifPresent(leftovers::add);
      } catch (NumberFormatException ignored) {
        // not a pid
      }
    }
    if (!leftovers.isEmpty()) {
      System.out.println("[keycloak] stopping a Keycloak left running from " + home + " (pids "
          + leftovers.stream().map(p -> String.valueOf(p.pid())).collect(Collectors.joining(", ")) + ")");
      leftovers.forEach(ProcessHandle::destroy);
      if (!awaitExit(leftovers, STOP_TIMEOUT)) {
        leftovers.forEach(ProcessHandle::destroyForcibly);
        awaitExit(leftovers, Duration.ofSeconds(10));
      }
    }
    Files.deleteIfExists(pidFile);
  }

  /** The realm file is the only one Keycloak imports. */
  private static void importOnly(Path importDir, Path realm) throws IOException {
    Files.createDirectories(importDir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(importDir, "*.json")) {
      for (Path file : old) {
        Files.delete(file);
      }
    }
    Files.copy(realm, importDir.resolve(REALM + "-realm.json"));
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM
    }
  }

  private static void requireFreePort(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " is in use: another Keycloak (or something else) listens "
          + "on it; stop it, or pick another port", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * The repository: the first directory from the working directory up that holds the realm file
   * ({@code -Dcovenanthub.repo} overrides).
   */
  static Path repositoryRoot() {
    String configured = System.getProperty("covenanthub.repo");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(REALM_FILE))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + REALM_FILE + " in " + start + " or above; run from the repository or set "
        + "-Dcovenanthub.repo");
  }

  private static String seconds(long startedNanos) {
    return String.valueOf(Math.round((System.nanoTime() - startedNanos) / 1e9));
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close(); // releases the lock
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** The work directory's Keycloak is already running (another JVM holds its lock). */
  static final class WorkDirInUse extends IllegalStateException {
    WorkDirInUse(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "Keycloak " + url();
  }
}
