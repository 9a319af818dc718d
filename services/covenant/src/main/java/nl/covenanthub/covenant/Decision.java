package nl.covenanthub.covenant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.generic.GenericData;

/**
 * The answer for one (event, recipient): disclosed (with the view and everything the audit needs)
 * or withheld (with the reason). Decisions carry field names, never field values, except the view
 * itself.
 */
public sealed interface Decision permits Decision.Disclosed, Decision.Withheld {

  PlanKey key();

  /** DISCLOSED or WITHHELD, as written to the audit. */
  String outcome();

  /** The recipient may see {@code view}: the fields of {@code plan}, transformed as it says. */
  record Disclosed(FieldPlan plan, GenericData.Record view) implements Decision {
    public Disclosed {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(view, "view");
    }

    public PlanKey key() {
      return plan.key();
    }

    public String outcome() {
      return "DISCLOSED";
    }
  }

  /** Nothing passes to this recipient; {@code reason} says why, {@code detail} in words. */
  record Withheld(PlanKey key, Reason reason, String detail, Optional<CovenantRef> covenant)
      implements Decision {
    public Withheld {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(covenant, "covenant");
    }

    public String outcome() {
      return "WITHHELD";
    }
  }

  /**
   * Why an event is withheld from a recipient. Default deny: each is the absence of a permission.
   */
  enum Reason {
    /** No active covenant has the event's purpose. */
    UNKNOWN_PURPOSE,
    /** The sender or the recipient is not a party to the covenant of the purpose. */
    NOT_A_PARTY,
    /** The covenant is not yet in force at the time of the decision. */
    COVENANT_NOT_IN_FORCE,
    /** The covenant's validity period has ended: it discloses nothing any more. */
    COVENANT_ENDED,
    /**
     * The sender or the recipient revoked its participation in this covenant version (a breach, a
     * court ruling): nothing passes to or from it under this version.
     */
    PARTY_REVOKED,
    /** No rule lets this sender disclose this event type to this recipient for this purpose. */
    NO_RULE,
    /** Rules exist, but the event meets none of their conditions. */
    CONDITION_NOT_MET,
    /** The event's schema is not the one the plans were compiled against. */
    SCHEMA_MISMATCH,
    /** A rule applies but lets no field pass. */
    NO_FIELDS
  }

  /** Convenience for callers that only need to know whether something passed. */
  default boolean disclosed() {
    return this instanceof Disclosed;
  }

  /** The rule ids that decided, empty when withheld. */
  default List<String> ruleIds() {
    return this instanceof Disclosed d ? d.plan().ruleIds() : List.of();
  }
}
