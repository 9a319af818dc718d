package nl.covenanthub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * The claim {@code groups} as authorities {@code PARTY_<partner id>}: only {@code /parties/<id>}
 * with a well-formed partner id counts, whatever else a token carries there.
 */
class PartiesTest {
  private static List<String> parties(Object groups) {
    return KeycloakTokens.parties(Map.of("groups", groups)).stream()
        .map(GrantedAuthority::getAuthority)
        .toList();
  }

  @Test
  void aGroupPartiesSlashIdIsThePartyOfThatId() {
    assertThat(parties(List.of("/parties/politie")))
        .as("one party")
        .containsExactly("PARTY_politie");
    assertThat(parties(List.of("/parties/veilig-thuis", "/parties/lzn", "/parties/veilig-thuis")))
        .as("two parties, one of them twice")
        .containsExactly("PARTY_veilig-thuis", "PARTY_lzn");
    assertThat(parties(List.of("/parties/gemeente-2")))
        .as("digits and '-'")
        .containsExactly("PARTY_gemeente-2");
  }

  @Test
  void otherGroupsAndMalformedPathsAreIgnored() {
    assertThat(
            parties(
                List.of(
                    "/parties/../x",
                    "/parties/..",
                    "/partiesx/politie",
                    "/parties/politie/sub",
                    "/parties/politie/",
                    "/parties/",
                    "/parties",
                    "parties/politie",
                    "/other/parties/politie",
                    "/parties//politie",
                    "/parties/Politie",
                    "/parties/politie ",
                    " /parties/politie",
                    "/parties/politie\n",
                    "/parties/politie~/sub",
                    "/parties/po_litie",
                    "/parties/polítie",
                    "/parties/%70olitie",
                    "",
                    "/beheer")))
        .as("none of these is a party")
        .isEmpty();
  }

  @Test
  void valuesThatAreNotStringsAreIgnored() {
    assertThat(
            parties(Arrays.asList(null, 42, Map.of("path", "/parties/politie"), "/parties/riec")))
        .as("only the string counts")
        .containsExactly("PARTY_riec");
    assertThat(parties(List.of(List.of("/parties/politie")))).as("a nested list").isEmpty();
    assertThat(parties("/parties/politie")).as("a string instead of a list").isEmpty();
    assertThat(parties(Map.of("/parties/politie", true))).as("an object").isEmpty();
    assertThat(KeycloakTokens.parties(Map.of())).as("no groups claim").isEmpty();
  }

  @Test
  void theAuthoritiesOfATokenAreItsRealmRolesAndItsParties() {
    Map<String, Object> claims =
        Map.of(
            "realm_access",
            Map.of("roles", List.of("default-roles-covenant-hub", "covenant-party")),
            "groups",
            List.of("/parties/politie", "/elsewhere"));
    assertThat(KeycloakTokens.authorities(claims))
        .extracting(GrantedAuthority::getAuthority)
        .containsExactly("ROLE_default-roles-covenant-hub", "ROLE_covenant-party", "PARTY_politie");
  }

  @Test
  void theGroupPathOfAParty() {
    assertThat(Parties.ofGroupPath("/parties/riec")).as("a party").hasValue("riec");
    assertThat(Parties.ofGroupPath("/parties/riec/x")).as("deeper").isEmpty();
    assertThat(Parties.ofGroupPath(null)).as("null").isEmpty();
  }

  @Test
  void whoAnAuthenticationActsFor() {
    TestingAuthenticationToken jurist =
        new TestingAuthenticationToken(
            "jurist", null, "ROLE_covenant-party", "PARTY_riec", "PARTY_lzn", "PARTY_../x");
    assertThat(Parties.of(jurist)).as("parties, sorted").containsExactly("lzn", "riec");
    assertThat(Parties.actsFor(jurist, "riec")).as("acts for riec").isTrue();
    assertThat(Parties.actsFor(jurist, "politie")).as("acts for politie").isFalse();
    assertThat(Parties.actsFor(jurist, "../x")).as("acts for a malformed id").isFalse();
    assertThat(Parties.of(new TestingAuthenticationToken("beheerder", null, "ROLE_covenant-admin")))
        .as("a user without a party")
        .isEmpty();
    assertThat(Parties.of(null)).as("nobody").isEmpty();
  }

  @Test
  void theAuthorityOfAParty() {
    assertThat(Parties.authority("politie").getAuthority()).isEqualTo("PARTY_politie");
    assertThatThrownBy(() -> Parties.authority("../x"))
        .as("a malformed id")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Parties.authority(""))
        .as("an empty id")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
