package nl.covenanthub.console.api;

import nl.covenanthub.security.CovenantHttpSecurity;
import nl.covenanthub.security.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API is the privacy officer's: a Keycloak access token with the realm role {@code
 * privacy-officer}; except the log of the privacy officer's own lookups, which is the operator's
 * (role {@code operator}), so that someone other than the officer oversees them; and covenant
 * administration ({@code /api/covenants}), for the administrators, approvers and parties too; and
 * the 'niet-pluis' signals ({@code /api/signals}), only for {@code integrale-veiligheid}.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurity {

  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER)
  SecurityFilterChain privacyOfficerApi(HttpSecurity http, CovenantHttpSecurity security)
      throws Exception {
    return security
        .api(http.securityMatcher("/api/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/api/lookups")
                    .hasRole(Roles.OPERATOR)
                    // Covenant administration: who may do what is VersionLifecycle's to say.
                    .requestMatchers("/api/covenants", "/api/covenants/**")
                    .hasAnyRole(
                        Roles.PRIVACY_OFFICER,
                        Roles.COVENANT_ADMIN,
                        Roles.COVENANT_APPROVER,
                        Roles.COVENANT_PARTY)
                    // The werkbestand of 'niet-pluis' signals: its officer's alone.
                    .requestMatchers("/api/signals", "/api/signals/**")
                    .hasRole(Roles.INTEGRALE_VEILIGHEID)
                    .anyRequest()
                    .hasRole(Roles.PRIVACY_OFFICER))
        .build();
  }
}
