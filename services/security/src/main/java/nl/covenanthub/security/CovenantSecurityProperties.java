package nl.covenanthub.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code covenant.security.*}: what an access token must carry besides a valid signature and the
 * issuer of {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}.
 *
 * @param audience the value every token must have in {@code aud} (the realm's {@code hub-audience}
 *     scope puts it there)
 * @param clockSkew how far the clocks of Keycloak and this service may differ when {@code exp} and
 *     {@code nbf} are checked
 */
@ConfigurationProperties("covenant.security")
public record CovenantSecurityProperties(String audience, Duration clockSkew) {
  public static final String DEFAULT_AUDIENCE = "hub";
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

  public CovenantSecurityProperties {
    audience = audience == null || audience.isBlank() ? DEFAULT_AUDIENCE : audience;
    clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException(
          "covenant.security.clock-skew must not be negative: " + clockSkew);
    }
  }
}
