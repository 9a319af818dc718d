package nl.covenanthub.hub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import nl.covenanthub.covenant.EventJson;
import nl.covenanthub.events.InboxViews;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An inbox record as a partner receives it over HTTP (pulled or by webhook): its headers as they
 * are on Kafka, and its view (only the fields the covenant let through) as plain JSON in the form a
 * partner publishes in. Maps and lists, so any JSON writer writes them the same.
 */
public final class InboxRecordJson implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final InboxViews views;

  public InboxRecordJson(InboxViews views) {
    this.views = views;
  }

  /** Closes the views' Kafka consumer. */
  @Override
  public void close() {
    views.close();
  }

  public Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> event(ConsumerRecord<String, byte[]> record) {
    return MAPPER.convertValue(
        EventJson.write(views.decode(record.headers(), record.value())), Map.class);
  }
}
