package nl.covenanthub.hub.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.events.WebhookSignatures;
import nl.covenanthub.hub.http.InboxRecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One attempt to POST one inbox record to a partner's webhook: the record as JSON (its headers and
 * its view, nothing more than the covenant allows), signed per Standard Webhooks with the
 * disclosure id as {@code webhook-id}, and what came of it.
 */
final class WebhookSender {
  static final String DISCLOSURE_ID = "disclosure-id";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an attempt came to. */
  enum Outcome {
    /** 2xx. */
    DELIVERED,
    /** 5xx, 408, 429, a redirect, a timeout or no connection: try again later. */
    RETRY,
    /** Another 4xx, or a URL the guard refuses: trying again will not help. */
    REFUSED,
    /** 410: the endpoint is gone. */
    GONE
  }

  record Result(Outcome outcome, int status, String reason) {}

  private final URI url;
  private final List<String> secrets;
  private final EndpointGuard guard;
  private final InboxRecordJson json;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  WebhookSender(
      URI url,
      List<String> secrets,
      EndpointGuard guard,
      InboxRecordJson json,
      HttpClient http,
      Duration timeout,
      Clock clock) {
    this.url = url;
    this.secrets = List.copyOf(secrets);
    this.guard = guard;
    this.json = json;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  static String disclosureId(ConsumerRecord<String, byte[]> record) {
    Header id = record.headers().lastHeader(DISCLOSURE_ID);
    return id == null
        ? record.topic() + "-" + record.partition() + "@" + record.offset()
        : new String(id.value(), StandardCharsets.UTF_8);
  }

  /** The body a receiver gets: the event type, when it was sent, the headers and the view. */
  byte[] body(ConsumerRecord<String, byte[]> record, Instant at) throws IOException {
    Map<String, String> headers = json.headers(record);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", headers.getOrDefault("event-type", "unknown"));
    body.put("timestamp", at.toString());
    body.put("disclosureId", disclosureId(record));
    body.put("headers", headers);
    body.put("event", json.event(record));
    return JSON.writeValueAsBytes(body);
  }

  Result send(ConsumerRecord<String, byte[]> record) {
    try {
      guard.check(url);
    } catch (EndpointGuard.RefusedEndpoint e) {
      return new Result(Outcome.REFUSED, 0, e.getMessage());
    }
    Instant now = clock.instant();
    String id = disclosureId(record);
    byte[] body;
    try {
      body = body(record, now);
    } catch (IOException | RuntimeException e) {
      // The hub's own trouble (its view schema not readable yet, say), not the receiver's: again
      // later, and parked only when it lasts through the schedule.
      return new Result(
          Outcome.RETRY, 0, "the record cannot be read: " + e.getClass().getSimpleName());
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(WebhookSignatures.ID_HEADER, id)
            .header(WebhookSignatures.TIMESTAMP_HEADER, Long.toString(now.getEpochSecond()))
            .header(
                WebhookSignatures.SIGNATURE_HEADER,
                WebhookSignatures.sign(id, now.getEpochSecond(), body, secrets))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return classify(status);
    } catch (HttpTimeoutException e) {
      return new Result(Outcome.RETRY, 0, "no answer within " + timeout);
    } catch (IOException e) {
      return new Result(Outcome.RETRY, 0, "no connection (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.RETRY, 0, "interrupted");
    }
  }

  static Result classify(int status) {
    if (status >= 200 && status < 300) {
      return new Result(Outcome.DELIVERED, status, "");
    }
    if (status == 410) {
      return new Result(Outcome.GONE, status, "410 Gone");
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      return new Result(Outcome.REFUSED, status, "the endpoint refused it with " + status);
    }
    return new Result(Outcome.RETRY, status, "the endpoint answered " + status);
  }
}
