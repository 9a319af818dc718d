package nl.covenanthub.security;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The shared way to secure a service's own HTTP surface. A service declares its own {@code
 * SecurityFilterChain} bean with a {@code securityMatcher}, ordered at {@link #SERVICE_ORDER}, and
 * starts it with {@link #api} (bearer tokens) or {@link #pages} (OIDC login, with {@link
 * #pagePaths}); what no chain matches falls through to the deny-all chain. For example:
 *
 * <pre>{@code
 * @Bean
 * @Order(CovenantHttpSecurity.SERVICE_ORDER)
 * SecurityFilterChain auditApi(HttpSecurity http, CovenantHttpSecurity security) {
 *   return security.api(http.securityMatcher("/api/audit/**"))
 *       .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(Roles.PRIVACY_OFFICER))
 *       .build();
 * }
 * }</pre>
 */
public final class CovenantHttpSecurity {
  /** The Actuator chain: health for everyone, everything else for operators. */
  public static final int ACTUATOR_ORDER = 0;

  /**
   * Where services put their own chains (each with a {@code securityMatcher}); any order up to 1000
   * works.
   */
  public static final int SERVICE_ORDER = 100;

  /**
   * The last chain: every request no other chain matched is refused (401 without a token, else
   * 403).
   */
  public static final int DENY_ALL_ORDER = Ordered.LOWEST_PRECEDENCE;

  /** The paths of the OIDC login and logout that a pages chain must match besides its own pages. */
  public static final List<String> LOGIN_PATHS =
      List.of("/oauth2/authorization/**", "/login/oauth2/code/**", "/login", "/logout");

  private final JwtDecoder jwtDecoder;
  private final ObjectProvider<ClientRegistrationRepository> clientRegistrations;

  CovenantHttpSecurity(
      JwtDecoder jwtDecoder, ObjectProvider<ClientRegistrationRepository> clientRegistrations) {
    this.jwtDecoder = jwtDecoder;
    this.clientRegistrations = clientRegistrations;
  }

  /**
   * An API authenticated by Keycloak access tokens ({@code Authorization: Bearer ...}) as checked
   * by {@link KeycloakTokens#validator}, with the realm roles as {@code ROLE_<role>} and the
   * parties as {@code PARTY_<partner id>} ({@link KeycloakTokens#authentication}): no session, no
   * cookies, so no CSRF. Add the authorization rules and build.
   */
  public HttpSecurity api(HttpSecurity http) {
    return http.sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable())
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer.jwt(
                    jwt ->
                        jwt.decoder(jwtDecoder)
                            .jwtAuthenticationConverter(KeycloakTokens::authentication)));
  }

  /**
   * {@code pages} and the {@link #LOGIN_PATHS}: the {@code securityMatcher} of a chain of pages.
   */
  public static String[] pagePaths(String... pages) {
    return Stream.concat(Stream.of(pages), LOGIN_PATHS.stream()).toArray(String[]::new);
  }

  /**
   * Pages for people, with OIDC login at Keycloak (the realm's {@code console-web} client): a
   * session, CSRF protection, the user's realm roles as {@code ROLE_<role>} and parties as {@code
   * PARTY_<partner id>} (from the access token, which must pass the same checks as an API's), and
   * logout at Keycloak too. Needs a client registration: {@code
   * spring.security.oauth2.client.registration.keycloak.*} (see docs/security.md).
   */
  public HttpSecurity pages(HttpSecurity http) {
    ClientRegistrationRepository registrations = clientRegistrations.getIfAvailable();
    if (registrations == null) {
      throw new IllegalStateException(
          "pages with OIDC login need a client registration: set "
              + "spring.security.oauth2.client.registration.keycloak.client-id, client-secret and scope, and "
              + "spring.security.oauth2.client.provider.keycloak.issuer-uri (docs/security.md)");
    }
    OidcClientInitiatedLogoutSuccessHandler logout =
        new OidcClientInitiatedLogoutSuccessHandler(registrations);
    logout.setPostLogoutRedirectUri("{baseUrl}/");
    return http.oauth2Login(
            login ->
                login.userInfoEndpoint(
                    userInfo -> userInfo.oidcUserService(new KeycloakOidcUserService(jwtDecoder))))
        .logout(out -> out.logoutSuccessHandler(logout));
  }
}
