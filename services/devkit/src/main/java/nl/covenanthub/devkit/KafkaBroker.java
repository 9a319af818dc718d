package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A real single-node Kafka broker (KRaft) with SASL/OAUTHBEARER against Keycloak and ACLs denying by default,
 * run as a child process from {@code infra/kafka/server.properties}: for the tests ({@link #shared()}) and for
 * {@code bin/hub-local} ({@link #main}).
 *
 * <p>Three listeners, all on localhost: the clients' listener ({@link #bootstrapServers()}) takes Keycloak tokens
 * only; the internal listener ({@link #adminBootstrapServers()}) and the controller take only the super user
 * {@code admin} with a LOCAL DEMO password ({@link #DEMO_ADMIN_PASSWORD}). The launcher applies the ACLs of
 * {@code infra/kafka/acls.yaml} through the internal listener.
 *
 * <p>The broker runs on a class path that holds {@code org.apache.kafka:kafka_2.13} (this JVM's, unless given),
 * and stops when this JVM does, even when it is killed: the child watches its standard input.
 */
public final class KafkaBroker implements AutoCloseable {
  /** The super user of the internal listeners; no Keycloak client may have this id. */
  public static final String ADMIN_USER = "admin";
  /** The super user's password on local and test brokers: a LOCAL DEMO credential, public, never for a real cluster. */
  public static final String DEMO_ADMIN_PASSWORD = "local-demo-admin-NOT-FOR-PRODUCTION";
  /** JVM system property (not a Kafka property) listing the OAuth URLs Kafka 4 may contact; empty means none. */
  public static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
  /** Overrides the class path the broker runs on. */
  public static final String CLASSPATH_PROPERTY = "covenanthub.kafka.classpath";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.]+)}");
  private static KafkaBroker shared;
  private static RuntimeException sharedFailure;

  private final Process process;
  private final Path workDir;
  private final Path log;
  private final int port;
  private final int adminPort;
  private final String tokenEndpoint;
  private final String adminPassword;
  private final boolean deleteOnStop;
  private volatile boolean stopping;

  private KafkaBroker(Process process, Builder settings, int port, int adminPort) {
    this.process = process;
    this.workDir = settings.workDir;
    this.log = settings.log;
    this.port = port;
    this.adminPort = adminPort;
    this.tokenEndpoint = settings.tokenEndpoint;
    this.adminPassword = settings.adminPassword;
    this.deleteOnStop = settings.deleteOnStop;
  }

  /** A broker to be started with its data, config and log in {@code workDir}. */
  public static Builder in(Path workDir) {
    return new Builder(workDir);
  }

  /**
   * The broker of this test JVM, started on first call: on {@link Keycloak#shared()}, on free ports, with the
   * repository's {@code infra/kafka/acls.yaml} applied; stopped and deleted when the JVM ends. Also allows this
   * JVM's Kafka clients to fetch tokens from that Keycloak ({@link #allowOAuthUrls}).
   */
  public static synchronized KafkaBroker shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException("the shared Kafka broker failed to start earlier in this JVM", sharedFailure);
    }
    Path workDir = null;
    try {
      Keycloak keycloak = Keycloak.shared();
      Path root = repositoryRoot();
      Path target = Path.of("target").toAbsolutePath();
      Files.createDirectories(target);
      workDir = Files.createTempDirectory(target, "kafka-broker-");
      KafkaBroker broker = in(workDir)
          .oauth(keycloak.issuer(), keycloak.jwksUri(), keycloak.tokenEndpoint())
          .acls(readAcls(root.resolve("infra/kafka/acls.yaml")))
          .deleteOnStop()
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-stop"));
      allowOAuthUrls(keycloak.tokenEndpoint());
      shared = broker;
      return broker;
    } catch (IOException | RuntimeException e) {
      sharedFailure = e instanceof RuntimeException runtime ? runtime : new UncheckedIOException((IOException) e);
      if (workDir != null) {
        try {
          KeycloakDist.deleteTree(workDir);
        } catch (IOException ignored) {
          // a leftover directory in target/ is harmless
        }
      }
      throw sharedFailure;
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
    return tokenEndpoint;
  }

  /** The broker's log (its standard output). */
  public Path log() {
    return log;
  }

  /** Client settings for {@code clientId} on the clients' listener: a token from Keycloak by client credentials. */
  public Map<String, Object> clientConfig(String clientId, String clientSecret) {
    return oauthClientConfig(bootstrapServers(), tokenEndpoint, clientId, clientSecret);
  }

  /**
   * Kafka client settings for SASL/OAUTHBEARER with client credentials (Kafka 4.1 property names). The token
   * endpoint must also be allowed by the JVM system property {@value #ALLOWED_URLS_PROPERTY}.
   */
  public static Map<String, Object> oauthClientConfig(String bootstrapServers, String tokenEndpoint, String clientId,
      String clientSecret) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
    config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    config.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    config.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, tokenEndpoint);
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID, clientId);
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, clientSecret);
    // The client's own name for its login, in its logs; the broker takes azp as the principal anyway.
    config.put(SaslConfigs.SASL_OAUTHBEARER_SUB_CLAIM_NAME, "azp");
    // Renew at about 80 % of a token's life: Kafka's defaults (60 s + 300 s) do not fit Keycloak's 5-minute tokens.
    config.put(SaslConfigs.SASL_LOGIN_REFRESH_MIN_PERIOD_SECONDS, (short) 30);
    config.put(SaslConfigs.SASL_LOGIN_REFRESH_BUFFER_SECONDS, (short) 30);
    return config;
  }

  /** Client settings for the super user on the internal listener: for the launcher, and for tests that set up. */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, adminBootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + ADMIN_USER + "\" password=\"" + adminPassword + "\";");
    return config;
  }

  /** An admin client of the super user; the caller closes it. */
  public Admin admin() {
    return Admin.create(adminConfig());
  }

  /**
   * Makes the broker's ACLs exactly {@code acls}: creates the missing ones, deletes the others, and returns once
   * the broker enforces them.
   */
  public void applyAcls(Collection<AclBinding> acls) {
    Set<AclBinding> wanted = new LinkedHashSet<>(acls);
    try (Admin admin = admin()) {
      Set<AclBinding> present = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
      List<AclBindingFilter> stale = present.stream().filter(acl -> !wanted.contains(acl)).map(AclBinding::toFilter).toList();
      if (!stale.isEmpty()) {
        admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
      }
      List<AclBinding> missing = wanted.stream().filter(acl -> !present.contains(acl)).toList();
      if (!missing.isEmpty()) {
        admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)).equals(wanted)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not take the ACLs within 30 s");
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("applying ACLs failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying ACLs", e);
    }
  }

  /**
   * The ACLs of an {@code acls.yaml} as the hub's {@code AclYaml} writes it: one flow mapping per line,
   * {@code - {principal: "User:x", operation: READ, resource: TOPIC, pattern: LITERAL, name: "t"}}, optionally
   * with {@code host} (default {@code *}) and {@code permission} (default ALLOW).
   */
  public static List<AclBinding> readAcls(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ACLs " + file, e);
    }
    Pattern entry = Pattern.compile("\\s*-\\s*\\{(.*)}\\s*");
    Pattern field = Pattern.compile("\\s*([a-z]+):\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\"]*?)\\s*(?:,|$)");
    List<AclBinding> acls = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String where = file + ":" + (i + 1);
      if (line.isBlank() || line.strip().startsWith("#") || line.strip().equals("acls:")) {
        continue;
      }
      Matcher m = entry.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException(where + ": not an ACL entry: " + line.strip());
      }
      Map<String, String> fields = new LinkedHashMap<>();
      Matcher f = field.matcher(m.group(1));
      int end = 0;
      while (end < m.group(1).length() && f.find(end) && f.start() == end) {
        String value = f.group(2);
        if (value.startsWith("\"")) {
          value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        fields.put(f.group(1), value);
        end = f.end();
      }
      if (end != m.group(1).length()) {
        throw new IllegalArgumentException(where + ": cannot read " + m.group(1).substring(end));
      }
      acls.add(binding(fields, where));
    }
    return acls;
  }

  private static AclBinding binding(Map<String, String> fields, String where) {
    for (String required : List.of("principal", "operation", "resource", "pattern", "name")) {
      if (!fields.containsKey(required)) {
        throw new IllegalArgumentException(where + ": no " + required);
      }
    }
    AclOperation operation = AclOperation.fromString(fields.get("operation"));
    ResourceType resource = ResourceType.fromString(fields.get("resource"));
    PatternType pattern = PatternType.fromString(fields.get("pattern"));
    AclPermissionType permission = AclPermissionType.fromString(fields.getOrDefault("permission", "ALLOW"));
    if (operation.isUnknown() || operation == AclOperation.ANY || resource.isUnknown() || resource == ResourceType.ANY
        || !pattern.isSpecific() || permission.isUnknown() || permission == AclPermissionType.ANY) {
      throw new IllegalArgumentException(where + ": not a specific ACL: " + fields);
    }
    return new AclBinding(new ResourcePattern(resource, fields.get("name"), pattern),
        new AccessControlEntry(fields.get("principal"), fields.getOrDefault("host", "*"), operation, permission));
  }

  /** Stops the broker (TERM, then KILL after 30 s) and, for a test broker, deletes its data. */
  public synchronized void stop() {
    stopping = true;
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (deleteOnStop) {
      try {
        KeycloakDist.deleteTree(workDir);
      } catch (IOException e) {
        System.err.println("[kafka] could not delete " + workDir + ": " + e.getMessage());
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

  /** Adds URLs to {@value #ALLOWED_URLS_PROPERTY} of this JVM, so its Kafka clients may fetch tokens there. */
  public static synchronized void allowOAuthUrls(String... urls) {
    Set<String> allowed = new LinkedHashSet<>();
    String current = System.getProperty(ALLOWED_URLS_PROPERTY, "");
    for (String url : current.split(",")) {
      if (!url.isBlank()) {
        allowed.add(url.strip());
      }
    }
    allowed.addAll(List.of(urls));
    System.setProperty(ALLOWED_URLS_PROPERTY, String.join(",", allowed));
  }

  /** The checkout's root: the nearest directory, from the working directory up, holding infra/kafka/server.properties. */
  public static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra/kafka/server.properties"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no infra/kafka/server.properties in " + Path.of("").toAbsolutePath() + " or above");
  }

  /** How to start a broker; every setting but {@link #oauth} has a default. */
  public static final class Builder {
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
    private String adminPassword = DEMO_ADMIN_PASSWORD;
    private String classpath;
    private List<AclBinding> acls;
    private boolean deleteOnStop;

    private Builder(Path workDir) {
      this.workDir = workDir.toAbsolutePath();
    }

    /** The Keycloak realm: its issuer, JWKS and token endpoint. Required. */
    public Builder oauth(String issuer, String jwksUri, String tokenEndpoint) {
      this.issuer = issuer;
      this.jwksUri = jwksUri;
      this.tokenEndpoint = tokenEndpoint;
      return this;
    }

    /** The clients', internal and controller ports; 0 (the default) picks a free one. */
    public Builder ports(int port, int adminPort, int controllerPort) {
      this.port = port;
      this.adminPort = adminPort;
      this.controllerPort = controllerPort;
      return this;
    }

    /** The config template; default the checkout's {@code infra/kafka/server.properties}. */
    public Builder template(Path template) {
      this.template = template;
      return this;
    }

    /** Where the broker logs; default {@code kafka.log} in the work directory. */
    public Builder log(Path log) {
      this.log = log;
      return this;
    }

    /** The longest session before a client must re-authenticate (a token's expiry ends it sooner); default 1 min. */
    public Builder reauthenticateWithin(Duration reauthentication) {
      this.reauthentication = reauthentication;
      return this;
    }

    /** The super user's password; default the LOCAL DEMO password. */
    public Builder adminPassword(String adminPassword) {
      this.adminPassword = adminPassword;
      return this;
    }

    /** The class path holding kafka_2.13 and a logging backend; default this JVM's (or {@value #CLASSPATH_PROPERTY}). */
    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    /** ACLs to apply once the broker runs (replacing any others). */
    public Builder acls(List<AclBinding> acls) {
      this.acls = List.copyOf(acls);
      return this;
    }

    /** Delete the work directory when the broker stops (tests). */
    public Builder deleteOnStop() {
      this.deleteOnStop = true;
      return this;
    }

    /** Formats the storage if it is new, starts the broker, waits until it serves and applies the ACLs. */
    public KafkaBroker start() {
      if (issuer == null || jwksUri == null || tokenEndpoint == null) {
        throw new IllegalStateException("oauth(issuer, jwksUri, tokenEndpoint) is required");
      }
      try {
        Files.createDirectories(workDir);
        if (template == null) {
          template = repositoryRoot().resolve("infra/kafka/server.properties");
        }
        if (log == null) {
          log = workDir.resolve("kafka.log");
        }
        if (log.getParent() != null) {
          Files.createDirectories(log.getParent());
        }
        if (classpath == null) {
          classpath = System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
        }
        int clientsPort = port == 0 ? freePort() : port;
        int internalPort = adminPort == 0 ? freePort() : adminPort;
        int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
        Map<String, String> values = Map.of(
            "port", String.valueOf(clientsPort),
            "admin.port", String.valueOf(internalPort),
            "controller.port", String.valueOf(quorumPort),
            "data.dir", workDir.resolve("data").toString(),
            "issuer", issuer,
            "jwks.url", jwksUri,
            "reauth.ms", String.valueOf(reauthentication.toMillis()),
            "admin.password", adminPassword);
        Path config = workDir.resolve("server.properties");
        Files.writeString(config, render(Files.readString(template, StandardCharsets.UTF_8), values, template),
            StandardCharsets.UTF_8);
        writeLoggingConfig();

        if (!Files.exists(workDir.resolve("data/meta.properties"))) {
          format(config);
        }
        Process process = java(Child.class.getName(), config.toString()).start();
        KafkaBroker broker = new KafkaBroker(process, this, clientsPort, internalPort);
        try {
          broker.awaitServing(Duration.ofSeconds(60));
          if (acls != null) {
            broker.applyAcls(acls);
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

    private void format(Path config) throws IOException {
      Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
          .start();
      try {
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
          format.destroyForcibly();
          throw new IllegalStateException("formatting the broker's storage failed; see " + log);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while formatting the broker's storage", e);
      }
    }

    private ProcessBuilder java(String mainClass, String... args) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
          "-D" + ALLOWED_URLS_PROPERTY + "=" + jwksUri,
          "-Dlogback.configurationFile=" + workDir.resolve("logback.xml"),
          "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties"),
          // Log4j's own hook would end the log before the broker has logged its shutdown.
          "-Dlog4j2.shutdownHookEnabled=false",
          "-cp", classpath, mainClass));
      command.addAll(List.of(args));
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    /** The broker logs INFO to its standard output, whichever SLF4J backend its class path holds. */
    private void writeLoggingConfig() throws IOException {
      Files.writeString(workDir.resolve("logback.xml"), """
          <configuration>
            <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>[%d] %-5level %msg \\(%logger\\)%n</pattern></encoder>
            </appender>
            <logger name="kafka.request.logger" level="WARN"/>
            <root level="INFO"><appender-ref ref="out"/></root>
          </configuration>
          """);
      Files.writeString(workDir.resolve("log4j2.properties"), """
          status = warn
          appender.out.type = Console
          appender.out.name = out
          appender.out.layout.type = PatternLayout
          appender.out.layout.pattern = [%d] %p %m (%c)%n
          rootLogger.level = info
          rootLogger.appenderRef.out.ref = out
          logger.request.name = kafka.request.logger
          logger.request.level = warn
          """);
    }
  }

  static String render(String template, Map<String, String> values, Path source) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(source + ": unknown placeholder ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void awaitServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // First the port, so the admin client does not log a warning for every refused connection.
    while (!listening(adminPort)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Kafka broker stopped while starting (exit " + process.exitValue()
            + "); see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Kafka broker did not listen within " + timeout.toSeconds() + " s; see " + log);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
    }
    Map<String, Object> config = new LinkedHashMap<>(adminConfig());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker stopped while starting (exit " + process.exitValue()
              + "); see " + log);
        }
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not serving yet
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the Kafka broker did not serve within " + timeout.toSeconds() + " s; see " + log);
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * {@code bin/hub-local}'s broker: {@code KafkaBroker --dir DIR --issuer URL --jwks URL --token-endpoint URL
   * [--port 9092] [--admin-port 9094] [--controller-port 9093] [--acls FILE] [--log FILE] [--reauth-ms N]
   * [--admin-password P] [--ready-file FILE]}. Keeps its data in {@code DIR} between runs, applies the ACLs,
   * prints one line and writes the ready file (if asked) once clients can use it, and runs until stopped (TERM
   * or Ctrl-C), stopping the broker with it.
   */
  public static void main(String[] args) throws InterruptedException {
    Map<String, String> options = new LinkedHashMap<>();
    for (Iterator<String> it = List.of(args).iterator(); it.hasNext(); ) {
      String option = it.next();
      if (!option.startsWith("--") || !it.hasNext()) {
        System.err.println("usage: KafkaBroker --dir DIR --issuer URL --jwks URL --token-endpoint URL [--port N] "
            + "[--admin-port N] [--controller-port N] [--acls FILE] [--log FILE] [--reauth-ms N] [--admin-password P] "
            + "[--ready-file FILE]");
        System.exit(2);
      }
      options.put(option.substring(2), it.next());
    }
    Builder builder = in(Path.of(required(options, "dir")))
        .oauth(required(options, "issuer"), required(options, "jwks"), required(options, "token-endpoint"))
        .ports(Integer.parseInt(options.getOrDefault("port", "9092")),
            Integer.parseInt(options.getOrDefault("admin-port", "9094")),
            Integer.parseInt(options.getOrDefault("controller-port", "9093")))
        .reauthenticateWithin(Duration.ofMillis(Long.parseLong(options.getOrDefault("reauth-ms", "60000"))));
    if (options.containsKey("log")) {
      builder.log(Path.of(options.get("log")));
    }
    if (options.containsKey("admin-password")) {
      builder.adminPassword(options.get("admin-password"));
    }
    Path readyFile = options.containsKey("ready-file") ? Path.of(options.get("ready-file")) : null;
    List<AclBinding> acls = options.containsKey("acls") ? readAcls(Path.of(options.get("acls"))) : null;
    if (acls != null) {
      builder.acls(acls);
    }
    KafkaBroker broker;
    try {
      broker = builder.start();
    } catch (RuntimeException e) {
      System.err.println("[kafka] " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.stop();
      deleteIfExists(readyFile);
    }, "kafka-broker-stop"));
    String ready = "clients (OAUTHBEARER) on " + broker.bootstrapServers() + ", admin on " + broker.adminBootstrapServers()
        + (acls == null ? "" : ", " + acls.size() + " ACLs applied");
    System.out.println("[kafka] broker ready: " + ready);
    if (readyFile != null) {
      try {
        Files.writeString(readyFile, ready + System.lineSeparator());
      } catch (IOException e) {
        System.err.println("[kafka] cannot write " + readyFile + ": " + e.getMessage());
      }
    }
    int exit = broker.process.waitFor();
    if (broker.stopping) {
      return;
    }
    System.err.println("[kafka] the broker stopped (exit " + exit + "); see " + broker.log);
    System.exit(exit == 0 ? 0 : 1);
  }

  private static void deleteIfExists(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a stale ready file is removed by the next start
      }
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      System.err.println("KafkaBroker: --" + name + " is required");
      System.exit(2);
    }
    return value;
  }

  /** The broker process: {@code kafka.Kafka}, ended when its parent goes away (its standard input closes). */
  static final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
      Thread watch = new Thread(() -> {
        try {
          while (System.in.read() != -1) {
            // the parent never writes; end of input means it is gone
          }
        } catch (IOException e) {
          // the same
        }
        System.exit(0);
      }, "parent-watch");
      watch.setDaemon(true);
      watch.start();
      Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    }
  }
}
