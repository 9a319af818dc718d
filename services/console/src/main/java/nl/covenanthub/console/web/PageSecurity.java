package nl.covenanthub.console.web;

import nl.covenanthub.security.CovenantHttpSecurity;
import nl.covenanthub.security.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.util.function.SingletonSupplier;

/**
 * The pages are the privacy officer's: a person logs in at Keycloak (OIDC, the realm's {@code
 * console-web} client) and needs the realm role {@code privacy-officer}; anyone else who is logged
 * in gets a page that says so (403). The covenant pages ({@code /console/covenants}) are also for
 * covenant administrators, approvers and the parties' representatives ({@code covenant-party}); the
 * werkbestand of 'niet-pluis' signals ({@code /console/signalen}) only for {@code
 * integrale-veiligheid}. The public form ({@code /melden}) has a chain of its own, without login.
 */
@Configuration(proxyBeanMethods = false)
class PageSecurity {
  static final String REGISTRATION_ID = "keycloak";
  private static final Logger log = LoggerFactory.getLogger(PageSecurity.class);

  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER + 1)
  SecurityFilterChain privacyOfficerPages(HttpSecurity http, CovenantHttpSecurity security)
      throws Exception {
    return security
        .pages(http.securityMatcher(CovenantHttpSecurity.pagePaths("/", "/console", "/console/**")))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/", "/console/assets/**")
                    .permitAll()
                    .requestMatchers(Pages.DENIED)
                    .authenticated()
                    // The werkbestand of 'niet-pluis' signals: confidential, its officer's alone.
                    .requestMatchers("/console/signalen", "/console/signalen/**")
                    .hasRole(Roles.INTEGRALE_VEILIGHEID)
                    // Covenant administration: who may do what is VersionLifecycle's to say.
                    .requestMatchers("/console/covenants", "/console/covenants/**")
                    .hasAnyRole(
                        Roles.PRIVACY_OFFICER,
                        Roles.COVENANT_ADMIN,
                        Roles.COVENANT_APPROVER,
                        Roles.COVENANT_PARTY)
                    .anyRequest()
                    .hasRole(Roles.PRIVACY_OFFICER))
        .exceptionHandling(
            exceptions ->
                exceptions
                    // Straight to Keycloak: the login's default would list the registrations, which
                    // would read Keycloak's configuration while the console starts.
                    .authenticationEntryPoint(
                        new LoginUrlAuthenticationEntryPoint(
                            OAuth2AuthorizationRequestRedirectFilter
                                    .DEFAULT_AUTHORIZATION_REQUEST_BASE_URI
                                + "/"
                                + REGISTRATION_ID))
                    .accessDeniedPage(Pages.DENIED))
        .build();
  }

  /**
   * The public 'niet-pluis' form: no login, a session only for the form's CSRF token, the sum it
   * asks and its rate (docs/niet-pluis.md).
   */
  @Bean
  @Order(CovenantHttpSecurity.SERVICE_ORDER + 2)
  SecurityFilterChain publicReportForm(HttpSecurity http) throws Exception {
    return http.securityMatcher("/melden", "/melden/**")
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .build();
  }

  /**
   * The login's client, read from the realm's OpenID configuration at the first login rather than
   * at start-up: the console starts, and indexes, while Keycloak is still starting or away (as its
   * API does).
   */
  @Bean
  ClientRegistrationRepository consoleWebLogin(
      PageProperties properties,
      @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer) {
    if (properties.demoSecret()) {
      log.warn(
          "The pages log in with the demo realm's secret of {}: set CONSOLE_WEB_CLIENT_SECRET for a real Keycloak",
          properties.clientId());
    }
    SingletonSupplier<ClientRegistration> registration =
        SingletonSupplier.of(
            () ->
                ClientRegistrations.fromIssuerLocation(issuer)
                    .registrationId(REGISTRATION_ID)
                    .clientId(properties.clientId())
                    .clientSecret(properties.clientSecret())
                    .scope("openid", "profile")
                    .build());
    return registrationId -> REGISTRATION_ID.equals(registrationId) ? registration.obtain() : null;
  }
}
