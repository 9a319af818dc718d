package nl.covenanthub.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.devkit.RealmFile;

/**
 * Everything the local stack is started with: the checkout, where state and logs go, the ports,
 * what to run, and the environment (external Keycloak or Kafka, secrets, keys), read once.
 */
record LocalSettings(
    Path root,
    Path stateDir,
    Ports ports,
    int hubs,
    boolean demo,
    int count,
    boolean colour,
    List<String> only,
    Path covenants,
    Map<String, String> env) {

  /** Public and fixed, so pseudonyms are stable between local runs; never for real data. */
  static final String DEMO_KEY = "bG9jYWwtZGVtby1rZXktb2YtYmluL2h1Yi1sb2NhbC1OT1QtQS1TRUNSRVQ=";

  /** The realm's partners, each of which the demo logs in as. */
  static final List<String> PARTNERS = List.of("lzn", "politie", "veilig-thuis", "riec", "odr");

  LocalSettings {
    only = List.copyOf(only);
    env = Map.copyOf(env);
  }

  /** {@code path} relative to the checkout when it is inside it, as a person would type it. */
  String shown(Path path) {
    return Say.relative(root, path);
  }

  Path logs() {
    return stateDir.resolve("logs");
  }

  Path log(String process) {
    return logs().resolve(process + ".log");
  }

  Path kafkaDir() {
    return stateDir.resolve("kafka");
  }

  Path keycloakDir() {
    return stateDir.resolve("keycloak");
  }

  /**
   * The console's state: its PostgreSQL's data ({@code postgres/}) and the broker it was read from.
   */
  Path consoleDir() {
    return stateDir.resolve("console");
  }

  Path realmFile() {
    return root.resolve(RealmFile.PATH);
  }

  Path aclFile() {
    return root.resolve("infra/kafka/acls.yaml");
  }

  /** A Keycloak realm given by {@code KEYCLOAK_ISSUER}, used instead of starting one. */
  Optional<String> externalIssuer() {
    return value("KEYCLOAK_ISSUER");
  }

  /** A broker given by {@code KAFKA_BOOTSTRAP_SERVERS}, used instead of starting one. */
  Optional<String> externalKafka() {
    return value("KAFKA_BOOTSTRAP_SERVERS");
  }

  String issuer() {
    return externalIssuer().orElse("http://localhost:" + ports.keycloak() + "/realms/covenant-hub");
  }

  String tokenEndpoint() {
    return issuer() + "/protocol/openid-connect/token";
  }

  String jwksUri() {
    return issuer() + "/protocol/openid-connect/certs";
  }

  String kafkaBootstrap() {
    return externalKafka().orElse("localhost:" + ports.kafka());
  }

  /**
   * Whether the demo users of the realm (operator, fg) can be asked for tokens: only on the local
   * Keycloak.
   */
  boolean hasDemoUsers() {
    return externalIssuer().isEmpty();
  }

  /**
   * The secret of a Keycloak client: from {@code variable} if set, else the realm file's LOCAL DEMO
   * secret.
   */
  String secret(String variable, String clientId) {
    return value(variable).orElseGet(() -> RealmFile.read(realmFile()).demoSecret(clientId));
  }

  /** {@code KAFKA_CLIENT_SECRET_VEILIG_THUIS} for {@code veilig-thuis}. */
  static String partnerSecretVariable(String partner) {
    return "KAFKA_CLIENT_SECRET_" + partner.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** Whether the person configured a pseudonymisation key; else the hub gets {@link #DEMO_KEY}. */
  boolean hasOwnKey() {
    return value("COVENANT_KEY_SUBJECT_KEY").isPresent() || value("COVENANT_KEYS_DIR").isPresent();
  }

  /** The built jar of a module, e.g. {@code services/hub/target/hub-0.1.0-SNAPSHOT.jar}. */
  Path jar(String module, String version) {
    return root.resolve("services/" + module + "/target/" + module + "-" + version + ".jar");
  }

  Optional<String> value(String variable) {
    return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank());
  }
}
