package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The promises of infra/keycloak/covenant-hub-realm.json that docs/security.md makes, checked on
 * the file itself (what Keycloak makes of it is tested against a real Keycloak in
 * services/security).
 */
class RealmFileTest {
  private static final List<String> PARTNERS =
      List.of("lzn", "politie", "veilig-thuis", "riec", "odr");
  private static final List<String> SERVICES =
      List.of("covenant-hub", "covenant-console", "covenant-operator", "prometheus");

  private static final Map<String, Object> REALM =
      new ObjectMapper().convertValue(RealmFile.ofRepository().json(), new TypeReference<>() {});

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  private static Map<String, Map<String, Object>> clients() {
    return list(REALM.get("clients")).stream()
        .collect(Collectors.toMap(c -> (String) c.get("clientId"), c -> c));
  }

  @Test
  void partnersAndServicesAreConfidentialClientCredentialsClientsWithTheHubAudience() {
    Map<String, Map<String, Object>> clients = clients();
    for (String id : concat(PARTNERS, SERVICES)) {
      Map<String, Object> client = clients.get(id);
      assertThat(client).as("client %s", id).isNotNull();
      assertThat(client.get("publicClient")).as("%s is confidential", id).isEqualTo(false);
      assertThat(client.get("serviceAccountsEnabled"))
          .as("%s has client credentials", id)
          .isEqualTo(true);
      assertThat(client.get("standardFlowEnabled"))
          .as("%s has no browser login", id)
          .isEqualTo(false);
      assertThat(client.get("implicitFlowEnabled"))
          .as("%s has no implicit flow", id)
          .isEqualTo(false);
      assertThat(client.get("directAccessGrantsEnabled"))
          .as("%s has no password grant", id)
          .isEqualTo(false);
      assertThat(strings(client.get("defaultClientScopes")))
          .as("default scopes of %s", id)
          .contains("hub-audience", "service_account", "roles", "basic");
      assertThat(Keycloak.demoSecret(id))
          .as("the secret of %s", id)
          .isEqualTo("demo-secret-" + id + "-NOT-FOR-PRODUCTION");
    }
  }

  @Test
  void everySecretInTheFileIsAMarkedDemoSecret() {
    for (Map<String, Object> client : list(REALM.get("clients"))) {
      Object secret = client.get("secret");
      if (secret != null) {
        assertThat((String) secret)
            .as("secret of %s", client.get("clientId"))
            .endsWith("-NOT-FOR-PRODUCTION");
      }
    }
  }

  @Test
  void theHubAudienceScopePutsHubInAccessTokensAndIsADefaultForNewClients() {
    Map<String, Object> scope =
        list(REALM.get("clientScopes")).stream()
            .filter(s -> "hub-audience".equals(s.get("name")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> mapper = list(scope.get("protocolMappers")).get(0);
    assertThat(mapper.get("protocolMapper")).as("mapper type").isEqualTo("oidc-audience-mapper");
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) mapper.get("config");
    assertThat(config)
        .as("mapper config")
        .containsEntry("included.custom.audience", "hub")
        .containsEntry("access.token.claim", "true");
    assertThat(strings(REALM.get("defaultDefaultClientScopes")))
        .as("scopes a new client gets")
        .contains("hub-audience", "roles", "basic");
  }

  @Test
  void theRolesAndTheirDemoUsers() {
    List<String> roles =
        list(((Map<?, ?>) REALM.get("roles")).get("realm")).stream()
            .map(r -> (String) r.get("name"))
            .toList();
    assertThat(roles)
        .as("realm roles")
        .contains(
            "privacy-officer",
            "covenant-admin",
            "covenant-approver",
            "covenant-party",
            "operator",
            "metrics-reader",
            "integrale-veiligheid");
    Map<String, Map<String, Object>> users =
        list(REALM.get("users")).stream()
            .collect(Collectors.toMap(u -> (String) u.get("username"), u -> u));
    Map<String, String> roleOf =
        new java.util.HashMap<>(
            Map.of(
                "fg",
                "privacy-officer",
                "beheerder",
                "covenant-admin",
                "goedkeurder",
                "covenant-approver",
                "operator",
                "operator",
                "ivb",
                "integrale-veiligheid"));
    PARTNERS.forEach(partner -> roleOf.put("jurist-" + partner, "covenant-party"));
    roleOf.forEach(
        (user, role) -> {
          assertThat(users).as("users").containsKey(user);
          assertThat(strings(users.get(user).get("realmRoles")))
              .as("roles of %s", user)
              .contains(role);
          Map<String, Object> password = list(users.get(user).get("credentials")).get(0);
          assertThat(password)
              .as("password of %s", user)
              .containsEntry("value", "demo")
              .containsEntry("temporary", false);
        });
  }

  @Test
  void everyPartnerIsAGroupUnderPartiesWithItsJuristInIt() {
    List<Map<String, Object>> groups = list(REALM.get("groups"));
    assertThat(groups).as("top-level groups").extracting(g -> g.get("name")).contains("parties");
    Map<String, Object> parties =
        groups.stream().filter(g -> "parties".equals(g.get("name"))).findFirst().orElseThrow();
    assertThat(parties.get("path")).as("path of parties").isEqualTo("/parties");
    Map<String, String> pathOf =
        list(parties.get("subGroups")).stream()
            .collect(Collectors.toMap(g -> (String) g.get("name"), g -> (String) g.get("path")));
    assertThat(pathOf.keySet()).as("parties").containsExactlyInAnyOrderElementsOf(PARTNERS);
    pathOf.forEach(
        (partner, path) ->
            assertThat(path).as("path of %s", partner).isEqualTo("/parties/" + partner));
    assertThat(clients().keySet()).as("a party is a partner client").containsAll(pathOf.keySet());

    Map<String, Map<String, Object>> users =
        list(REALM.get("users")).stream()
            .collect(Collectors.toMap(u -> (String) u.get("username"), u -> u));
    for (Map<String, Object> user : users.values()) {
      String name = (String) user.get("username");
      Object memberOf = user.get("groups");
      if (name.startsWith("jurist-")) {
        assertThat(strings(memberOf))
            .as("groups of %s", name)
            .containsExactly("/parties/" + name.substring("jurist-".length()));
      } else {
        assertThat(memberOf == null ? List.<String>of() : strings(memberOf))
            .as("%s speaks for no party", name)
            .noneMatch(g -> g.startsWith("/parties"));
        assertThat(strings(user.get("realmRoles")))
            .as("roles of %s", name)
            .doesNotContain("covenant-party");
      }
    }
  }

  @Test
  void thePartyScopePutsGroupPathsInTheTokensOfTheConsoleLogin() {
    Map<String, Object> scope =
        list(REALM.get("clientScopes")).stream()
            .filter(s -> "party".equals(s.get("name")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> mapper = list(scope.get("protocolMappers")).get(0);
    assertThat(mapper.get("protocolMapper"))
        .as("mapper type")
        .isEqualTo("oidc-group-membership-mapper");
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) mapper.get("config");
    assertThat(config)
        .as("mapper config")
        .containsEntry("claim.name", "groups")
        .containsEntry("full.path", "true")
        .containsEntry("access.token.claim", "true")
        .containsEntry("id.token.claim", "true");
    assertThat(strings(clients().get("console-web").get("defaultClientScopes")))
        .as("default scopes of console-web")
        .contains("party", "hub-audience", "roles");
    assertThat(strings(clients().get("test-cli").get("defaultClientScopes")))
        .as("default scopes of test-cli (a user's token as at a login)")
        .contains("party", "hub-audience", "roles");
  }

  @Test
  void browserLoginRedirectsOnlyToLocalhostAndAccessTokensAreShortLived() {
    Map<String, Object> console = clients().get("console-web");
    assertThat(console.get("standardFlowEnabled")).as("console-web logs people in").isEqualTo(true);
    assertThat(strings(console.get("redirectUris")))
        .as("where it may send them back")
        .containsExactly("http://localhost:*");
    assertThat(((Number) REALM.get("accessTokenLifespan")).intValue())
        .as("access token lifespan (s)")
        .isEqualTo(300);
  }

  @Test
  void testOnlyClientsSayTheyAreTestOnly() {
    clients()
        .forEach(
            (id, client) -> {
              if (id.startsWith("test-")) {
                assertThat((String) client.get("description"))
                    .as("description of %s", id)
                    .startsWith("LOCAL AND TEST ONLY");
              }
            });
    assertThat(clients())
        .as("test-only clients")
        .containsKeys("test-cli", "test-no-audience", "test-short-lived");
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return (List<String>) value;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
