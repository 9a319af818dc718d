package nl.covenanthub.covenant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sender {@code from} may disclose to recipient {@code to}, for {@code purpose}, events of the
 * listed types that meet {@code when}, with each named field treated as given. Fields it does not
 * name do not pass.
 *
 * @param fields field path (e.g. {@code subject.address.postcode}) to its treatment, in YAML order
 * @param legalBasis parts of the purpose's legal basis that this sender uses instead, if any
 */
public record Rule(
    String id,
    String from,
    String to,
    String purpose,
    List<String> eventTypes,
    Optional<Condition> when,
    Map<String, Treatment> fields,
    Optional<LegalBasis> legalBasis) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(purpose, "purpose");
    eventTypes = List.copyOf(eventTypes);
    Objects.requireNonNull(when, "when");
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    Objects.requireNonNull(legalBasis, "legalBasis");
  }
}
