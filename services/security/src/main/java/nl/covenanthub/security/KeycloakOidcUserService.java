package nl.covenanthub.security;

import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The user of an OIDC login, with the realm roles and parties ({@link Parties}) of the access token
 * Keycloak issued at that login. The access token is checked like any API's (issuer, audience,
 * expiry, signature): a login whose token no service would accept is refused.
 */
final class KeycloakOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {
  private final OidcUserService delegate = new OidcUserService();
  private final JwtDecoder jwtDecoder;

  KeycloakOidcUserService(JwtDecoder jwtDecoder) {
    this.jwtDecoder = jwtDecoder;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
    OidcUser user = delegate.loadUser(request);
    Jwt accessToken;
    try {
      accessToken = jwtDecoder.decode(request.getAccessToken().getTokenValue());
    } catch (JwtException e) {
      OAuth2Error error =
          new OAuth2Error(
              "invalid_token",
              "the access token of this login is not accepted: " + e.getMessage(),
              null);
      throw new OAuth2AuthenticationException(error, error.getDescription(), e);
    }
    Set<GrantedAuthority> authorities = new LinkedHashSet<>(user.getAuthorities());
    authorities.addAll(KeycloakTokens.authorities(accessToken.getClaims()));
    String nameClaim =
        user.getClaims().containsKey("preferred_username") ? "preferred_username" : "sub";
    return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameClaim);
  }
}
