package nl.covenanthub.covenant;

import java.util.Objects;

/**
 * A purpose (doel) the covenant allows sharing for, e.g. {@code zorg-en-veiligheid}, with its legal
 * basis.
 */
public record Purpose(String id, String description, LegalBasis legalBasis) {
  public Purpose {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(legalBasis, "legalBasis");
  }
}
