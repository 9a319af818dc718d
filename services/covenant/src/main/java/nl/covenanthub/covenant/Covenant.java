package nl.covenanthub.covenant;

import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a covenant (convenant): who shares what with whom, for which purpose, on which
 * legal basis. Immutable; a change to a covenant is a new version.
 */
public record Covenant(
    String id,
    String title,
    int version,
    Validity validity,
    String coordinator,
    List<Party> parties,
    List<Purpose> purposes,
    List<Rule> rules,
    Map<String, Period> retention) {

  public Covenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(coordinator, "coordinator");
    parties = List.copyOf(parties);
    purposes = List.copyOf(purposes);
    rules = List.copyOf(rules);
    retention = Map.copyOf(retention);
  }

  public Optional<Purpose> purpose(String purposeId) {
    return purposes.stream().filter(p -> p.id().equals(purposeId)).findFirst();
  }

  public boolean hasParty(String partyId) {
    return parties.stream().anyMatch(p -> p.id().equals(partyId));
  }
}
