package nl.covenanthub.hub.disclosure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends each recipient its view, with headers that say on what grounds. Runs inside the listener's
 * Kafka transaction: nothing sent here is visible until the audit records are written with it.
 */
@Component
public class InboxPublisher {
  private final KafkaTemplate<String, byte[]> kafka;
  private final ViewCodec codec;

  /** Plans are compiled once per covenant version, so this holds a handful of entries. */
  private final Map<FieldPlan, PlanHeaders> byPlan = new ConcurrentHashMap<>();

  public InboxPublisher(KafkaTemplate<String, byte[]> kafka, ViewCodec codec) {
    this.kafka = kafka;
    this.codec = codec;
  }

  public DecidedEvent deliver(DecidedEvent decided) {
    // Keyed by case, so one case's records stay in order, without exposing a reference the covenant
    // may withhold.
    String key = decided.caseKey();
    List<Decision> decisions = decided.decisions();
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i) instanceof Decision.Disclosed disclosed) {
        kafka.send(inboxRecord(decided, disclosed, decided.disclosureIds().get(i), key));
      }
    }
    return decided;
  }

  private ProducerRecord<String, byte[]> inboxRecord(
      DecidedEvent decided, Decision.Disclosed disclosed, String disclosureId, String key) {
    PlanHeaders grounds = byPlan.computeIfAbsent(disclosed.plan(), PlanHeaders::of);
    ViewCodec.Encoded view = codec.encode(disclosed.view());
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(grounds.topic, key, view.value());
    Headers headers = record.headers();
    header(headers, "disclosure-id", disclosureId);
    grounds.headers.forEach(headers::add);
    // Until when the recipient may keep it (docs/case-lifecycle.md).
    disclosed
        .plan()
        .retainUntil(decided.decidedAt())
        .ifPresent(until -> header(headers, "retain-until", until.toString()));
    header(
        headers,
        TraceContext.HEADER,
        decided.trace().traceparent(TraceContext.spanId(disclosureId)));
    headers.add(InboxViews.SCHEMA_ID_HEADER, view.schemaId());
    return record;
  }

  /**
   * The recipient's topic and the headers that every record disclosed under one plan carries alike.
   */
  private record PlanHeaders(String topic, List<Header> headers) {
    static PlanHeaders of(FieldPlan plan) {
      return new PlanHeaders(
          Topics.inbox(plan.key().recipient()),
          List.of(
              header("covenant-id", plan.covenant().id()),
              header("covenant-version", Integer.toString(plan.covenant().version())),
              header("covenant-hash", plan.covenant().contentHash()),
              header("rule-id", String.join(",", plan.ruleIds())),
              header("purpose", plan.key().purpose()),
              header("legal-basis", plan.legalBasis()),
              header("event-type", plan.key().eventType())));
    }
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void header(Headers headers, String name, String value) {
    headers.add(header(name, value));
  }
}
