package nl.covenanthub.covenant;

import java.util.Objects;
import java.util.Optional;

/**
 * A purpose (doel) the covenant allows sharing for, e.g. {@code zorg-en-veiligheid}, with its legal
 * basis, and the matching it allows, if any.
 */
public record Purpose(
    String id, String description, LegalBasis legalBasis, Optional<Matching> matching) {
  public Purpose {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(legalBasis, "legalBasis");
    Objects.requireNonNull(matching, "matching");
  }

  public Purpose(String id, String description, LegalBasis legalBasis) {
    this(id, description, legalBasis, Optional.empty());
  }
}
