package nl.covenanthub.hub.intake;

import java.util.Objects;
import java.util.Optional;

/**
 * An outbox record the hub refuses. The detail names fields and sizes, never values or other text
 * the partner supplied. When the payload did decode, the event comes along, so that the REJECTED
 * audit record can still name the event, the case and the data subject (as a pseudonym).
 */
public final class BadInputException extends RuntimeException {
  private final DeadLetterReason reason;
  private final transient IncomingEvent decoded;

  public BadInputException(DeadLetterReason reason, String detail) {
    this(reason, detail, null);
  }

  public BadInputException(DeadLetterReason reason, String detail, IncomingEvent decoded) {
    super(detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.decoded = decoded;
  }

  public DeadLetterReason reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }

  /** What of the event is known, when it decoded (its required fields may still be empty). */
  public Optional<IncomingEvent> decoded() {
    return Optional.ofNullable(decoded);
  }
}
