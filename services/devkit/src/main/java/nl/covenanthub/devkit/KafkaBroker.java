package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A real single-node Kafka broker (KRaft) with SASL/OAUTHBEARER against Keycloak and ACLs denying
 * by default, run as a child process from {@code infra/kafka/server.properties}: for the tests
 * ({@link #shared()}) and for the local stack's launcher.
 *
 * <p>Three listeners, all on localhost: the clients' listener ({@link #bootstrapServers()}) takes
 * Keycloak tokens only; the internal listener ({@link #adminBootstrapServers()}) and the controller
 * take only the super user {@code admin} with a LOCAL DEMO password ({@link #DEMO_ADMIN_PASSWORD}).
 * The ACLs given are applied through the internal listener.
 *
 * <p>The broker runs on a class path that holds {@code org.apache.kafka:kafka_2.13} (this JVM's,
 * unless given), and stops when this JVM does, even when it is killed: the child watches its
 * standard input.
 */
public final class KafkaBroker implements AutoCloseable {
  /** The super user of the internal listeners; no Keycloak client may have this id. */
  public static final String ADMIN_USER = "admin";

  /**
   * The super user's password on local and test brokers: a LOCAL DEMO credential, public, never for
   * a real cluster.
   */
  public static final String DEMO_ADMIN_PASSWORD = "local-demo-admin-NOT-FOR-PRODUCTION";

  /** Overrides the class path the broker runs on. */
  public static final String CLASSPATH_PROPERTY = "covenanthub.kafka.classpath";

  static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static KafkaBroker shared;
  private static RuntimeException sharedFailure;

  private final ChildProcess process;
  private final KafkaBrokerBuilder settings;
  private final int port;
  private final int adminPort;

  KafkaBroker(ChildProcess process, KafkaBrokerBuilder settings, int port, int adminPort) {
    this.process = process;
    this.settings = settings;
    this.port = port;
    this.adminPort = adminPort;
  }

  /** A broker to be started with its data, config and log in {@code workDir}. */
  public static KafkaBrokerBuilder in(Path workDir) {
    return new KafkaBrokerBuilder(workDir);
  }

  /**
   * The broker of this test JVM, started on first call: on {@link Keycloak#shared()}, on free
   * ports, with the repository's {@code infra/kafka/acls.yaml} applied; stopped and deleted when
   * the JVM ends. Also allows this JVM's Kafka clients to fetch tokens from that Keycloak ({@link
   * KafkaClients#allowOAuthUrls}).
   */
  public static synchronized KafkaBroker shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(
          "the shared Kafka broker failed to start earlier in this JVM", sharedFailure);
    }
    try {
      Keycloak keycloak = Keycloak.shared();
      Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
      KafkaBroker broker =
          in(Files.createTempDirectory(target, "kafka-broker-"))
              .oauth(keycloak.issuer(), keycloak.jwksUri(), keycloak.tokenEndpoint())
              .acls(AclFile.read(Repository.root().resolve("infra/kafka/acls.yaml")))
              .quotas(AclFile.quotas(Repository.root().resolve("infra/kafka/acls.yaml")))
              .deleteOnStop()
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-stop"));
      KafkaClients.allowOAuthUrls(keycloak.tokenEndpoint());
      shared = broker;
      return broker;
    } catch (IOException e) {
      sharedFailure = new UncheckedIOException(e);
      throw sharedFailure;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  /** The clients' listener (SASL_PLAINTEXT, OAUTHBEARER), e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /** The internal listener (SASL_PLAINTEXT, PLAIN, the super user only). */
  public String adminBootstrapServers() {
    return "localhost:" + adminPort;
  }

  /** The Keycloak token endpoint the clients of this broker use. */
  public String tokenEndpoint() {
    return settings.tokenEndpoint();
  }

  /** The broker's log (its standard output). */
  public Path log() {
    return process.log();
  }

  /** The broker process. */
  public ChildProcess process() {
    return process;
  }

  /**
   * Client settings for {@code clientId} on the clients' listener: a token from Keycloak by client
   * credentials.
   */
  public Map<String, Object> clientConfig(String clientId, String clientSecret) {
    return KafkaClients.oauth(bootstrapServers(), settings.tokenEndpoint(), clientId, clientSecret);
  }

  /**
   * Client settings for the super user on the internal listener: for the launcher, and for tests
   * that set up.
   */
  public Map<String, Object> adminConfig() {
    return KafkaClients.superUser(adminBootstrapServers(), ADMIN_USER, settings.adminPassword());
  }

  /** An admin client of the super user; the caller closes it. */
  public Admin admin() {
    return Admin.create(adminConfig());
  }

  /** Makes the broker's ACLs exactly {@code acls}, and returns once the broker enforces them. */
  public void applyAcls(Collection<AclBinding> acls) {
    try (Admin admin = admin()) {
      AclSync.apply(admin, acls);
    }
  }

  /**
   * Sets these client quotas (each user's quota replaced), and returns once the broker has them.
   */
  public void applyQuotas(java.util.List<AclFile.ClientQuota> quotas) {
    try (Admin admin = admin()) {
      AclSync.applyQuotas(admin, quotas);
    }
  }

  /** Stops the broker (TERM, then KILL after 30 s) and, for a test broker, deletes its data. */
  public synchronized void stop() {
    process.stop(STOP_TIMEOUT);
    if (settings.deletesOnStop()) {
      try {
        Directories.deleteTree(settings.workDir());
      } catch (IOException e) {
        System.err.println(
            "[kafka] could not delete " + settings.workDir() + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Whether the broker process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the internal listener accepts connections and the broker describes its cluster. */
  void awaitServing() {
    Map<String, Object> config = new LinkedHashMap<>(adminConfig());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    // First the port, so the admin client does not log a warning for every refused connection.
    Await.ready(process, () -> listening(adminPort), START_TIMEOUT, null, null);
    try (Admin admin = Admin.create(config)) {
      Await.ready(
          process,
          () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty(),
          START_TIMEOUT,
          null,
          null);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
