package nl.covenanthub.covenant;

import java.util.Optional;

/**
 * A marking on a schema field (the Avro attribute {@code "avg"}) that makes it need its own legal
 * basis.
 */
public enum Sensitivity {
  /** AVG art. 9: health and other special categories. */
  SPECIAL_CATEGORY("art9", "special-category (AVG art. 9)", "specialCategories"),
  /** AVG art. 10: criminal convictions and offences, suspicions included. */
  CRIMINAL("art10", "criminal (AVG art. 10)", "criminalData"),
  /** The citizen service number: only where a law allows its use (Wabb). */
  BSN("bsn", "BSN", "bsn");

  private final String marking;
  private final String label;
  private final String basisField;

  Sensitivity(String marking, String label, String basisField) {
    this.marking = marking;
    this.label = label;
    this.basisField = basisField;
  }

  public static Optional<Sensitivity> fromMarking(String marking) {
    for (Sensitivity s : values()) {
      if (s.marking.equals(marking)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public String label() {
    return label;
  }

  /**
   * The key under {@code legalBasis} in the covenant YAML that names the basis for this
   * sensitivity.
   */
  public String basisField() {
    return basisField;
  }
}
