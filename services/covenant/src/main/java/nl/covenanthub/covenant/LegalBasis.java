package nl.covenanthub.covenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The legal grounds (grondslagen) for sharing under a purpose. Special-category data (AVG art. 9),
 * criminal data (art. 10) and the BSN each need their own, separately named basis; without it such
 * fields may not pass.
 */
public record LegalBasis(
    String general,
    Optional<String> specialCategories,
    Optional<String> criminalData,
    Optional<String> bsn) {

  public LegalBasis {
    Objects.requireNonNull(general, "general");
    Objects.requireNonNull(specialCategories, "specialCategories");
    Objects.requireNonNull(criminalData, "criminalData");
    Objects.requireNonNull(bsn, "bsn");
  }

  public static LegalBasis of(String general) {
    return new LegalBasis(general, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public Optional<String> basisFor(Sensitivity sensitivity) {
    return switch (sensitivity) {
      case SPECIAL_CATEGORY -> specialCategories;
      case CRIMINAL -> criminalData;
      case BSN -> bsn;
    };
  }

  /** This basis with every part that {@code override} names replaced by the override's. */
  public LegalBasis overriddenBy(Optional<LegalBasis> override) {
    if (override.isEmpty()) {
      return this;
    }
    LegalBasis o = override.get();
    return new LegalBasis(
        o.general,
        o.specialCategories.or(() -> specialCategories),
        o.criminalData.or(() -> criminalData),
        o.bsn.or(() -> bsn));
  }

  /** The general basis followed by the bases of the given sensitivities, each once. */
  public List<String> parts(Iterable<Sensitivity> used) {
    List<String> parts = new ArrayList<>();
    parts.add(general);
    for (Sensitivity s : used) {
      basisFor(s).filter(b -> !parts.contains(b)).ifPresent(parts::add);
    }
    return parts;
  }
}
