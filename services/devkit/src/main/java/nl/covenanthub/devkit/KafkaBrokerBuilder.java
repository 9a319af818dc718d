package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/** How to start a {@link KafkaBroker}; every setting but {@link #oauth} has a default. */
public final class KafkaBrokerBuilder {
  private final Path workDir;
  private Path template;
  private Path log;
  private int port;
  private int adminPort;
  private int controllerPort;
  private String issuer;
  private String jwksUri;
  private String tokenEndpoint;
  private Duration reauthentication = Duration.ofMinutes(1);
  private String adminPassword = KafkaBroker.DEMO_ADMIN_PASSWORD;
  private String classpath;
  private List<AclBinding> acls;
  private List<AclFile.ClientQuota> quotas = List.of();
  private boolean deleteOnStop;

  KafkaBrokerBuilder(Path workDir) {
    this.workDir = workDir.toAbsolutePath();
  }

  /** The Keycloak realm: its issuer, JWKS and token endpoint. Required. */
  public KafkaBrokerBuilder oauth(String issuer, String jwksUri, String tokenEndpoint) {
    this.issuer = issuer;
    this.jwksUri = jwksUri;
    this.tokenEndpoint = tokenEndpoint;
    return this;
  }

  /** The clients', internal and controller ports; 0 (the default) picks a free one. */
  public KafkaBrokerBuilder ports(int port, int adminPort, int controllerPort) {
    this.port = port;
    this.adminPort = adminPort;
    this.controllerPort = controllerPort;
    return this;
  }

  /** The config template; default the checkout's {@code infra/kafka/server.properties}. */
  public KafkaBrokerBuilder template(Path template) {
    this.template = template;
    return this;
  }

  /** Where the broker logs; default {@code kafka.log} in the work directory. */
  public KafkaBrokerBuilder log(Path log) {
    this.log = log;
    return this;
  }

  /**
   * The longest session before a client must re-authenticate (a token's expiry ends it sooner);
   * default 1 min.
   */
  public KafkaBrokerBuilder reauthenticateWithin(Duration reauthentication) {
    this.reauthentication = reauthentication;
    return this;
  }

  /** The super user's password; default the LOCAL DEMO password. */
  public KafkaBrokerBuilder adminPassword(String adminPassword) {
    this.adminPassword = adminPassword;
    return this;
  }

  /**
   * The class path holding kafka_2.13 and a logging backend; default this JVM's (or {@value
   * KafkaBroker#CLASSPATH_PROPERTY}).
   */
  public KafkaBrokerBuilder classpath(String classpath) {
    this.classpath = classpath;
    return this;
  }

  /** ACLs to apply once the broker runs (replacing any others). */
  public KafkaBrokerBuilder acls(List<AclBinding> acls) {
    this.acls = List.copyOf(acls);
    return this;
  }

  /** Client quotas to set once the broker runs. */
  public KafkaBrokerBuilder quotas(List<AclFile.ClientQuota> quotas) {
    this.quotas = List.copyOf(quotas);
    return this;
  }

  /** Delete the work directory when the broker stops (tests). */
  public KafkaBrokerBuilder deleteOnStop() {
    this.deleteOnStop = true;
    return this;
  }

  /**
   * Formats the storage if it is new, starts the broker, waits until it serves and applies the
   * ACLs.
   */
  public KafkaBroker start() {
    if (issuer == null || jwksUri == null || tokenEndpoint == null) {
      throw new IllegalStateException("oauth(issuer, jwksUri, tokenEndpoint) is required");
    }
    try {
      Files.createDirectories(workDir);
      Path template =
          this.template != null
              ? this.template
              : Repository.root().resolve("infra/kafka/server.properties");
      Path log = this.log != null ? this.log : workDir.resolve("kafka.log");
      int clientsPort = port == 0 ? FreePorts.any() : port;
      int internalPort = adminPort == 0 ? FreePorts.any() : adminPort;
      int quorumPort = controllerPort == 0 ? FreePorts.any() : controllerPort;
      Path config =
          BrokerConfig.write(
              workDir,
              template,
              Map.of(
                  "port", String.valueOf(clientsPort),
                  "admin.port", String.valueOf(internalPort),
                  "controller.port", String.valueOf(quorumPort),
                  "data.dir", workDir.resolve("data").toString(),
                  "issuer", issuer,
                  "jwks.url", jwksUri,
                  "reauth.ms", String.valueOf(reauthentication.toMillis()),
                  "admin.password", adminPassword));
      if (!Files.exists(workDir.resolve("data/meta.properties"))) {
        format(config, log);
      }
      // The child's standard input stays a pipe from this JVM: it ends the broker when this JVM
      // goes.
      ChildProcess process =
          ChildProcess.start(
              "Kafka broker", java(BrokerProcess.class.getName(), config.toString()), log);
      KafkaBroker broker = new KafkaBroker(process, this, clientsPort, internalPort);
      try {
        broker.awaitServing();
        if (acls != null) {
          broker.applyAcls(acls);
        }
        if (!quotas.isEmpty()) {
          broker.applyQuotas(quotas);
        }
      } catch (RuntimeException e) {
        broker.stop();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + workDir, e);
    }
  }

  private void format(Path config, Path log) {
    ChildProcess format =
        ChildProcess.start(
            "Kafka storage format",
            java(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()),
            log);
    try {
      if (!format.process().waitFor(60, TimeUnit.SECONDS) || format.process().exitValue() != 0) {
        format.stop(Duration.ZERO);
        throw format.failure("failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting the broker's storage", e);
    }
  }

  private ProcessBuilder java(String mainClass, String... args) {
    String path =
        classpath != null
            ? classpath
            : System.getProperty(
                KafkaBroker.CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Djava.awt.headless=true",
                "-D" + KafkaClients.ALLOWED_URLS_PROPERTY + "=" + jwksUri,
                "-Dlogback.configurationFile=" + BrokerConfig.logbackConfig(workDir),
                "-Dlog4j2.configurationFile=" + BrokerConfig.log4jConfig(workDir),
                // Log4j's own hook would end the log before the broker has logged its shutdown.
                "-Dlog4j2.shutdownHookEnabled=false",
                "-cp",
                path,
                mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  Path workDir() {
    return workDir;
  }

  String tokenEndpoint() {
    return tokenEndpoint;
  }

  String adminPassword() {
    return adminPassword;
  }

  boolean deletesOnStop() {
    return deleteOnStop;
  }
}
