package nl.covenanthub.security.testapp;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import nl.covenanthub.devkit.MovableClock;
import nl.covenanthub.security.CovenantHttpSecurity;
import nl.covenanthub.security.CovenantSecurityAutoConfiguration;
import nl.covenanthub.security.Roles;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service as later ones will be: Actuator (from the shared configuration), an API of its own and,
 * when a client registration is configured, pages with OIDC login. Each declares its chain the way
 * docs/security.md shows.
 */
@SpringBootApplication
public class SecuredTestApp {

  /** The clock token expiry is judged by: tests move it instead of waiting for tokens to expire. */
  @Bean(CovenantSecurityAutoConfiguration.TOKEN_CLOCK)
  MovableClock tokenClock() {
    return new MovableClock(Instant.now());
  }

  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER)
  SecurityFilterChain api(HttpSecurity http, CovenantHttpSecurity security) {
    return security
        .api(http.securityMatcher("/api/**"))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/api/audit/**")
                    .hasRole(Roles.PRIVACY_OFFICER)
                    .anyRequest()
                    .authenticated())
        .build();
  }

  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER + 1)
  @ConditionalOnProperty("spring.security.oauth2.client.registration.keycloak.client-id")
  SecurityFilterChain pages(HttpSecurity http, CovenantHttpSecurity security) {
    return security
        .pages(http.securityMatcher(CovenantHttpSecurity.pagePaths("/console/**")))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/console/covenants/**")
                    .hasRole(Roles.COVENANT_ADMIN)
                    .anyRequest()
                    .authenticated())
        .build();
  }

  @RestController
  static class Endpoints {
    @GetMapping({"/api/whoami", "/api/audit/whoami", "/console/me", "/console/covenants/me"})
    Map<String, Object> whoami(Authentication authentication) {
      Map<String, Object> who = new TreeMap<>();
      who.put("name", authentication.getName());
      who.put(
          "authorities",
          authentication.getAuthorities().stream()
              .map(GrantedAuthority::getAuthority)
              .sorted()
              .toList());
      return who;
    }
  }
}
