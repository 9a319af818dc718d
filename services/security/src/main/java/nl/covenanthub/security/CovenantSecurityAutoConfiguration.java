package nl.covenanthub.security;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestTemplate;

/**
 * HTTP security of every Covenant Hub service, read top to bottom:
 *
 * <ol>
 *   <li>a token is a Keycloak access token of the realm in {@code
 *       spring.security.oauth2.resourceserver.jwt.issuer-uri}, with {@code
 *       covenant.security.audience} ({@code hub}) in {@code aud}, not expired, signed with one of
 *       the realm's keys ({@link #jwtDecoder});
 *   <li>its realm roles ({@code realm_access.roles}) are the authorities {@code ROLE_<role>}, its
 *       groups {@code /parties/<partner id>} ({@code groups}) the authorities {@code PARTY_<partner
 *       id>} ({@link KeycloakTokens#authentication}, {@link Parties});
 *   <li>Actuator: health open to all, every other endpoint for {@code operator} ({@link
 *       #actuatorSecurity});
 *   <li>a service's own chains come next ({@link CovenantHttpSecurity#SERVICE_ORDER});
 *   <li>anything else is refused ({@link #denyByDefault}).
 * </ol>
 *
 * Nothing is fetched from Keycloak at start-up: the realm's keys are fetched on the first request
 * with a token.
 */
@AutoConfiguration(
    before = {
      SecurityAutoConfiguration.class,
      ServletWebSecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      ManagementWebSecurityAutoConfiguration.class,
      OAuth2ResourceServerAutoConfiguration.class,
      OAuth2ClientWebSecurityAutoConfiguration.class
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({
  CovenantSecurityProperties.class,
  OAuth2ResourceServerProperties.class
})
public class CovenantSecurityAutoConfiguration {
  /** The name of an optional {@code Clock} bean by which token expiry is judged. */
  public static final String TOKEN_CLOCK = "tokenClock";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Decodes and checks access tokens: the signature against the realm's keys (its {@code jwks_uri},
   * from the issuer's OpenID configuration, or {@code
   * spring.security.oauth2.resourceserver.jwt.jwk-set-uri} when set), then {@link
   * KeycloakTokens#validator}. Both are looked up on first use, not at start-up. Expiry is judged
   * by the system clock, or by a {@code Clock} bean named {@value #TOKEN_CLOCK} when there is one
   * (so a test can move time instead of waiting for a token to expire).
   */
  @Bean
  @ConditionalOnMissingBean(JwtDecoder.class)
  JwtDecoder jwtDecoder(
      OAuth2ResourceServerProperties resourceServer,
      CovenantSecurityProperties security,
      @Qualifier(TOKEN_CLOCK) ObjectProvider<Clock> tokenClock) {
    String issuer = resourceServer.getJwt().getIssuerUri();
    if (!StringUtils.hasText(issuer)) {
      throw new IllegalStateException(
          "no token issuer configured: set spring.security.oauth2.resourceserver.jwt."
              + "issuer-uri (KEYCLOAK_ISSUER for the hub), e.g. http://localhost:8180/realms/covenant-hub");
    }
    String jwkSetUri = resourceServer.getJwt().getJwkSetUri();
    var validator =
        KeycloakTokens.validator(
            issuer,
            security.audience(),
            security.clockSkew(),
            tokenClock.getIfAvailable(Clock::systemUTC));
    if (StringUtils.hasText(jwkSetUri)) {
      NimbusJwtDecoder decoder =
          NimbusJwtDecoder.withJwkSetUri(jwkSetUri).restOperations(keycloakClient()).build();
      decoder.setJwtValidator(validator);
      return decoder;
    }
    return new SupplierJwtDecoder(
        () -> {
          NimbusJwtDecoder decoder =
              NimbusJwtDecoder.withIssuerLocation(issuer).restOperations(keycloakClient()).build();
          decoder.setJwtValidator(validator);
          return decoder;
        });
  }

  @Bean
  CovenantHttpSecurity covenantHttpSecurity(
      JwtDecoder jwtDecoder, ObjectProvider<ClientRegistrationRepository> clientRegistrations) {
    return new CovenantHttpSecurity(jwtDecoder, clientRegistrations);
  }

  /**
   * The last chain: whatever no other chain matched is refused, with 401 without a token and 403
   * with one.
   */
  @Bean
  @Order(CovenantHttpSecurity.DENY_ALL_ORDER)
  SecurityFilterChain denyByDefault(HttpSecurity http, CovenantHttpSecurity security) {
    return security
        .api(http)
        .authorizeHttpRequests(
            requests ->
                requests
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll() // the error page of a request already decided
                    .anyRequest()
                    .denyAll())
        .build();
  }

  /**
   * Actuator: health (and its probes) open to all; the metrics for the {@code operator} and {@code
   * metrics-reader} (Prometheus) roles; every other endpoint for the {@code operator} role.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({EndpointRequest.class, HealthEndpoint.class})
  static class ActuatorSecurity {
    @Bean
    @Order(CovenantHttpSecurity.ACTUATOR_ORDER)
    SecurityFilterChain actuatorSecurity(HttpSecurity http, CovenantHttpSecurity security) {
      var health =
          new OrRequestMatcher(
              EndpointRequest.to(HealthEndpoint.class),
              EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class));
      return security
          .api(http.securityMatcher(new OrRequestMatcher(EndpointRequest.toAnyEndpoint(), health)))
          .authorizeHttpRequests(
              requests ->
                  requests
                      .requestMatchers(health)
                      .permitAll()
                      .requestMatchers(EndpointRequest.to("prometheus"))
                      .hasAnyRole(Roles.OPERATOR, Roles.METRICS_READER)
                      .anyRequest()
                      .hasRole(Roles.OPERATOR))
          .build();
    }
  }

  /**
   * For the realm's OpenID configuration and keys: a slow Keycloak fails requests, it does not hang
   * them.
   */
  private static RestTemplate keycloakClient() {
    SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
    factory.setConnectTimeout(CONNECT_TIMEOUT);
    factory.setReadTimeout(READ_TIMEOUT);
    return new RestTemplate(factory);
  }
}
