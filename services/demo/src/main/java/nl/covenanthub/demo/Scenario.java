package nl.covenanthub.demo;

import java.util.List;
import java.util.Objects;
import nl.covenanthub.events.SingleObjectEncoding;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One event a partner system publishes: to the outbox of {@code publisher} (normally the sender it
 * names), with a note on what the covenants should make of it.
 *
 * @param publisher the partner whose outbox it goes to, which is who the hub holds to have sent it
 * @param event the event, as the partner's system builds it from the generated classes
 * @param what a few words for the console: the concerns, the status, what is special about it
 * @param receivers the partners the covenants should let receive it (the hub decides; this is the
 *     script's intent, checked against the covenants by ScenariosTest)
 * @param note what to look for, in words
 */
record Scenario(
    String publisher, SpecificRecordBase event, String what, List<String> receivers, String note) {

  Scenario {
    Objects.requireNonNull(publisher, "publisher");
    Objects.requireNonNull(event, "event");
    receivers = List.copyOf(receivers);
  }

  /** {@code CaseSignal zorg-en-veiligheid (VERWARD_GEDRAG) PL0600-2026-118731}. */
  String describe() {
    return eventType() + " " + field("purpose") + " (" + what + ") " + field("caseReference");
  }

  /** {@code for lzn: narrative redacted}, or {@code for no one: ...}. */
  String expectation() {
    return "for "
        + (receivers.isEmpty() ? "no one" : String.join(" and ", receivers))
        + (note == null ? "" : ": " + note);
  }

  String topic() {
    return "partner." + publisher + ".outbox";
  }

  String eventType() {
    return event.getSchema().getName();
  }

  String field(String name) {
    Object value = ((GenericRecord) event).get(name);
    return value == null ? null : value.toString();
  }

  /** Keyed by the sender's case reference, so one case's events stay in order. */
  String key() {
    return field("caseReference");
  }

  /** Avro single-object encoding, what the generated classes write and the hub reads. */
  byte[] bytes() {
    return SingleObjectEncoding.bytes(event);
  }
}
