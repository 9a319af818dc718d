package nl.covenanthub.console.covenants;

import java.util.Set;
import java.util.TreeSet;
import nl.covenanthub.console.covenants.VersionLifecycle.Actor;
import nl.covenanthub.security.Parties;
import nl.covenanthub.security.Roles;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The logged-in user (a page's session or an API's token) as the lifecycle sees them: the name
 * (Keycloak's {@code preferred_username} either way, so four eyes cannot be passed by switching
 * between the pages and the API), the roles and the parties they speak for.
 */
public final class Actors {
  private Actors() {}

  public static Actor of(Authentication authentication) {
    Set<String> authorities = new TreeSet<>();
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      authorities.add(authority.getAuthority());
    }
    // Speaking for a party takes both: membership of its group and the role covenant-party.
    Set<String> parties =
        authorities.contains("ROLE_" + Roles.COVENANT_PARTY)
            ? Parties.of(authentication)
            : Set.of();
    return new Actor(
        authentication.getName(),
        authorities.contains("ROLE_" + Roles.COVENANT_ADMIN),
        authorities.contains("ROLE_" + Roles.COVENANT_APPROVER),
        parties);
  }
}
