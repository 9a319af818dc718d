package nl.covenanthub.hub.disclosure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * W3C trace context. Continues the sender's trace when its record carries a traceparent; otherwise the
 * trace id is derived from the record's coordinates, so a redelivered event keeps its trace.
 */
public record TraceContext(String traceId) {
  public static final String HEADER = "traceparent";
  private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  public static TraceContext from(ConsumerRecord<?, ?> source) {
    Header header = source.headers().lastHeader(HEADER);
    if (header != null) {
      Matcher m = TRACEPARENT.matcher(new String(header.value(), StandardCharsets.US_ASCII));
      if (m.matches() && !m.group(1).equals("0".repeat(32))) {
        return new TraceContext(m.group(1));
      }
    }
    String coordinates = source.topic() + "/" + source.partition() + "/" + source.offset();
    return new TraceContext(hex(UUID.nameUUIDFromBytes(coordinates.getBytes(StandardCharsets.UTF_8))));
  }

  /** The span of one decision: taken from its disclosure id, so inbox header and audit record agree. */
  public static String spanId(String disclosureId) {
    return disclosureId.replace("-", "").substring(0, 16);
  }

  public String traceparent(String spanId) {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  private static String hex(UUID uuid) {
    return uuid.toString().replace("-", "");
  }
}
