package nl.covenanthub.hub.intake;

import java.util.Objects;

/** An outbox record the hub refuses; the detail names fields, never their values. */
public final class BadInputException extends RuntimeException {
  private final DeadLetterReason reason;

  public BadInputException(DeadLetterReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public DeadLetterReason reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }
}
