package nl.covenanthub.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** What a Keycloak access token must be to be accepted, and what it says about its bearer. */
public final class KeycloakTokens {
  private KeycloakTokens() {}

  /**
   * Accepts a token only if all hold: issued by {@code issuer}, {@code audience} in {@code aud},
   * not expired and not before its {@code nbf} (give or take {@code clockSkew}), an access token
   * ({@code typ} Bearer, so not an ID or refresh token of the same realm), and Spring's defaults
   * (header {@code typ} JWT, certificate binding). The signature is the decoder's job, against the
   * issuer's published keys. Expiry is judged by {@code clock}.
   */
  public static OAuth2TokenValidator<Jwt> validator(
      String issuer, String audience, Duration clockSkew, Clock clock) {
    JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
    timestamps.setClock(clock);
    return JwtValidators.createDefaultWithValidators(
        List.of(
            timestamps,
            new JwtIssuerValidator(issuer),
            new JwtAudienceValidator(audience),
            KeycloakTokens::accessToken));
  }

  private static OAuth2TokenValidatorResult accessToken(Jwt jwt) {
    Object typ = jwt.getClaims().get("typ");
    if (typ == null || "Bearer".equals(typ)) {
      return OAuth2TokenValidatorResult.success();
    }
    return OAuth2TokenValidatorResult.failure(
        new OAuth2Error(
            "invalid_token",
            "The token is a Keycloak " + typ + " token, not an access token",
            null));
  }

  /** The realm roles in {@code realm_access.roles}, as authorities {@code ROLE_<role>}. */
  public static Collection<GrantedAuthority> realmRoles(Map<String, Object> claims) {
    if (!(claims.get("realm_access") instanceof Map<?, ?> realmAccess)
        || !(realmAccess.get("roles") instanceof Collection<?> roles)) {
      return List.of();
    }
    return roles.stream()
        .filter(String.class::isInstance)
        .map(role -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role))
        .toList();
  }

  /**
   * The parties the bearer acts for: {@code PARTY_<id>} for each {@code /parties/<id>} in the claim
   * {@code groups} (full group paths, from the client scope {@code party}), see {@link Parties}.
   * Anything else there is ignored: other groups, deeper paths, ids that are not partner ids,
   * values that are not strings.
   */
  public static Collection<GrantedAuthority> parties(Map<String, Object> claims) {
    if (!(claims.get(Parties.CLAIM) instanceof Collection<?> groups)) {
      return List.of();
    }
    return groups.stream()
        .filter(String.class::isInstance)
        .map(group -> Parties.ofGroupPath((String) group))
        .flatMap(Optional::stream)
        .distinct()
        .map(Parties::authority)
        .toList();
  }

  /**
   * The authorities of a token's bearer: its realm roles ({@link #realmRoles}) and its parties
   * ({@link #parties}).
   */
  public static Collection<GrantedAuthority> authorities(Map<String, Object> claims) {
    List<GrantedAuthority> authorities = new ArrayList<>(realmRoles(claims));
    authorities.addAll(parties(claims));
    return List.copyOf(authorities);
  }

  /**
   * Who the token speaks for: the client ({@code client_id}) for a client's own token (client
   * credentials), else the user ({@code preferred_username}), else the subject.
   */
  public static String principalName(Jwt jwt) {
    return Stream.of("client_id", "preferred_username")
        .map(jwt::getClaimAsString)
        .filter(name -> name != null && !name.isBlank())
        .findFirst()
        .orElse(jwt.getSubject());
  }

  /**
   * A Keycloak access token as the authentication of its bearer: its realm roles and parties as
   * authorities ({@link #authorities}), named by {@link #principalName}. The converter of {@link
   * CovenantHttpSecurity#api}.
   */
  public static JwtAuthenticationToken authentication(Jwt jwt) {
    return new JwtAuthenticationToken(jwt, authorities(jwt.getClaims()), principalName(jwt));
  }
}
