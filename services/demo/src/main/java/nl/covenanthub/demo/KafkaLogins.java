package nl.covenanthub.demo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How each simulated party connects to Kafka, from the environment. Without {@code
 * KAFKA_TOKEN_ENDPOINT} everyone connects in plain text to {@code KAFKA_BOOTSTRAP_SERVERS}. With
 * it, each partner logs in as itself with SASL/OAUTHBEARER (client id = partner id, secret from
 * {@code KAFKA_CLIENT_SECRET_<PARTNER>}, e.g. {@code KAFKA_CLIENT_SECRET_VEILIG_THUIS}), so the
 * broker's ACLs hold it to its own outbox and inbox; and the watcher that prints the hub's audit
 * and dead letters, an operator's view no partner has, logs in as the broker's super user on its
 * internal listener ({@code KAFKA_ADMIN_BOOTSTRAP_SERVERS}, {@code KAFKA_ADMIN_USERNAME}, {@code
 * KAFKA_ADMIN_PASSWORD}: the local demo broker's credentials).
 */
record KafkaLogins(Map<String, String> env) {
  KafkaLogins {
    env = Map.copyOf(env);
  }

  String bootstrap() {
    return env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
  }

  boolean authenticated() {
    return !env.getOrDefault("KAFKA_TOKEN_ENDPOINT", "").isBlank();
  }

  /**
   * The settings of {@code partner}'s Kafka clients: logged in as itself when the broker
   * authenticates.
   */
  Map<String, Object> partner(String partner) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrap());
    if (authenticated()) {
      String secretVariable =
          "KAFKA_CLIENT_SECRET_" + partner.toUpperCase(Locale.ROOT).replace('-', '_');
      String secret = env.get(secretVariable);
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException(
            secretVariable + " is not set: the client secret of " + partner);
      }
      config.put("security.protocol", "SASL_PLAINTEXT");
      config.put("sasl.mechanism", "OAUTHBEARER");
      config.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
      config.put(
          "sasl.login.callback.handler.class",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
      config.put("sasl.oauthbearer.token.endpoint.url", env.get("KAFKA_TOKEN_ENDPOINT"));
      config.put("sasl.oauthbearer.client.credentials.client.id", partner);
      config.put("sasl.oauthbearer.client.credentials.client.secret", secret);
      config.put("sasl.oauthbearer.sub.claim.name", "azp");
      config.put("sasl.login.refresh.min.period.seconds", (short) 30);
      config.put("sasl.login.refresh.buffer.seconds", (short) 30);
    }
    return config;
  }

  /** The settings of the watcher of hub.audit and hub.deadletter. */
  Map<String, Object> operator() {
    Map<String, Object> config = new LinkedHashMap<>();
    if (!authenticated()) {
      config.put("bootstrap.servers", bootstrap());
      return config;
    }
    String bootstrap = env.getOrDefault("KAFKA_ADMIN_BOOTSTRAP_SERVERS", "");
    String password = env.getOrDefault("KAFKA_ADMIN_PASSWORD", "");
    if (bootstrap.isBlank() || password.isBlank()) {
      throw new IllegalArgumentException(
          "KAFKA_ADMIN_BOOTSTRAP_SERVERS and KAFKA_ADMIN_PASSWORD are needed to watch "
              + "the hub's audit and dead letters, which no partner may read");
    }
    config.put("bootstrap.servers", bootstrap);
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", "PLAIN");
    config.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + env.getOrDefault("KAFKA_ADMIN_USERNAME", "admin")
            + "\" password=\""
            + password
            + "\";");
    return config;
  }
}
