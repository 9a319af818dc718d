package nl.covenanthub.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import nl.covenanthub.console.ConsoleTestBase;
import nl.covenanthub.console.TestCovenantText;
import nl.covenanthub.devkit.Keycloak;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Covenant administration over HTTP with the demo realm's real tokens: the same rules as the pages
 * (four eyes, the parties that must accept, invalid text refused by line), each refusal a problem
 * with its code and status.
 */
class CovenantApiTest extends ConsoleTestBase {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;

  private static String newId() {
    return "api-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aVersionIsProposedApprovedByASecondPersonAcceptedByItsPartyAndActive() throws Exception {
    String id = newId();
    HttpResponse<String> proposed =
        propose(TestCovenantText.of(id, 1, "caseReference", "subject.name"), "beheerder");
    assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(201);
    JsonNode version = json(proposed);
    long versionId = version.path("versionId").asLong();
    assertThat(proposed.headers().firstValue("Location"))
        .contains("/api/covenants/versions/" + versionId);
    assertThat(version.path("state").asText()).isEqualTo("PROPOSED");
    assertThat(version.path("proposer").asText()).isEqualTo("beheerder");
    assertThat(version.path("requiredParties").toString()).isEqualTo("[\"politie\"]");

    HttpResponse<String> own = act(versionId, "approve", "", "beheerder");
    assertThat(own.statusCode()).as("the administrator holds no approver role").isEqualTo(403);
    assertThat(json(own).path("code").asText()).isEqualTo("not-approver");

    HttpResponse<String> approved = act(versionId, "approve", "", "goedkeurder");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).path("state").asText())
        .as("politie has yet to accept")
        .isEqualTo("PROPOSED");
    assertThat(json(act(versionId, "approve", "", "goedkeurder")).path("code").asText())
        .isEqualTo("already-approved");

    HttpResponse<String> otherParty = act(versionId, "accept", "politie", "jurist-lzn");
    assertThat(otherParty.statusCode()).isEqualTo(403);
    assertThat(json(otherParty).path("code").asText()).isEqualTo("not-your-party");

    HttpResponse<String> accepted = act(versionId, "accept", "politie", "jurist-politie");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(json(accepted).path("state").asText()).isEqualTo("ACTIVE");
    assertThat(json(accepted).path("events").findValuesAsText("action"))
        .containsExactly("PROPOSED", "APPROVED", "ACCEPTED", "ACTIVATED");

    HttpResponse<String> yaml = get("/api/covenants/versions/" + versionId + "/yaml", "fg");
    assertThat(yaml.body()).isEqualTo(TestCovenantText.of(id, 1, "caseReference", "subject.name"));
    assertThat(json(get("/api/covenants/trail", "fg")).path("intact").asBoolean()).isTrue();
  }

  @Test
  void anInvalidTextIsRefusedByLineAndNobodyElseMayPropose() throws Exception {
    String id = newId();
    String invalid =
        TestCovenantText.of(id, 1, "caseReference").replace("until: 2028-12-31", "until: 2028-13");
    HttpResponse<String> refused = propose(invalid, "beheerder");
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode problems = json(refused).path("problems");
    assertThat(problems.size()).isPositive();
    assertThat(problems.get(0).path("line").asInt()).isEqualTo(6);

    HttpResponse<String> byApprover =
        propose(TestCovenantText.of(id, 1, "caseReference"), "goedkeurder");
    assertThat(byApprover.statusCode()).isEqualTo(403);
    assertThat(json(byApprover).path("code").asText()).isEqualTo("not-admin");

    assertThat(get("/api/covenants", null).statusCode()).as("no token").isEqualTo(401);
    assertThat(get("/api/covenants", "operator").statusCode())
        .as("an operator has no part in covenant administration")
        .isEqualTo(403);
    assertThat(get("/api/covenants/versions/987654321", "fg").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> propose(String yaml, String user) {
    return send(
        HttpRequest.newBuilder(uri("/api/covenants/versions?fileName=api.yaml"))
            .header("Content-Type", "application/yaml")
            .POST(HttpRequest.BodyPublishers.ofString(yaml)),
        user);
  }

  private HttpResponse<String> act(long versionId, String action, String party, String user) {
    String query = party.isEmpty() ? "" : "?party=" + party;
    return send(
        HttpRequest.newBuilder(uri("/api/covenants/versions/" + versionId + "/" + action + query))
            .POST(HttpRequest.BodyPublishers.noBody()),
        user);
  }

  private HttpResponse<String> get(String path, String user) {
    return send(HttpRequest.newBuilder(uri(path)).GET(), user);
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String user) {
    if (user != null) {
      request.header("Authorization", "Bearer " + Keycloak.shared().userToken(user, "demo"));
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
