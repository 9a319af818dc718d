package nl.covenanthub.hub.writerschemas;

import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.events.WriterSchemas.Registration;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.http.PartnerIdentity;
import nl.covenanthub.hub.http.PartnerRateLimits;
import nl.covenanthub.hub.writerschemas.SchemaRegistration.Refused;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A partner's writer schemas over HTTP ({@code /api/partner/schemas}, with the partner's own
 * client-credentials token): register one (the body is the schema's JSON), list them, read one.
 * Registered: 201 with its fingerprint, 200 when it was registered before. Refused: an RFC 9457
 * problem with a {@code code}, 400 for a body that is no schema, 413 for one too large, 422 for a
 * schema the hub cannot take (with Avro's {@code problems} when resolution fails). Every request
 * counts against the partner's rate ({@link PartnerRateLimits}): each reads the schema topic.
 */
@RestController
class PartnerSchemaApi {
  static final String PATH = "/api/partner/schemas";

  private final SchemaRegistration registration;
  private final WriterSchemas schemas;
  private final WriterSchemaTopic topic;
  private final ActiveCovenants covenants;
  private final PartnerRateLimits limits;

  PartnerSchemaApi(
      SchemaRegistration registration,
      WriterSchemas schemas,
      WriterSchemaTopic topic,
      ActiveCovenants covenants,
      PartnerRateLimits limits) {
    this.limits = limits;
    this.registration = registration;
    this.schemas = schemas;
    this.topic = topic;
    this.covenants = covenants;
  }

  /** A registration as the partner sees it; {@code schema} is the JSON the hub keeps. */
  record RegistrationJson(
      String fingerprint,
      String eventType,
      String partner,
      Instant registeredAt,
      @JsonRawValue String schema) {
    static RegistrationJson of(Registration r) {
      return new RegistrationJson(
          r.fingerprint(), r.eventType(), r.partner(), r.registeredAt(), r.schema());
    }
  }

  @PostMapping(PATH)
  ResponseEntity<Object> register(Authentication authentication, HttpServletRequest request)
      throws IOException {
    String partner = partner(authentication);
    byte[] body = request.getInputStream().readNBytes((int) registration.maxSize() + 1);
    SchemaRegistration.Result result = registration.register(partner, body);
    if (!(result instanceof SchemaRegistration.Registered registered)) {
      return problem((Refused) result);
    }
    RegistrationJson json = RegistrationJson.of(registered.registration());
    return registered.created()
        ? ResponseEntity.created(URI.create(PATH + "/" + json.fingerprint())).body(json)
        : ResponseEntity.ok(json);
  }

  @GetMapping(PATH)
  List<RegistrationJson> registered(Authentication authentication) {
    String partner = partner(authentication);
    topic.readToEnd();
    return schemas.of(partner).stream().map(RegistrationJson::of).toList();
  }

  @GetMapping(PATH + "/{fingerprint}")
  ResponseEntity<Object> registration(
      Authentication authentication, @PathVariable String fingerprint) {
    String partner = partner(authentication);
    topic.readToEnd();
    return schemas
        .registered(partner, fingerprint)
        .<ResponseEntity<Object>>map(r -> ResponseEntity.ok(RegistrationJson.of(r)))
        .orElseGet(
            () ->
                ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(
                        problem(
                            HttpStatus.NOT_FOUND,
                            "not-registered",
                            "you registered no writer schema with this fingerprint")));
  }

  @ExceptionHandler(WriterSchemaTopic.Unavailable.class)
  ResponseEntity<ProblemDetail> unavailable(WriterSchemaTopic.Unavailable e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                "unavailable",
                "the hub cannot reach its schema registrations now; try again"));
  }

  /** The partner of the request, which counts against its rate (a 429 beyond it). */
  private String partner(Authentication authentication) {
    String partner = PartnerIdentity.required(authentication, covenants.partners());
    limits.count(partner);
    return partner;
  }

  private ResponseEntity<Object> problem(Refused refused) {
    HttpStatus status =
        switch (refused.reason()) {
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case NOT_A_SCHEMA -> HttpStatus.BAD_REQUEST;
          case NOT_A_RECORD, UNKNOWN_EVENT_TYPE, INCOMPATIBLE, TOO_MANY ->
              HttpStatus.UNPROCESSABLE_CONTENT;
        };
    ProblemDetail problem =
        problem(status, refused.reason().name().toLowerCase().replace('_', '-'), refused.detail());
    refused.eventType().ifPresent(type -> problem.setProperty("eventType", type));
    if (refused.reason() == SchemaRegistration.Reason.UNKNOWN_EVENT_TYPE) {
      problem.setProperty("eventTypes", registration.eventTypes());
    }
    if (!refused.problems().isEmpty()) {
      problem.setProperty(
          "problems",
          refused.problems().stream()
              .map(
                  p ->
                      Map.of(
                          "kind", p.kind(),
                          "field", p.field(),
                          "location", p.location(),
                          "message", p.message()))
              .toList());
    }
    return ResponseEntity.status(status).body(problem);
  }

  private static ProblemDetail problem(HttpStatus status, String code, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setProperty("code", code);
    return problem;
  }
}
