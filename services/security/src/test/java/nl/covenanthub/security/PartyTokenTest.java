package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The realm's users carry their party: a user in the group {@code /parties/<id>} gets the claim
 * {@code groups} from the client scope {@code party}, and an API sees the authority {@code
 * PARTY_<id>} next to the user's realm roles. Real tokens of the realm's demo users.
 */
class PartyTokenTest extends SecuredAppTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode claims(String token) throws Exception {
    String payload = token.split("\\.")[1];
    return JSON.readTree(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  private List<String> authorities(String token) throws Exception {
    HttpResponse<String> whoami = get("/api/whoami", token);
    assertThat(whoami.statusCode()).as("/api/whoami").isEqualTo(200);
    List<String> authorities = new ArrayList<>();
    JSON.readTree(whoami.body()).path("authorities").forEach(a -> authorities.add(a.asText()));
    return authorities;
  }

  @ParameterizedTest(name = "party {0}")
  @ValueSource(strings = {"lzn", "politie", "riec", "veilig-thuis"})
  void theJuristOfAPartyActsForThatPartyAlone(String party) throws Exception {
    String token = userToken("jurist-" + party);
    assertThat(claims(token).path("groups").toString())
        .as("the groups claim of jurist-%s", party)
        .isEqualTo("[\"/parties/" + party + "\"]");
    List<String> authorities = authorities(token);
    assertThat(authorities)
        .as("authorities of jurist-%s", party)
        .contains("ROLE_" + Roles.COVENANT_PARTY, Parties.PREFIX + party);
    assertThat(authorities.stream().filter(a -> a.startsWith(Parties.PREFIX)))
        .as("parties of jurist-%s", party)
        .containsExactly(Parties.PREFIX + party);
  }

  @ParameterizedTest(name = "user {0}")
  @ValueSource(strings = {"fg", "beheerder", "goedkeurder", "operator"})
  void otherPeopleActForNoParty(String user) throws Exception {
    List<String> authorities = authorities(userToken(user));
    assertThat(authorities).as("authorities of %s", user).isNotEmpty();
    assertThat(authorities)
        .as("authorities of %s", user)
        .noneMatch(a -> a.startsWith(Parties.PREFIX))
        .doesNotContain("ROLE_" + Roles.COVENANT_PARTY);
  }

  @Test
  void aPartnersOwnClientTokenActsForNoParty() throws Exception {
    // The partner's machine identity (client credentials) is not a person speaking for it.
    assertThat(authorities(clientToken("politie")))
        .as("authorities of the client politie")
        .noneMatch(a -> a.startsWith(Parties.PREFIX));
  }
}
