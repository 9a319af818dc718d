package nl.covenanthub.security;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The parties (partners of the covenants) a user acts for. In Keycloak a user speaks for partner
 * {@code <id>} by being a member of the group {@code /parties/<id>}; the client scope {@code party}
 * puts the user's groups (full paths) in the claim {@code groups}, and each {@code /parties/<id>}
 * there becomes the authority {@code PARTY_<id>} ({@link KeycloakTokens#parties}), next to the
 * realm roles. Whether the user may accept or revoke covenant versions for that party is the realm
 * role {@link Roles#COVENANT_PARTY}: check both.
 */
public final class Parties {
  /** The prefix of a party's authority: {@code PARTY_<partner id>}, e.g. {@code PARTY_politie}. */
  public static final String PREFIX = "PARTY_";

  /** The Keycloak group whose subgroups are the parties, as the start of their full paths. */
  public static final String GROUP_PATH_PREFIX = "/parties/";

  /** The token claim with the user's group paths (mapper of the client scope {@code party}). */
  public static final String CLAIM = "groups";

  /** A partner id as the covenants, the topics and the ACLs have it. */
  private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9-]+");

  private Parties() {}

  /** Whether {@code id} is a well-formed partner id: lower-case letters, digits and '-'. */
  public static boolean isPartnerId(String id) {
    return id != null && PARTNER_ID.matcher(id).matches();
  }

  /**
   * The partner of a Keycloak group path {@code /parties/<id>}; empty for any other path, a deeper
   * one ({@code /parties/politie/sub}) included, and for an id that is not a partner id.
   */
  public static Optional<String> ofGroupPath(String groupPath) {
    if (groupPath == null || !groupPath.startsWith(GROUP_PATH_PREFIX)) {
      return Optional.empty();
    }
    String id = groupPath.substring(GROUP_PATH_PREFIX.length());
    return isPartnerId(id) ? Optional.of(id) : Optional.empty();
  }

  /** The authority {@code PARTY_<partnerId>}. */
  public static GrantedAuthority authority(String partnerId) {
    if (!isPartnerId(partnerId)) {
      throw new IllegalArgumentException("not a partner id: " + partnerId);
    }
    return new SimpleGrantedAuthority(PREFIX + partnerId);
  }

  /**
   * The partners {@code authentication} acts for (its {@code PARTY_<id>} authorities), sorted;
   * empty when it acts for none or is null. Usually one; more if the user is in several groups.
   */
  public static Set<String> of(Authentication authentication) {
    if (authentication == null) {
      return Set.of();
    }
    Set<String> parties = new TreeSet<>();
    for (GrantedAuthority authority : authentication.getAuthorities()) {
      String name = authority.getAuthority();
      if (name != null && name.startsWith(PREFIX)) {
        String id = name.substring(PREFIX.length());
        if (isPartnerId(id)) {
          parties.add(id);
        }
      }
    }
    return Collections.unmodifiableSet(parties);
  }

  /** Whether {@code authentication} acts for partner {@code partnerId}. */
  public static boolean actsFor(Authentication authentication, String partnerId) {
    return isPartnerId(partnerId) && of(authentication).contains(partnerId);
  }
}
