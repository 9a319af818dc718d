package nl.covenanthub.hub;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * A Kafka client login that presents one given token, never a fresh one: how a client looks whose
 * token expired or was tampered with. {@code sasl.jaas.config=...OAuthBearerLoginModule required
 * token="<jwt>";}
 */
public final class FixedTokenLogin implements AuthenticateCallbackHandler {
  private String token;

  /** Client settings for a SASL/OAUTHBEARER client that presents {@code token}. */
  static Map<String, Object> config(String bootstrapServers, String token) {
    return Map.of(
        "bootstrap.servers",
        bootstrapServers,
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        "OAUTHBEARER",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required token=\""
            + token
            + "\";",
        "sasl.login.callback.handler.class",
        FixedTokenLogin.class.getName());
  }

  /**
   * The value of a numeric claim of a JWT, read without checking it (this is a test's view of its
   * own token).
   */
  static long claim(String jwt, String name) {
    String payload =
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)").matcher(payload);
    if (!m.find()) {
      throw new IllegalArgumentException("no numeric claim " + name + " in " + payload);
    }
    return Long.parseLong(m.group(1));
  }

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    token = (String) jaasConfigEntries.get(0).getOptions().get("token");
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
        tokenCallback.token(new Token(token));
      } else if (!(callback instanceof SaslExtensionsCallback)) {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  @Override
  public void close() {}

  private record Token(String value) implements OAuthBearerToken {
    @Override
    public Set<String> scope() {
      return Set.of();
    }

    /**
     * A day past the token's own {@code exp}: the client's login then never drops or renews it, so
     * whatever stops working is the broker's doing.
     */
    @Override
    public long lifetimeMs() {
      return (claim(value, "exp") + 86_400) * 1000;
    }

    @Override
    public String principalName() {
      return "fixed";
    }

    @Override
    public Long startTimeMs() {
      return claim(value, "iat") * 1000;
    }
  }
}
