package nl.covenanthub.devkit;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Kafka client settings for the local broker's two kinds of login: a Keycloak client, or the super
 * user.
 */
public final class KafkaClients {
  /**
   * JVM system property (not a Kafka property) listing the OAuth URLs Kafka 4 may contact; empty
   * means none.
   */
  public static final String ALLOWED_URLS_PROPERTY =
      "org.apache.kafka.sasl.oauthbearer.allowed.urls";

  private KafkaClients() {}

  /**
   * SASL/OAUTHBEARER with client credentials (Kafka 4.1 property names). The token endpoint must
   * also be allowed by the JVM system property {@value #ALLOWED_URLS_PROPERTY} ({@link
   * #allowOAuthUrls}).
   */
  public static Map<String, Object> oauth(
      String bootstrapServers, String tokenEndpoint, String clientId, String clientSecret) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    config.put(
        SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
    config.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, tokenEndpoint);
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_ID, clientId);
    config.put(SaslConfigs.SASL_OAUTHBEARER_CLIENT_CREDENTIALS_CLIENT_SECRET, clientSecret);
    // The client's own name for its login, in its logs; the broker takes azp as the principal
    // anyway.
    config.put(SaslConfigs.SASL_OAUTHBEARER_SUB_CLAIM_NAME, "azp");
    // Renew at about 80 % of a token's life: Kafka's defaults (60 s + 300 s) do not fit Keycloak's
    // 5-minute tokens.
    config.put(SaslConfigs.SASL_LOGIN_REFRESH_MIN_PERIOD_SECONDS, (short) 30);
    config.put(SaslConfigs.SASL_LOGIN_REFRESH_BUFFER_SECONDS, (short) 30);
    return config;
  }

  /** SASL/PLAIN as the broker's super user on its internal listener. */
  public static Map<String, Object> superUser(
      String bootstrapServers, String user, String password) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return config;
  }

  /**
   * Adds URLs to {@value #ALLOWED_URLS_PROPERTY} of this JVM, so its Kafka clients may fetch tokens
   * there.
   */
  public static synchronized void allowOAuthUrls(String... urls) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String url : System.getProperty(ALLOWED_URLS_PROPERTY, "").split(",")) {
      if (!url.isBlank()) {
        allowed.add(url.strip());
      }
    }
    allowed.addAll(List.of(urls));
    System.setProperty(ALLOWED_URLS_PROPERTY, String.join(",", allowed));
  }
}
