package nl.covenanthub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import nl.covenanthub.devkit.KafkaBroker;
import nl.covenanthub.devkit.KafkaClients;
import nl.covenanthub.devkit.TokenClient;
import nl.covenanthub.events.WebhookSignatures;

/**
 * The local stack's processes and how each is started: which environment, which ports, which
 * logins. Reading this class top to bottom tells what {@code bin/hub-local} runs.
 */
final class LocalStack {
  private final LocalSettings settings;
  private final Say say;
  private final HttpProbe probe;
  private final String version = buildVersion();
  private HeadKeys headKeys;

  /** The demo partner that receives by webhook, with a secret made for this run. */
  private static final String WEBHOOK_PARTNER = "veilig-thuis";

  private final String webhookSecret = WebhookSignatures.newSecret();

  LocalStack(LocalSettings settings, Say say) {
    this.settings = settings;
    this.say = say;
    this.probe =
        new HttpProbe(
            settings.hasDemoUsers() ? () -> new TokenClient(settings.tokenEndpoint()) : null);
  }

  HttpProbe probe() {
    return probe;
  }

  /**
   * Keycloak, the broker, PostgreSQL, the hub instances, the console and the demo partners, as
   * settings ask.
   */
  Stack stack() {
    List<Service> services = new ArrayList<>();
    if (settings.externalIssuer().isEmpty()) {
      services.add(new KeycloakService(settings));
    }
    if (settings.externalKafka().isEmpty()) {
      services.add(new BrokerService(settings));
    }
    PostgresService postgres = new PostgresService(settings, say);
    services.add(postgres);
    for (int n = 1; n <= settings.hubs(); n++) {
      services.add(hub(n));
    }
    services.add(console(postgres));
    if (settings.demo()) {
      services.add(demo());
    }
    if (!settings.only().isEmpty()) {
      List<String> names = services.stream().map(Service::name).toList();
      for (String name : settings.only()) {
        if (!names.contains(name)) {
          throw new IllegalArgumentException(
              "--only " + name + ": no such process; the stack's: " + String.join(", ", names));
        }
      }
      services.removeIf(s -> !settings.only().contains(s.name()));
    }
    return new Stack(services, say);
  }

  /** The name of hub instance {@code n}: {@code hub}, then {@code hub-2}, {@code hub-3}, … */
  static String hubName(int n) {
    return n == 1 ? "hub" : "hub-" + n;
  }

  private Service hub(int n) {
    String name = hubName(n);
    int port = settings.ports().hub(n);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KEYCLOAK_ISSUER", settings.issuer());
    env.put("KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrap());
    // Static group members: a hub restarted under its name takes its partitions back at once.
    env.put("HUB_INSTANCE_ID", name);
    env.putAll(kafkaLogin("covenant-hub", "KAFKA_CLIENT_SECRET"));
    env.putAll(demoKeyUnlessConfigured());
    if (settings.value("HUB_HEAD_SIGNING_KEY").isEmpty()) {
      env.put("HUB_HEAD_SIGNING_KEY", headKeys().privateKey());
      env.put("HUB_HEAD_PUBLIC_KEY", headKeys().publicKey());
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "--hub.covenants=" + settings.covenants(),
                "--server.port=" + port,
                "--management.info.process.enabled=true"));
    if (settings.demo()) {
      // The demo's Veilig Thuis receives by webhook too (on this machine: the local profile).
      args.addAll(
          List.of(
              "--hub.webhooks.allow-local=true",
              "--hub.webhooks.endpoints[" + WEBHOOK_PARTNER + "].url=" + webhookUrl(),
              "--hub.webhooks.endpoints[" + WEBHOOK_PARTNER + "].secrets=" + webhookSecret()));
    }
    return JavaService.named(name)
        .jar(settings.jar("hub", version))
        .jvm(jvmOptions(name))
        .env(env)
        .args(args)
        .http(
            port,
            probe,
            "health http://localhost:"
                + port
                + "/actuator/health, metrics http://localhost:"
                + port
                + "/actuator/prometheus (for the operator role: docs/security.md)")
        .log(settings.log(name))
        .say(say)
        .build();
  }

  private Service console(PostgresService postgres) {
    int port = settings.ports().console();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KEYCLOAK_ISSUER", settings.issuer());
    env.put("KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrap());
    env.putAll(kafkaLogin("covenant-console", "CONSOLE_KAFKA_CLIENT_SECRET"));
    env.putAll(demoKeyUnlessConfigured()); // the privacy officer searches by the hub's pseudonyms
    if (settings.value("HUB_HEAD_SIGNING_KEY").isEmpty()) {
      env.put("CONSOLE_HEAD_VERIFY_KEYS", headKeys().publicKey());
    }
    env.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
    env.put("SPRING_DATASOURCE_PASSWORD", postgres.password());
    // The pages' login (the realm's console-web client): its demo secret only on the local realm.
    if (settings.hasDemoUsers() || settings.value("CONSOLE_WEB_CLIENT_SECRET").isPresent()) {
      env.put(
          "CONSOLE_WEB_CLIENT_SECRET", settings.secret("CONSOLE_WEB_CLIENT_SECRET", "console-web"));
    }
    if (settings.demo()) {
      // A few fictional 'niet-pluis' signals in an empty werkbestand (docs/niet-pluis.md).
      env.put("CONSOLE_SIGNALS_DEMO", "true");
    }
    return JavaService.named("console")
        .jar(settings.jar("console", version))
        .jvm(jvmOptions("console"))
        .env(env)
        .args(
            List.of(
                "--server.port=" + port,
                "--management.info.process.enabled=true",
                // The register of processing activities is made from the covenants the hub
                // enforces.
                "--console.covenants=" + settings.covenants()))
        .http(
            port,
            probe,
            "http://localhost:"
                + port
                + "/ (the privacy officer: fg/demo; signals: ivb/demo, form /melden), API"
                + " http://localhost:"
                + port
                + "/api/ (docs/console.md)")
        .log(settings.log("console"))
        .say(say)
        .build();
  }

  private Service demo() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", settings.kafkaBootstrap());
    if (settings.externalKafka().isEmpty()) {
      // Each partner logs in as itself; the watcher of the hub's audit and dead letters as the
      // broker's super user.
      env.put("KAFKA_TOKEN_ENDPOINT", settings.tokenEndpoint());
      env.put("KAFKA_ADMIN_BOOTSTRAP_SERVERS", "localhost:" + settings.ports().kafkaInternal());
      env.put("KAFKA_ADMIN_USERNAME", KafkaBroker.ADMIN_USER);
      env.put("KAFKA_ADMIN_PASSWORD", KafkaBroker.DEMO_ADMIN_PASSWORD);
      for (String partner : LocalSettings.PARTNERS) {
        String variable = LocalSettings.partnerSecretVariable(partner);
        env.put(variable, settings.secret(variable, partner));
      }
    }
    env.put("DEMO_WEBHOOK_PORT", String.valueOf(settings.ports().webhook()));
    env.put("DEMO_WEBHOOK_SECRET", webhookSecret());
    List<String> args = new ArrayList<>();
    if (settings.count() > 0) {
      args.addAll(List.of("--count", String.valueOf(settings.count())));
    }
    if (settings.colour()) {
      args.add("--color");
    }
    return JavaService.named("demo")
        .jar(settings.jar("demo", version))
        .jvm(jvmOptions("demo"))
        .env(env)
        .args(args)
        .http(
            0,
            null,
            "lzn, politie, veilig-thuis and riec publishing, odr too, each logged in as itself")
        .log(settings.log("demo"))
        .say(say)
        .showOutput()
        .build();
  }

  private String webhookUrl() {
    return "http://localhost:" + settings.ports().webhook() + "/hooks/" + WEBHOOK_PARTNER;
  }

  private String webhookSecret() {
    return webhookSecret;
  }

  /**
   * The Kafka login of one of our services: on the local broker, SASL/OAUTHBEARER as its own
   * Keycloak client.
   */
  private Map<String, String> kafkaLogin(String clientId, String secretVariable) {
    if (settings.externalKafka().isPresent()) {
      return Map.of();
    }
    return Map.of(
        "SPRING_PROFILES_ACTIVE",
        "sasl",
        "KAFKA_TOKEN_ENDPOINT",
        settings.tokenEndpoint(),
        "KAFKA_CLIENT_ID",
        clientId,
        "KAFKA_CLIENT_SECRET",
        settings.secret(secretVariable, clientId));
  }

  /** The hubs' head-signing key pair of this state directory, made on first use. */
  private HeadKeys headKeys() {
    if (headKeys == null) {
      headKeys = HeadKeys.of(settings.stateDir());
    }
    return headKeys;
  }

  /**
   * The public LOCAL DEMO key, unless the person configured one (then the services read theirs).
   */
  private Map<String, String> demoKeyUnlessConfigured() {
    return settings.hasOwnKey()
        ? Map.of()
        : Map.of("COVENANT_KEY_SUBJECT_KEY", LocalSettings.DEMO_KEY);
  }

  /** A name to find the process by ({@code ps}), and the token endpoint Kafka 4 may contact. */
  private List<String> jvmOptions(String name) {
    // A local stack starts often and carries little load: C1 alone and the serial collector cut a
    // Spring Boot start on 2 shared cores by seconds, which bin/chaos pays on every restart.
    List<String> options =
        new ArrayList<>(
            List.of("-Dcovenanthub.local=" + name, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    if (settings.externalKafka().isEmpty()) {
      options.add("-D" + KafkaClients.ALLOWED_URLS_PROPERTY + "=" + settings.tokenEndpoint());
    }
    return options;
  }

  private static String buildVersion() {
    Properties properties = new Properties();
    try (InputStream in = LocalStack.class.getResourceAsStream("/launcher.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "0.1.0-SNAPSHOT");
  }
}
