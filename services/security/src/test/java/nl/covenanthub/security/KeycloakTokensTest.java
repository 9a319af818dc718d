package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The token checks one at a time, on tokens that differ from an accepted one in one claim: here the
 * signature is not in question (the decoder checks it before these run), so a wrong issuer is shown
 * refused on its own, which a real token of another realm cannot show (its key is unknown too).
 */
class KeycloakTokensTest {
  private static final String ISSUER = "http://localhost:8180/realms/covenant-hub";
  private static final OAuth2TokenValidator<Jwt> VALIDATOR =
      KeycloakTokens.validator(ISSUER, "hub", Duration.ofSeconds(30), Clock.systemUTC());

  private static Jwt token(Consumer<Jwt.Builder> change) {
    Instant now = Instant.now();
    Jwt.Builder builder =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .header("typ", "JWT")
            .issuer(ISSUER)
            .audience(List.of("hub", "account"))
            .subject("1787b11d-dc20-492c-857b-af83573d9a14")
            .issuedAt(now)
            .expiresAt(now.plusSeconds(300))
            .claim("typ", "Bearer")
            .claim("azp", "test-cli")
            .claim("preferred_username", "operator")
            .claim(
                "realm_access", Map.of("roles", List.of("default-roles-covenant-hub", "operator")));
    change.accept(builder);
    return builder.build();
  }

  private static OAuth2TokenValidatorResult validate(Consumer<Jwt.Builder> change) {
    return VALIDATOR.validate(token(change));
  }

  private static List<String> descriptions(OAuth2TokenValidatorResult result) {
    return result.getErrors().stream().map(OAuth2Error::getDescription).toList();
  }

  @Test
  void anAccessTokenOfTheRealmForTheHubPasses() {
    assertThat(descriptions(validate(b -> {}))).as("errors of a good token").isEmpty();
  }

  @Test
  void anotherIssuerIsRefused() {
    OAuth2TokenValidatorResult result =
        validate(b -> b.issuer("http://localhost:8180/realms/master"));
    assertThat(result.hasErrors()).as("a token of the master realm").isTrue();
    assertThat(descriptions(result)).as("why").anySatisfy(d -> assertThat(d).contains("iss"));
  }

  @Test
  void aTokenWithoutTheHubAudienceIsRefused() {
    assertThat(validate(b -> b.audience(List.of("account"))).hasErrors())
        .as("aud without hub")
        .isTrue();
    assertThat(validate(b -> b.claims(c -> c.remove("aud"))).hasErrors()).as("no aud").isTrue();
    assertThat(validate(b -> b.audience(List.of("hub"))).hasErrors()).as("aud only hub").isFalse();
  }

  @Test
  void expiryIsCheckedWithTheConfiguredClockSkew() {
    Instant now = Instant.now();
    assertThat(
            validate(b -> b.issuedAt(now.minusSeconds(400)).expiresAt(now.minusSeconds(60)))
                .hasErrors())
        .as("expired a minute ago")
        .isTrue();
    assertThat(
            validate(b -> b.issuedAt(now.minusSeconds(305)).expiresAt(now.minusSeconds(5)))
                .hasErrors())
        .as("expired 5 s ago, within the 30 s skew")
        .isFalse();
    assertThat(validate(b -> b.notBefore(now.plusSeconds(120))).hasErrors())
        .as("not valid before 2 minutes from now")
        .isTrue();
  }

  @Test
  void otherKindsOfKeycloakTokensAreRefused() {
    assertThat(validate(b -> b.claim("typ", "ID")).hasErrors()).as("an ID token").isTrue();
    assertThat(validate(b -> b.claim("typ", "Refresh")).hasErrors()).as("a refresh token").isTrue();
  }

  @Test
  void realmRolesBecomeRoleAuthorities() {
    assertThat(KeycloakTokens.realmRoles(token(b -> {}).getClaims()))
        .extracting(GrantedAuthority::getAuthority)
        .as("authorities")
        .containsExactly("ROLE_default-roles-covenant-hub", "ROLE_operator");
    assertThat(
            KeycloakTokens.realmRoles(
                token(b -> b.claims(c -> c.remove("realm_access"))).getClaims()))
        .as("a token without realm roles")
        .isEmpty();
    assertThat(KeycloakTokens.realmRoles(Map.of("realm_access", Map.of("roles", "operator"))))
        .as("roles that are not a list")
        .isEmpty();
  }

  @Test
  void theBearerIsTheClientForAClientTokenAndTheUserOtherwise() {
    Jwt client =
        token(
            b ->
                b.claim("client_id", "politie")
                    .claim("preferred_username", "service-account-politie"));
    assertThat(KeycloakTokens.principalName(client))
        .as("a client's own token")
        .isEqualTo("politie");
    assertThat(KeycloakTokens.principalName(token(b -> {})))
        .as("a user's token")
        .isEqualTo("operator");
    assertThat(
            KeycloakTokens.principalName(token(b -> b.claims(c -> c.remove("preferred_username")))))
        .as("neither")
        .isEqualTo("1787b11d-dc20-492c-857b-af83573d9a14");
  }
}
