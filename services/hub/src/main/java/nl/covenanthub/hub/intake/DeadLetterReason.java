package nl.covenanthub.hub.intake;

/** Why an outbox record was refused and dead-lettered. */
public enum DeadLetterReason {
  /** Read from a topic that is not a partner outbox, so no partner can be held to have sent it. */
  UNAUTHENTICATED,
  /** The payload claims another sender than the partner whose outbox it came from. */
  SENDER_MISMATCH,
  /** Larger than the hub accepts. */
  OVERSIZE,
  /** Not Avro single-object encoding, or the bytes do not decode. */
  UNDECODABLE,
  /** Avro, but of a schema the hub does not know (by fingerprint). */
  UNKNOWN_SCHEMA,
  /** Decoded, but a required value is missing or empty. */
  INVALID,
  /**
   * Accepted, but processing it failed every time it was tried (hub.max-attempts): a bug, or a case
   * the core cannot handle. Dead-lettered so that the partition moves on.
   */
  PROCESSING_FAILED,
  /**
   * The partner published this event id before, within the duplicate window of its outbox partition
   * (a retry): the first was decided, this one is not disclosed again.
   */
  DUPLICATE,
  /**
   * A withdrawal acknowledgement that names no withdrawal notice the partner was sent (unknown, or
   * another partner's).
   */
  UNKNOWN_NOTICE
}
