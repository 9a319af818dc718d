package nl.covenanthub.console.logboek;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.audit.Disclosure;
import nl.covenanthub.covenant.ProcessingRegister;

/**
 * An audit record in the shape of the Logboek Dataverwerkingen standard (Logius, component Logboek,
 * interface): one Action ({@code span_id}) of a data processing ({@code trace_id}), with the {@code
 * dpl.core} attributes. The trace id is the sender's own when its event carried a W3C traceparent,
 * so the hub's actions join the partner's trace; the sender's action that caused the decision, at
 * another organisation, is then its {@code foreign_operation}.
 *
 * <p>Not filled: {@code parent_span_id}, the calling action within the hub's own processing: a
 * decision is the hub's first action on an event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogboekRecord(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("span_id") String spanId,
    @JsonProperty("status_code") String statusCode,
    String name,
    @JsonProperty("start_time") long startTime,
    @JsonProperty("end_time") long endTime,
    @JsonProperty("foreign_operation") ForeignOperation foreignOperation,
    Resource resource,
    List<Attribute> attributes) {

  /** The system that did the processing. */
  public record Resource(List<Attribute> attributes) {}

  /**
   * The action at another organisation that caused this one: the sender's trace and span, and the
   * sender as a URI.
   */
  public record ForeignOperation(
      @JsonProperty("trace_id") String traceId,
      @JsonProperty("span_id") String spanId,
      String entity) {}

  /** The URI of a partner of the hub, as a foreign operation's entity. */
  public static String partner(String id) {
    return "urn:covenant-hub:party:" + id;
  }

  /** A key-value pair. */
  public record Attribute(String key, String value) {}

  /** How the data subject is named: the audit's pseudonym of the BSN, not the BSN. */
  public static final String SUBJECT_ID_TYPE = "urn:covenant-hub:audit-subject-pseudonym:bsn";

  private static final Resource HUB =
      new Resource(List.of(new Attribute("service.name", "covenant-hub")));

  /** The Logboek record of one decision of the hub. */
  public static LogboekRecord of(Disclosure decision) {
    long at = decision.decidedAt().toEpochMilli();
    List<Attribute> attributes = new ArrayList<>();
    if (decision.covenantId() != null && decision.covenantVersion() != null) {
      attributes.add(
          new Attribute(
              "dpl.core.processing_activity_id",
              ProcessingRegister.activityId(
                  decision.covenantId(), decision.covenantVersion(), decision.purpose())));
    }
    if (decision.subjectPseudonym() != null) {
      attributes.add(new Attribute("dpl.core.data_subject_id", decision.subjectPseudonym()));
      attributes.add(new Attribute("dpl.core.data_subject_id_type", SUBJECT_ID_TYPE));
    }
    attributes.add(new Attribute("dpl.covenant_hub.disclosure_id", decision.disclosureId()));
    attributes.add(new Attribute("dpl.covenant_hub.decision", decision.decision().name()));
    attributes.add(new Attribute("dpl.covenant_hub.sender", decision.sender()));
    if (decision.recipient() != null) {
      attributes.add(new Attribute("dpl.covenant_hub.recipient", decision.recipient()));
    }
    if (decision.reason() != null) {
      attributes.add(new Attribute("dpl.covenant_hub.reason", decision.reason()));
    }
    return new LogboekRecord(
        decision.traceId(),
        decision.spanId(),
        status(decision),
        "covenant-hub " + decision.decision().name().toLowerCase(java.util.Locale.ROOT),
        at,
        at,
        decision.senderSpanId() == null
            ? null
            : new ForeignOperation(
                decision.traceId(), decision.senderSpanId(), partner(decision.sender())),
        HUB,
        attributes);
  }

  /**
   * A decision is a processing that succeeded, whatever it decided; a refused input is the sender's
   * error (the standard's 4xx: unset); a record that kept failing is the hub's (error).
   */
  private static String status(Disclosure decision) {
    if (decision.decision() != AuditDecision.REJECTED) {
      return "STATUS_CODE_OK";
    }
    return "PROCESSING_FAILED".equals(decision.reason())
        ? "STATUS_CODE_ERROR"
        : "STATUS_CODE_UNSET";
  }
}
