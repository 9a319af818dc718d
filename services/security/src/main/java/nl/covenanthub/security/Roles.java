package nl.covenanthub.security;

/**
 * The realm roles of Covenant Hub (infra/keycloak/covenant-hub-realm.json), as used in {@code
 * hasRole(...)}: each becomes the authority {@code ROLE_<role>}.
 */
public final class Roles {
  /** The privacy officer (FG): the audit, Art. 15 reports, verifying the audit chain. */
  public static final String PRIVACY_OFFICER = "privacy-officer";

  /** Edits covenants: proposes new versions, previews their impact. */
  public static final String COVENANT_ADMIN = "covenant-admin";

  /** Approves or rejects a proposed covenant version. */
  public static final String COVENANT_APPROVER = "covenant-approver";

  /**
   * Accepts or revokes covenant versions on behalf of its party: the party of the user's group
   * {@code /parties/<partner id>} ({@link Parties}). The role says that the user may speak for a
   * party; the group says for which one.
   */
  public static final String COVENANT_PARTY = "covenant-party";

  /**
   * The municipality's integral-safety officer: triages 'niet-pluis' signals (the confidential
   * werkbestand) and runs the local case table's agenda (docs/niet-pluis.md).
   */
  public static final String INTEGRALE_VEILIGHEID = "integrale-veiligheid";

  /** Runs the services: metrics and every Actuator endpoint besides health. */
  /** Reads the metrics (/actuator/prometheus) and nothing else: Prometheus's service account. */
  public static final String METRICS_READER = "metrics-reader";

  public static final String OPERATOR = "operator";

  private Roles() {}
}
