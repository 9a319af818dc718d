package nl.covenanthub.hub.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.http.IdempotencyKeys.Claim;
import nl.covenanthub.hub.http.IdempotencyKeys.Remembered;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner publishes a case event over HTTPS: {@code POST /api/partner/events/{type}} with the
 * event as JSON and an {@code Idempotency-Key}. The sender is the token's client, never the body.
 * The body is checked against the event type's Avro schema (every bad field named, no value
 * quoted), then written to the partner's own outbox, so it takes exactly the path of an event
 * published on Kafka; the answer (202) comes once the broker has it. A retry with the same key and
 * body gets the first answer; the key with another body is refused (422), and while the first
 * request runs a second gets 409.
 */
@RestController
class EventIngress {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final int MAX_KEY_LENGTH = 255;

  private final ActiveCovenants covenants;

  /** What a partner may publish, by name ({@link EventBodies#eventTypes}). */
  private final Map<String, Schema> eventTypes;

  private final IdempotencyKeys keys;
  private final PartnerRateLimits limits;
  private final KafkaTemplate<String, byte[]> kafka;
  private final long maxBytes;
  private final Clock clock;

  EventIngress(
      ActiveCovenants covenants,
      EventCatalog catalog,
      IdempotencyKeys keys,
      PartnerRateLimits limits,
      KafkaTemplate<String, byte[]> kafka,
      HubProperties properties,
      Clock clock) {
    this.covenants = covenants;
    this.eventTypes = EventBodies.eventTypes(catalog);
    this.keys = keys;
    this.limits = limits;
    this.kafka = kafka;
    this.maxBytes = properties.maxEventSize().toBytes();
    this.clock = clock;
  }

  /** The answer: the event's id, as the hub will audit it. */
  record Accepted(String eventId) {}

  @PostMapping("/api/partner/events/{type}")
  ResponseEntity<?> publish(
      @PathVariable String type,
      @RequestHeader(value = IDEMPOTENCY_KEY, required = false) String key,
      HttpServletRequest request,
      Authentication authentication)
      throws IOException {
    String partner = PartnerIdentity.required(authentication, covenants.partners());
    limits.count(partner);
    byte[] body = boundedBody(request);
    if (body == null) {
      return Problems.of(
          HttpStatus.CONTENT_TOO_LARGE, "the event is larger than " + maxBytes + " bytes");
    }
    if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "the header " + IDEMPOTENCY_KEY + " is required (1 to 255 characters)");
    }
    Schema schema = eventTypes.get(type);
    if (schema == null) {
      return Problems.of(
          HttpStatus.NOT_FOUND, "no event type of that name; the types are " + eventTypes.keySet());
    }
    EventBodies.Body read = EventBodies.read(body, schema, partner);
    if (read instanceof EventBodies.Refused refused) {
      return refused(refused);
    }
    GenericData.Record record = ((EventBodies.Event) read).record();
    String fingerprint = fingerprint(type, body);
    Claim claim = keys.claim(partner, key, fingerprint);
    if (claim instanceof Claim.Replay replay) {
      return ResponseEntity.accepted()
          .header("Idempotent-Replayed", "true")
          .body(new Accepted(replay.first().eventId()));
    }
    if (claim instanceof Claim.Reused) {
      return Problems.of(
          HttpStatus.UNPROCESSABLE_CONTENT,
          "this " + IDEMPOTENCY_KEY + " was used for another request");
    }
    if (claim instanceof Claim.InProgress) {
      return Problems.of(
          HttpStatus.CONFLICT,
          "the first request with this " + IDEMPOTENCY_KEY + " is still being processed");
    }
    return publish(partner, record, (Claim.Fresh) claim, fingerprint);
  }

  /** The outbox record and the remembered key, in one transaction; answered once it commits. */
  private ResponseEntity<?> publish(
      String partner, GenericRecord record, Claim.Fresh claim, String fingerprint) {
    String eventId = record.get("eventId").toString();
    Remembered first = new Remembered(fingerprint, eventId, clock.millis());
    ProducerRecord<String, byte[]> outbox =
        new ProducerRecord<>(
            Topics.outbox(partner),
            record.get("caseReference").toString(),
            EventBodies.encoded(record));
    try {
      kafka.executeInTransaction(
          operations -> {
            operations.send(outbox);
            operations.send(keys.record(claim, first));
            return null;
          });
    } catch (RuntimeException e) {
      keys.released(claim);
      throw e;
    }
    keys.committed(claim, first);
    return ResponseEntity.accepted().body(new Accepted(eventId));
  }

  /** The body, or null when it is larger than an event may be. */
  private byte[] boundedBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxBytes) {
      return null;
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) maxBytes + 1);
      return body.length > maxBytes ? null : body;
    }
  }

  private static String fingerprint(String type, byte[] body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(type.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      return HexFormat.of().formatHex(sha256.digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A 400 that says what is wrong, and where when the JSON has the wrong shape. */
  private static ResponseEntity<?> refused(EventBodies.Refused refused) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, refused.detail());
    if (!refused.errors().isEmpty()) {
      problem.setProperty(
          "errors",
          refused.errors().stream()
              .map(p -> Map.of("field", p.path(), "detail", p.problem()))
              .toList());
    }
    return ResponseEntity.badRequest().body(problem);
  }
}
