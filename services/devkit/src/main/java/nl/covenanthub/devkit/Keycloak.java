package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Keycloak (the {@code org.keycloak:keycloak-quarkus-dist} server from Maven Central) with
 * the {@code covenant-hub} realm, as a child process: for tests ({@link #shared()}) and for the
 * local stack's launcher.
 *
 * <p>It runs {@code kc.sh start-dev} on 127.0.0.1 with an in-memory database, so every start
 * imports the realm file afresh and nothing of a previous run is left. The issuer is always {@code
 * http://localhost:<port>/...}, the address all local clients use. The master realm has the
 * bootstrap administrator {@code admin}/{@code admin}: a local demo credential, like the realm's
 * demo secrets.
 */
public final class Keycloak {
  /** The realm this launcher waits for, and the one {@link #issuer()} names. */
  public static final String REALM = "covenant-hub";

  /** Where the realm file is, relative to the repository. */
  public static final String REALM_FILE = RealmFile.PATH;

  /** Local demo administrator of the master realm; never for anything but a local Keycloak. */
  static final String DEMO_ADMIN = "admin";

  static final String DEMO_ADMIN_PASSWORD = "admin";

  /**
   * A port of a Keycloak already running with the realm, for {@link #shared()} to use instead of
   * starting one.
   */
  static final String RUNNING_PORT_PROPERTY = "covenanthub.keycloak.port";

  private static final Duration START_TIMEOUT =
      Duration.ofSeconds(Long.getLong("covenanthub.keycloak.start-timeout-seconds", 240));
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

  private static Keycloak shared;
  private static RuntimeException sharedFailure;

  private final int port;
  private final ChildProcess process;
  private final KeycloakWorkDir work;
  private final TokenClient tokens;
  private final Thread stopOnExit = new Thread(this::stop, "keycloak-stop");

  private Keycloak(int port, ChildProcess process, KeycloakWorkDir work) {
    this.port = port;
    this.process = process;
    this.work = work;
    this.tokens = new TokenClient(tokenEndpoint());
  }

  /** {@link #start(Path, Path, int, Path)} with the log in {@code workDir/keycloak.log}. */
  public static Keycloak start(Path workDir, Path realmFile, int httpPort) {
    return start(workDir, realmFile, httpPort, workDir.resolve("keycloak.log"));
  }

  /**
   * Starts Keycloak with the realm in {@code realmFile} on {@code httpPort}: extracts the
   * distribution once into {@code workDir/keycloak-<version>}, runs {@code bin/kc.sh start-dev
   * --http-port=<port> --import-realm} with its output in {@code log}, and waits until the realm's
   * OpenID configuration answers (at most 240 s, or {@code
   * -Dcovenanthub.keycloak.start-timeout-seconds}). Prints its progress. Fails with the log's last
   * lines if Keycloak does not come up. Keycloak is stopped by {@link #stop()} or, at the latest,
   * when this JVM exits.
   */
  public static Keycloak start(Path workDir, Path realmFile, int httpPort, Path log) {
    long started = System.nanoTime();
    Path dir = workDir.toAbsolutePath().normalize();
    Path realm = realmFile.toAbsolutePath().normalize();
    if (!Files.isRegularFile(realm)) {
      throw new IllegalArgumentException("no realm file " + realm);
    }
    String realmName = RealmFile.read(realm).name();
    if (!REALM.equals(realmName)) {
      throw new IllegalArgumentException(
          realm + " is the realm '" + realmName + "', not '" + REALM + "'");
    }
    KeycloakDist dist = KeycloakDist.resolved();
    KeycloakWorkDir work = KeycloakWorkDir.lock(dir);
    Keycloak keycloak;
    try {
      Path home = work.prepare(dist, realm);
      FreePorts.require(httpPort, "Keycloak");
      System.out.println(
          "[keycloak] starting Keycloak "
              + dist.version()
              + " on http://localhost:"
              + httpPort
              + " (realm "
              + REALM
              + " from "
              + realm.getFileName()
              + ", log "
              + log
              + ")…");
      keycloak =
          new Keycloak(
              httpPort,
              ChildProcess.start("Keycloak", KeycloakDist.startDev(home, httpPort), log),
              work);
    } catch (IOException e) {
      work.close();
      throw new UncheckedIOException("cannot start Keycloak in " + dir, e);
    } catch (RuntimeException e) {
      work.close();
      throw e;
    }
    // Stopped when this JVM ends, even while it is still starting: no Keycloak is left running.
    Runtime.getRuntime().addShutdownHook(keycloak.stopOnExit);
    try {
      work.writePids(keycloak.process);
      Await.ready(
          keycloak.process,
          keycloak::answers,
          START_TIMEOUT,
          PROGRESS_EVERY,
          spent -> System.out.println("[keycloak] still starting (" + spent.toSeconds() + " s)…"));
    } catch (RuntimeException e) {
      keycloak.stop();
      throw e;
    }
    work.writePids(keycloak.process);
    System.out.println(
        "[keycloak] ready in "
            + Math.round((System.nanoTime() - started) / 1e9)
            + " s: issuer "
            + keycloak.issuer());
    return keycloak;
  }

  /**
   * The Keycloak of this JVM's tests: started on the first call in {@code
   * <repo>/.local/test-keycloak} on a free port with the repository's realm file, stopped when the
   * JVM exits. If that work directory is in use by another JVM (tests of two modules at once), this
   * one gets its own next to it. With {@code -Dcovenanthub.keycloak.port=P} it is the Keycloak
   * already running on {@code localhost:P} with this realm (bin/hub-local's: 8180), to save the
   * start when running tests again and again.
   */
  public static synchronized Keycloak shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(
          "the shared Keycloak failed to start earlier in this JVM", sharedFailure);
    }
    try {
      Integer running = Integer.getInteger(RUNNING_PORT_PROPERTY);
      if (running != null) {
        shared = new Keycloak(running, null, null);
        System.out.println(
            "[keycloak] using the Keycloak already running on "
                + shared.url()
                + " (-D"
                + RUNNING_PORT_PROPERTY
                + ")");
        return shared;
      }
      Path workDir = Repository.root().resolve(".local/test-keycloak");
      Path realm = Repository.root().resolve(REALM_FILE);
      try {
        shared = start(workDir, realm, FreePorts.any());
      } catch (KeycloakWorkDir.WorkDirInUse e) {
        Path own = workDir.resolveSibling("test-keycloak-" + ProcessHandle.current().pid());
        System.out.println("[keycloak] " + e.getMessage() + "; this JVM uses " + own);
        Keycloak keycloak = start(own, realm, FreePorts.any());
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      keycloak.stop();
                      try {
                        Directories.deleteTree(own);
                      } catch (IOException ignored) {
                        // a leftover directory in .local is harmless
                      }
                    },
                    "keycloak-clean-up"));
        shared = keycloak;
      }
      return shared;
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

  /** The Keycloak process (null for one this JVM did not start). */
  public ChildProcess process() {
    return process;
  }

  /** An access token of {@code clientId} (its service account) by the client-credentials grant. */
  public String clientToken(String clientId, String clientSecret) {
    return tokens.clientToken(clientId, clientSecret);
  }

  /** An access token of a demo user by the password grant ({@link TokenClient#userToken}). */
  public String userToken(String username, String password) {
    return tokens.userToken(username, password);
  }

  /**
   * Leaves stopping to the caller: no shutdown hook of its own stops this Keycloak when the JVM
   * exits. For a caller whose own hook stops its processes in order (Keycloak last, after the
   * services that use it).
   */
  public Keycloak stoppedByCaller() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // already exiting: the hook runs anyway
    }
    return this;
  }

  /**
   * Stops Keycloak (TERM, then KILL after 30 s) and waits for it. Safe to call twice, and from any
   * thread.
   */
  public synchronized void stop() {
    if (process == null) {
      return; // not started here
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // this is the shutdown hook, or it runs already
    }
    if (process.isAlive()) {
      System.out.println("[keycloak] stopping Keycloak on " + url() + "…");
      if (!process.stop(STOP_TIMEOUT)) {
        System.out.println(
            "[keycloak] Keycloak did not stop within "
                + STOP_TIMEOUT.toSeconds()
                + " s; killed it");
      }
    }
    work.close();
  }

  /**
   * The demo secret of {@code clientId} in the repository's realm file; only secrets marked as demo
   * ones.
   */
  public static String demoSecret(String clientId) {
    return RealmFile.ofRepository().demoSecret(clientId);
  }

  private boolean answers() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(5))
            .build();
    return HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.discarding())
            .statusCode()
        == 200;
  }

  @Override
  public String toString() {
    return "Keycloak " + url();
  }
}
