package nl.covenanthub.covenant;

import java.util.Objects;

/** What a field plan is looked up by: who sends what to whom, for which purpose. */
public record PlanKey(String sender, String recipient, String purpose, String eventType) {
  public PlanKey {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(eventType, "eventType");
  }
}
