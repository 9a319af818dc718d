package nl.covenanthub.hub.writerschemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.WriterCompatibility;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.events.WriterSchemas.Registration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.springframework.stereotype.Component;

/**
 * A partner registers a writer schema of an event type: the hub takes it when Avro resolves it into
 * the hub's own schema of that type, and refuses it with the reason otherwise. Registering the same
 * schema again changes nothing. Refusals quote no text of the request: a parser's message may quote
 * the body, so only its line and column are told.
 */
@Component
public class SchemaRegistration {
  /** What became of a registration. */
  public sealed interface Result permits Registered, Refused {}

  /**
   * The partner's registration.
   *
   * @param created whether this request registered it, not an earlier one
   */
  public record Registered(Registration registration, boolean created) implements Result {}

  /** Why a schema was not registered. */
  public enum Reason {
    TOO_LARGE,
    NOT_A_SCHEMA,
    NOT_A_RECORD,
    UNKNOWN_EVENT_TYPE,
    INCOMPATIBLE,
    TOO_MANY
  }

  /**
   * A refusal.
   *
   * @param eventType the hub's event type the schema was checked against, if it names one
   * @param problems why Avro cannot resolve it, for {@link Reason#INCOMPATIBLE}
   */
  public record Refused(
      Reason reason,
      String detail,
      Optional<String> eventType,
      List<WriterCompatibility.Problem> problems)
      implements Result, Checked {
    static Refused because(Reason reason, String detail) {
      return new Refused(reason, detail, Optional.empty(), List.of());
    }
  }

  private final WriterSchemas schemas;
  private final WriterSchemaTopic topic;
  private final Clock clock;
  private final WriterSchemaProperties properties;

  public SchemaRegistration(
      WriterSchemas schemas,
      WriterSchemaTopic topic,
      Clock clock,
      WriterSchemaProperties properties) {
    this.schemas = schemas;
    this.topic = topic;
    this.clock = clock;
    this.properties = properties;
  }

  /** The largest body {@link #register} takes. */
  public long maxSize() {
    return properties.maxSize().toBytes();
  }

  /**
   * Registers the Avro schema (JSON) in {@code body} for {@code partner}.
   *
   * @throws WriterSchemaTopic.Unavailable if the registrations cannot be read or written now
   */
  public Result register(String partner, byte[] body) {
    if (body.length > maxSize()) {
      return Refused.because(
          Reason.TOO_LARGE, "a schema may be at most " + properties.maxSize() + " of JSON");
    }
    Checked checked = checked(body, schemas);
    return checked instanceof Compatible compatible
        ? registered(partner, compatible.writer(), compatible.canonical())
        : (Refused) checked;
  }

  /** What {@link #checked} makes of a body. */
  sealed interface Checked permits Compatible, Refused {}

  /**
   * A schema Avro resolves into the hub's own schema of its name.
   *
   * @param canonical its parsing canonical form: what is registered and fingerprinted
   */
  record Compatible(Schema writer, String canonical) implements Checked {}

  /**
   * The Avro schema (JSON) in {@code body} checked against the hub's {@code schemas}: compatible,
   * or refused with the reason; never an exception. Pure, so that it can be fuzzed ({@code
   * SchemaRegistrationFuzzTest}).
   */
  static Checked checked(byte[] body, WriterSchemas schemas) {
    String canonical;
    Schema writer;
    try {
      // What the fingerprint is taken over, and all that resolution reads of a writer schema:
      // names, types and order. Documentation, defaults and other attributes are not kept.
      canonical =
          SchemaNormalization.toParsingForm(
              new Schema.Parser().parse(new String(body, StandardCharsets.UTF_8)));
      writer = new Schema.Parser().parse(canonical);
    } catch (RuntimeException | StackOverflowError e) {
      return Refused.because(Reason.NOT_A_SCHEMA, notASchema(e));
    }
    WriterCompatibility.Verdict verdict = schemas.check(writer);
    return verdict.compatible() ? new Compatible(writer, canonical) : refused(verdict, schemas);
  }

  /** Registers a compatible schema, unless the partner registered it before. */
  private Result registered(String partner, Schema writer, String canonical) {
    String fingerprint = SingleObjectDecoder.fingerprint(writer);
    topic.readToEnd();
    Optional<Registration> before = schemas.registered(partner, fingerprint);
    if (before.isPresent()) {
      return new Registered(before.get(), false);
    }
    if (schemas.of(partner).size() >= properties.maxPerPartner()) {
      return Refused.because(
          Reason.TOO_MANY,
          "a partner may register at most "
              + properties.maxPerPartner()
              + " writer schemas (hub.writer-schemas.max-per-partner)");
    }
    Registration registration =
        new Registration(partner, fingerprint, writer.getFullName(), clock.instant(), canonical);
    topic.append(registration);
    return new Registered(schemas.registered(partner, fingerprint).orElse(registration), true);
  }

  private static Refused refused(WriterCompatibility.Verdict verdict, WriterSchemas schemas) {
    return switch (verdict.outcome()) {
      case NOT_A_RECORD ->
          Refused.because(
              Reason.NOT_A_RECORD, "an event schema is a record, with the event type as its name");
      case UNKNOWN_EVENT_TYPE ->
          Refused.because(
              Reason.UNKNOWN_EVENT_TYPE,
              "the record's full name is none of the hub's event types " + schemas.eventTypes());
      case COMPATIBLE -> throw new IllegalArgumentException("a compatible schema is not refused");
      case INCOMPATIBLE -> {
        String eventType = verdict.reader().orElseThrow().getFullName();
        yield new Refused(
            Reason.INCOMPATIBLE,
            "the hub cannot read events written with this schema as its "
                + eventType
                + ": Avro schema resolution fails",
            Optional.of(eventType),
            verdict.problems());
      }
    };
  }

  /** The hub's event types, by the full names a writer schema must have. */
  public List<String> eventTypes() {
    return schemas.eventTypes();
  }

  private static String notASchema(Throwable e) {
    String detail = "the body is not an Avro schema in JSON";
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
        JsonLocation at = json.getLocation();
        return detail
            + " (the JSON breaks off at line "
            + at.getLineNr()
            + ", column "
            + at.getColumnNr()
            + ")";
      }
    }
    return detail + " (it is JSON, but Avro's parser does not take it as a schema)";
  }
}
