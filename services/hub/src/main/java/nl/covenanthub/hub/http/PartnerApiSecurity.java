package nl.covenanthub.hub.http;

import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.security.CovenantHttpSecurity;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The partners' HTTP API ({@code /api/partner/**}): only a partner's own machine identity, a
 * Keycloak client-credentials token whose client is a partner of this hub's covenants ({@link
 * PartnerIdentity}). A person's token, another service's or an unknown client's is refused (403).
 */
@Configuration(proxyBeanMethods = false)
class PartnerApiSecurity {
  static final String PATHS = "/api/partner/**";

  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER)
  SecurityFilterChain partnerApi(
      HttpSecurity http, CovenantHttpSecurity security, ActiveCovenants covenants)
      throws Exception {
    return security
        .api(http.securityMatcher(PATHS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .anyRequest()
                    .access(
                        (authentication, context) ->
                            new AuthorizationDecision(
                                PartnerIdentity.of(authentication.get(), covenants.partners())
                                    .isPresent())))
        .build();
  }
}
