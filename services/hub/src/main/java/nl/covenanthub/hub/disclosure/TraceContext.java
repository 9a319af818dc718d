package nl.covenanthub.hub.disclosure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * W3C trace context. Continues the sender's trace when its record carries a traceparent, and
 * remembers the sender's span (its parent-id), the action at the sender this decision answers;
 * otherwise the trace id is derived from the record's coordinates, so a redelivered event keeps its
 * trace, and there is no sender span.
 *
 * @param senderSpanId the parent-id of the sender's traceparent, or null
 */
public record TraceContext(String traceId, String senderSpanId) {
  public static final String HEADER = "traceparent";
  private static final String NO_TRACE = "0".repeat(32);
  private static final String NO_SPAN = "0".repeat(16);

  public static TraceContext from(ConsumerRecord<?, ?> source) {
    Header header = source.headers().lastHeader(HEADER);
    if (header != null) {
      String traceparent = new String(header.value(), StandardCharsets.US_ASCII);
      String traceId = traceId(traceparent);
      if (traceId != null) {
        return new TraceContext(traceId, traceparent.substring(36, 52));
      }
    }
    String coordinates = source.topic() + "/" + source.partition() + "/" + source.offset();
    return new TraceContext(hex(DisclosureIds.nameUuid(coordinates)), null);
  }

  /**
   * The span of one decision: taken from its disclosure id, so inbox header and audit record agree.
   */
  public static String spanId(String disclosureId) {
    return disclosureId.replace("-", "").substring(0, 16);
  }

  public String traceparent(String spanId) {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  /**
   * The trace id of a version-00 traceparent ({@code 00-<32 hex>-<16 hex>-<2 hex>}, neither id all
   * zeros), or null if it is not one.
   */
  static String traceId(String traceparent) {
    if (traceparent.length() != 55
        || !traceparent.startsWith("00-")
        || traceparent.charAt(35) != '-'
        || traceparent.charAt(52) != '-'
        || !lowerHex(traceparent, 3, 35)
        || !lowerHex(traceparent, 36, 52)
        || !lowerHex(traceparent, 53, 55)) {
      return null;
    }
    String traceId = traceparent.substring(3, 35);
    return traceId.equals(NO_TRACE) || traceparent.substring(36, 52).equals(NO_SPAN)
        ? null
        : traceId;
  }

  private static boolean lowerHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  private static String hex(UUID uuid) {
    return uuid.toString().replace("-", "");
  }
}
