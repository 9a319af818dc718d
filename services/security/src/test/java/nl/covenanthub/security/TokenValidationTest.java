package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import nl.covenanthub.devkit.MovableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tokens that must be refused (401) by every service: each differs from an accepted one in one
 * respect only, and the accepted one is shown to pass first where that is possible.
 */
class TokenValidationTest extends SecuredAppTestBase {
  private static final String METRICS = "/actuator/prometheus";

  @Autowired MovableClock tokenClock;

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
    String genuine = userToken("operator");
    assertThat(status(METRICS, genuine)).as("the genuine operator token").isEqualTo(200);

    SignedJWT original = SignedJWT.parse(genuine);
    RSAKey otherKey = new RSAKeyGenerator(2048).keyID(original.getHeader().getKeyID()).generate();
    SignedJWT forged =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(original.getHeader().getKeyID())
                .build(),
            original.getJWTClaimsSet());
    forged.sign(new RSASSASigner(otherKey));

    assertThat(status(METRICS, forged.serialize()))
        .as("the same claims and key id, signed with another key")
        .isEqualTo(401);
  }

  @Test
  void anUnsignedTokenIsRefused() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(userToken("operator")).getJWTClaimsSet();
    String unsigned =
        new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), claims)
            .serialize();
    assertThat(status(METRICS, unsigned)).as("the operator's claims with alg none").isEqualTo(401);
    assertThat(status(METRICS, "not-a-jwt")).as("a token that is no JWT at all").isEqualTo(401);
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() throws Exception {
    // A real token of the same Keycloak, from its master realm (the devkit's local admin): another
    // issuer.
    String master = passwordGrant("master", "admin-cli", "admin", "admin");
    assertThat(SignedJWT.parse(master).getJWTClaimsSet().getIssuer())
        .as("its issuer")
        .isEqualTo(keycloak().url() + "/realms/master");
    assertThat(status(METRICS, master)).as("a token of the master realm").isEqualTo(401);
  }

  @Test
  void aTokenWithoutTheHubAudienceIsRefused() throws Exception {
    // The realm's test-only client without the hub-audience scope; its service account has the
    // operator role.
    String token = clientToken("test-no-audience");
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getAudience()).as("its audience").doesNotContain("hub");
    assertThat(claims.getIssuer()).as("its issuer").isEqualTo(keycloak().issuer());
    assertThat(claims.getJSONObjectClaim("realm_access").get("roles").toString())
        .as("its roles")
        .contains("operator");

    assertThat(status(METRICS, token)).as("an operator token without 'hub' in aud").isEqualTo(401);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    // The service's token clock is moved to just before and just after the token's exp (no clock
    // skew in the test app), so the test never waits for wall time to pass.
    String token = userToken("operator");
    Instant expiry = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();
    Instant before = tokenClock.instant();
    try {
      tokenClock.set(expiry.minusSeconds(1));
      assertThat(status(METRICS, token))
          .as("the operator token a second before it expires")
          .isEqualTo(200);

      tokenClock.set(expiry.plusSeconds(1));
      assertThat(status(METRICS, token))
          .as("the same token a second after it expired")
          .isEqualTo(401);
    } finally {
      tokenClock.set(before);
    }
  }

  @Test
  void anIdTokenOfTheRealmIsNoAccessToken() throws Exception {
    String idToken =
        tokenResponse(
                "covenant-hub",
                Map.of(
                    "grant_type",
                    "password",
                    "client_id",
                    "test-cli",
                    "username",
                    "operator",
                    "password",
                    "demo",
                    "scope",
                    "openid"))
            .get("id_token")
            .toString();
    assertThat(status(METRICS, idToken)).as("the operator's ID token").isEqualTo(401);
  }

  private static String passwordGrant(String realm, String client, String username, String password)
      throws Exception {
    return tokenResponse(
            realm,
            Map.of(
                "grant_type",
                "password",
                "client_id",
                client,
                "username",
                username,
                "password",
                password))
        .get("access_token")
        .toString();
  }

  private static Map<?, ?> tokenResponse(String realm, Map<String, String> form)
      throws IOException, InterruptedException {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        keycloak().url() + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("token response of realm %s: %s", realm, response.body())
        .isEqualTo(200);
    return JsonMapper.shared().readValue(response.body(), Map.class);
  }
}
