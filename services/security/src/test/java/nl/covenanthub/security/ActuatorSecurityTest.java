package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Actuator, a service's own API and everything else, with real tokens of each kind of identity in
 * the realm.
 */
class ActuatorSecurityTest extends SecuredAppTestBase {

  @Test
  void healthAndItsProbesAreOpenWithoutAToken() {
    assertThat(status("/actuator/health", null))
        .as("/actuator/health without a token")
        .isEqualTo(200);
    assertThat(status("/actuator/health/liveness", null))
        .as("liveness probe without a token")
        .isEqualTo(200);
    assertThat(status("/actuator/health/readiness", null))
        .as("readiness probe without a token")
        .isEqualTo(200);
  }

  @Test
  void prometheusWithoutATokenIsUnauthorizedAndSaysBearer() {
    HttpResponse<String> response = get("/actuator/prometheus", null);
    assertThat(response.statusCode()).as("/actuator/prometheus without a token").isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .as("the challenge")
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(response.body()).as("no metrics leak in the refusal").doesNotContain("jvm_");
  }

  @Test
  void prometheusIsForOperators() {
    HttpResponse<String> response = get("/actuator/prometheus", userToken("operator"));
    assertThat(response.statusCode())
        .as("/actuator/prometheus for the operator user")
        .isEqualTo(200);
    assertThat(response.body()).as("metrics").contains("jvm_memory_used_bytes");
  }

  @Test
  void prometheusReadsTheMetricsAndNothingElse() {
    String prometheus = clientToken("prometheus");
    HttpResponse<String> response = get("/actuator/prometheus", prometheus);
    assertThat(response.statusCode()).as("/actuator/prometheus for Prometheus").isEqualTo(200);
    assertThat(response.body()).as("metrics").contains("jvm_memory_used_bytes");
    for (String path : new String[] {"/actuator", "/actuator/info", "/api/audit/whoami"}) {
      assertThat(status(path, prometheus)).as("%s for Prometheus", path).isEqualTo(403);
    }
  }

  @ParameterizedTest(name = "user {0}")
  @ValueSource(strings = {"fg", "beheerder", "goedkeurder"})
  void prometheusIsForbiddenToPeopleWithOtherRoles(String user) {
    assertThat(status("/actuator/prometheus", userToken(user)))
        .as("/actuator/prometheus for user %s", user)
        .isEqualTo(403);
  }

  @ParameterizedTest(name = "client {0}")
  @ValueSource(
      strings = {"lzn", "politie", "veilig-thuis", "riec", "covenant-hub", "covenant-console"})
  void prometheusIsForbiddenToPartnerAndServiceClients(String client) {
    assertThat(status("/actuator/prometheus", clientToken(client)))
        .as("/actuator/prometheus for client %s", client)
        .isEqualTo(403);
  }

  @Test
  void everyOtherEndpointIsForOperatorsToo() {
    String operator = userToken("operator");
    String privacyOfficer = userToken("fg");
    for (String path : new String[] {"/actuator", "/actuator/info"}) {
      assertThat(status(path, null)).as("%s without a token", path).isEqualTo(401);
      assertThat(status(path, privacyOfficer))
          .as("%s for the privacy officer", path)
          .isEqualTo(403);
      assertThat(status(path, operator)).as("%s for the operator", path).isEqualTo(200);
    }
  }

  @Test
  void whatNoChainMatchesIsDenied() {
    assertThat(status("/anything", null)).as("an unknown path without a token").isEqualTo(401);
    assertThat(status("/anything", userToken("operator")))
        .as("an unknown path for the operator")
        .isEqualTo(403);
    assertThat(status("/console/me", clientToken("lzn")))
        .as("pages are not configured in this context")
        .isEqualTo(403);
  }

  @Test
  void aServiceChainSeesTheClientOrUserAndTheirRealmRoles() {
    HttpResponse<String> partner = get("/api/whoami", clientToken("politie"));
    assertThat(partner.statusCode()).as("the API for a partner").isEqualTo(200);
    assertThat(partner.body())
        .as("a client is named by its client id")
        .contains("\"name\":\"politie\"")
        .doesNotContain("ROLE_privacy-officer");

    HttpResponse<String> fg = get("/api/audit/whoami", userToken("fg"));
    assertThat(fg.statusCode()).as("the audit API for the privacy officer").isEqualTo(200);
    assertThat(fg.body())
        .as("a user is named by username, with the realm roles as ROLE_ authorities")
        .contains("\"name\":\"fg\"")
        .contains("ROLE_privacy-officer");

    assertThat(status("/api/audit/whoami", userToken("operator")))
        .as("the audit API for the operator")
        .isEqualTo(403);
    assertThat(status("/api/audit/whoami", clientToken("lzn")))
        .as("the audit API for a partner")
        .isEqualTo(403);
    assertThat(status("/api/whoami", null)).as("the API without a token").isEqualTo(401);
  }
}
