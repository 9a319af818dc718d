package nl.covenanthub.covenant.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.CovenantValidator;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.EventJson;
import nl.covenanthub.covenant.EventSchema;
import nl.covenanthub.covenant.FieldPlan;
import nl.covenanthub.covenant.ImpactPreview;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.covenant.Problem;
import nl.covenanthub.covenant.ProcessingRegister;
import nl.covenanthub.covenant.Validity;
import org.apache.avro.generic.GenericData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code covenant lint}, {@code preview}, {@code diff} and {@code register}: the covenant core from
 * a shell.
 */
@Command(
    name = "covenant",
    mixinStandardHelpOptions = true,
    description =
        "Check covenants, preview what a recipient would receive, show what a new covenant version"
            + " would change, print the register of processing activities.",
    subcommands = {
      CovenantCli.Lint.class,
      CovenantCli.Preview.class,
      CovenantCli.Diff.class,
      CovenantCli.Register.class
    })
public final class CovenantCli {
  static final int INVALID = 1;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new CovenantCli());
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      description =
          "Validate covenant files. Exit 0 if all are valid; otherwise print each problem as FILE:LINE: message and exit 1.")
  static final class Lint implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Covenant YAML files.")
    List<Path> files;

    @Option(
        names = "--today",
        description = "Judge validity periods on this day instead of today (YYYY-MM-DD).")
    LocalDate today;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      EventCatalog catalog = EventCatalog.standard();
      CovenantValidator validator = new CovenantValidator(catalog);
      LocalDate day = today != null ? today : LocalDate.now(Validity.ZONE);
      List<Problem> problems = new ArrayList<>();
      List<LoadedCovenant> valid = new ArrayList<>();
      for (Path file : files) {
        try {
          LoadedCovenant loaded = CovenantLoader.load(file);
          List<Problem> found = validator.validate(loaded, day);
          problems.addAll(found);
          if (found.isEmpty()) {
            valid.add(loaded);
          }
        } catch (CovenantException e) {
          problems.addAll(e.problems());
        }
      }
      problems.addAll(CovenantValidator.validateTogether(valid));
      PrintWriter out = spec.commandLine().getOut();
      problems.stream().sorted().forEach(p -> out.println(p));
      if (problems.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(files.size() + (files.size() == 1 ? " covenant" : " covenants") + " valid");
        return 0;
      }
      return INVALID;
    }
  }

  /**
   * Keys from the environment; where one is missing, a random key for this run only, of which
   * {@code onRandom} is told once per reference.
   */
  static KeyRing previewKeys(Consumer<String> onRandom) {
    KeyRing configured = KeyRing.fromEnvironment();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Set<String> noted = ConcurrentHashMap.newKeySet();
    return ref -> {
      List<byte[]> versions = configured.versions(ref);
      if (versions.isEmpty() && noted.add(ref)) {
        onRandom.accept(ref);
      }
      return versions.isEmpty() ? List.of(random) : versions;
    };
  }

  /**
   * The event type {@code type} names, or, if null, the smallest one that has every field the JSON
   * has; {@code option} is where the user names a type, for the message.
   */
  static EventSchema eventType(EventCatalog catalog, String type, JsonNode json, String option) {
    if (type != null) {
      return catalog
          .eventType(type)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "unknown event type '" + type + "'; known: " + catalog.eventTypes()));
    }
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return catalog.eventTypes().stream()
        .map(t -> catalog.eventType(t).orElseThrow())
        .filter(s -> names.stream().allMatch(f -> s.avro().getField(f) != null))
        .min(Comparator.comparingInt(s -> s.avro().getFields().size()))
        .orElseThrow(
            () -> new IllegalArgumentException("matches no event type; name one with " + option));
  }

  /** The covenant files in {@code directory}, in name order. */
  static List<Path> covenantFiles(Path directory, CommandLine.Model.CommandSpec spec)
      throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "no covenant directory " + directory);
    }
    return CovenantLoader.filesIn(directory);
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = {
        "Show what NEW.yaml, replacing OLD.yaml, would change: per sender -> recipient, purpose and"
            + " event type, per field, what the recipient receives under each (wider, narrower or"
            + " changed), and, with --events, the replay of sample events through both: per field"
            + " how many events disclose it, which events change decision, and a few examples with"
            + " their values masked.",
        "Each file in the events directory (*.json) is one event in an envelope:"
            + " {\"sender\": PARTY, \"purpose\": PURPOSE, \"type\": EVENT-TYPE (optional),"
            + " \"event\": {the event as plain JSON, as preview takes it}}. A file that does not"
            + " fit is reported by name and skipped."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:no difference in what any recipient receives",
        "1:a covenant file is invalid (each problem printed as FILE:LINE: message)",
        "2:wrong usage",
        "3:the new version widens a disclosure: every sender it widens must accept it",
        "4:differences, none wider (narrower or changed only)"
      })
  static final class Diff implements Callable<Integer> {
    static final int WIDER = 3;
    static final int NOT_WIDER = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENVELOPE = Set.of("sender", "purpose", "type", "event");

    @Parameters(index = "0", paramLabel = "OLD.yaml", description = "The active covenant version.")
    Path active;

    @Parameters(index = "1", paramLabel = "NEW.yaml", description = "The proposed version.")
    Path proposed;

    @Option(
        names = "--events",
        paramLabel = "DIR",
        description = "Directory of sample events (*.json, each in an envelope) to replay.")
    Path events;

    @Option(
        names = "--at",
        paramLabel = "INSTANT",
        description = "Decide the replay as at this moment (ISO instant) instead of now.")
    Instant at;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (events != null && !Files.isDirectory(events)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no events directory " + events);
      }
      Instant moment = at != null ? at : Instant.now();
      Clock clock = Clock.fixed(moment, java.time.ZoneOffset.UTC);
      EventCatalog catalog = EventCatalog.standard();
      List<Problem> problems = new ArrayList<>();
      LoadedCovenant before = load(active, problems);
      LoadedCovenant after = load(proposed, problems);
      CovenantSet activeSet = null;
      CovenantSet proposedSet = null;
      try {
        // Pseudonyms are never shown, so a random key is as good as the real one here.
        KeyRing keys = previewKeys(ref -> {});
        if (before != null) {
          // The active version may have ended: it still is what the proposal is compared to.
          activeSet = compile(before, catalog, keys, clock, CovenantSet.Ended.INACTIVE, problems);
        }
        if (after != null) {
          proposedSet = compile(after, catalog, keys, clock, CovenantSet.Ended.REFUSED, problems);
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        err.println("covenant: " + e.getMessage());
        return INVALID;
      }
      if (!problems.isEmpty()) {
        problems.stream().sorted().forEach(out::println);
        return INVALID;
      }
      List<ImpactPreview.Sample> samples = new ArrayList<>();
      int skipped = 0;
      if (events != null) {
        List<Path> files;
        try (java.util.stream.Stream<Path> listed = Files.list(events)) {
          files = listed.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
          err.println("note: no *.json event files in " + events);
        }
        for (Path file : files) {
          try {
            samples.add(sample(file, catalog));
          } catch (IllegalArgumentException e) {
            err.println(file + ": " + e.getMessage() + "; skipped");
            skipped++;
          }
        }
      }
      ImpactPreview preview = ImpactPreview.of(activeSet, proposedSet, samples, moment);
      out.println(
          preview.summary()
              + (skipped > 0
                  ? "; event files skipped: " + skipped + " (see the messages above)"
                  : ""));
      out.print(preview.details());
      out.flush();
      Optional<ImpactPreview.Impact> impact = preview.impact();
      if (impact.isEmpty()) {
        return 0;
      }
      return impact.get() == ImpactPreview.Impact.WIDER ? WIDER : NOT_WIDER;
    }

    private static LoadedCovenant load(Path file, List<Problem> problems) {
      try {
        return CovenantLoader.load(file);
      } catch (CovenantException e) {
        problems.addAll(e.problems());
        return null;
      }
    }

    private static CovenantSet compile(
        LoadedCovenant covenant,
        EventCatalog catalog,
        KeyRing keys,
        Clock clock,
        CovenantSet.Ended ended,
        List<Problem> problems) {
      try {
        return CovenantSet.compile(List.of(covenant), catalog, keys, clock, ended);
      } catch (CovenantException e) {
        problems.addAll(e.problems());
        return null;
      }
    }

    /**
     * One sample from its envelope; an {@link IllegalArgumentException} says why it does not fit,
     * with every value of the event in it masked.
     */
    private static ImpactPreview.Sample sample(Path file, EventCatalog catalog) {
      JsonNode envelope;
      try {
        envelope = JSON.readTree(file.toFile());
      } catch (JsonProcessingException e) {
        // Jackson's own message quotes the text it choked on: only where, never what.
        JsonLocation where = e.getLocation();
        throw new IllegalArgumentException(
            "not valid JSON"
                + (where != null
                    ? " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"
                    : ""));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot be read: " + e.getClass().getSimpleName());
      }
      if (envelope == null || !envelope.isObject()) {
        throw new IllegalArgumentException(
            "must be an envelope object {\"sender\", \"purpose\", \"type\", \"event\"}");
      }
      List<String> keys = new ArrayList<>();
      envelope.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        if (!ENVELOPE.contains(key)) {
          throw new IllegalArgumentException(
              "the envelope has no key '" + key + "'; it has sender, purpose, type and event");
        }
      }
      String sender = text(envelope, "sender");
      String purpose = text(envelope, "purpose");
      JsonNode event = envelope.get("event");
      if (event == null || !event.isObject()) {
        throw new IllegalArgumentException("the envelope's event must be an object");
      }
      JsonNode type = envelope.get("type");
      if (type != null && !type.isTextual()) {
        throw new IllegalArgumentException("the envelope's type must be text");
      }
      try {
        EventSchema schema =
            eventType(catalog, type != null ? type.asText() : null, event, "\"type\"");
        return new ImpactPreview.Sample(
            file.getFileName().toString(), sender, purpose, EventJson.read(event, schema.avro()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(masked(e.getMessage(), event));
      }
    }

    private static String text(JsonNode envelope, String key) {
      JsonNode value = envelope.get(key);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        throw new IllegalArgumentException("the envelope's " + key + " must be text");
      }
      return value.asText();
    }

    /** {@code message} with every value of {@code event} in it masked: an error may quote one. */
    static String masked(String message, JsonNode event) {
      Set<String> values =
          new java.util.TreeSet<>(
              Comparator.comparingInt(String::length)
                  .reversed()
                  .thenComparing(Comparator.naturalOrder()));
      collectValues(event, values);
      String result = message;
      for (String value : values) {
        if (value.length() >= 3) {
          result = result.replace(value, ImpactPreview.mask(value));
        }
      }
      return result;
    }

    private static void collectValues(JsonNode node, Set<String> values) {
      if (node.isContainerNode()) {
        node.forEach(child -> collectValues(child, values));
      } else if (!node.isNull()) {
        values.add(node.asText());
      }
    }
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Print the register of processing activities (AVG art. 30) the covenants imply, as JSON:"
              + " per covenant version and purpose its id, controllers, data subjects, categories"
              + " of data, recipients, legal bases and retention. Exit 1 if a covenant is invalid.")
  static final class Register implements Callable<Integer> {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(
        names = "--covenants",
        defaultValue = "covenants",
        description = "Directory of covenant YAML files (default: ${DEFAULT-VALUE}).")
    Path covenants;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (!Files.isDirectory(covenants)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "no covenant directory " + covenants);
      }
      ProcessingRegister.Loaded register =
          ProcessingRegister.fromDirectory(
              covenants, EventCatalog.standard(), LocalDate.now(Validity.ZONE));
      if (!register.problems().isEmpty()) {
        register.problems().stream().sorted().forEach(spec.commandLine().getErr()::println);
        return INVALID;
      }
      spec.commandLine().getOut().println(JSON.writeValueAsString(register.activities()));
      return 0;
    }
  }

  @Command(
      name = "preview",
      mixinStandardHelpOptions = true,
      description =
          "Print what the recipient would receive of an event (JSON), with the rule and legal basis "
              + "that applied, or why it is withheld.")
  static final class Preview implements Callable<Integer> {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--from", required = true, description = "Sending partner id.")
    String from;

    @Option(names = "--to", required = true, description = "Receiving partner id.")
    String to;

    @Option(names = "--purpose", required = true, description = "Purpose id.")
    String purpose;

    @Option(
        names = "--type",
        description =
            "Event type (CaseSignal, CaseStatusChange, CaseReference); guessed from the fields if left out.")
    String type;

    @Option(
        names = "--covenants",
        defaultValue = "covenants",
        description = "Directory of covenant YAML files (default: ${DEFAULT-VALUE}).")
    Path covenants;

    @Option(names = "--at", description = "Decide as at this moment (ISO instant) instead of now.")
    Instant at;

    @Parameters(index = "0", paramLabel = "EVENT.json", description = "The event as plain JSON.")
    Path event;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Instant moment = at != null ? at : Instant.now();
      EventCatalog catalog = EventCatalog.standard();
      KeyRing keys =
          previewKeys(
              ref ->
                  err.println(
                      "note: key '"
                          + ref
                          + "' is not configured; pseudonyms in this preview come from a random"
                          + " key"));
      CovenantSet set;
      try {
        // Compiled as today, decided at --at: an ended covenant shows as not in force, not as
        // invalid.
        set = CovenantSet.load(covenantFiles(covenants, spec), catalog, keys, Clock.systemUTC());
      } catch (CovenantException e) {
        e.problems().forEach(err::println);
        return INVALID;
      } catch (IllegalArgumentException | IllegalStateException e) {
        err.println("covenant: " + e.getMessage());
        return INVALID;
      }
      JsonNode json = JSON.readTree(event.toFile());
      GenericData.Record record;
      try {
        EventSchema schema = eventType(catalog, type, json, "--type");
        record = EventJson.read(json, schema.avro());
      } catch (IllegalArgumentException e) {
        err.println(event + ": " + e.getMessage());
        return INVALID;
      }
      Decision decision = set.decide(from, to, purpose, record, moment);
      out.println(JSON.writeValueAsString(describe(decision)));
      return 0;
    }

    private static ObjectNode describe(Decision decision) {
      ObjectNode node = JSON.createObjectNode();
      node.put("decision", decision.outcome());
      node.put("from", decision.key().sender());
      node.put("to", decision.key().recipient());
      node.put("purpose", decision.key().purpose());
      node.put("eventType", decision.key().eventType());
      if (decision instanceof Decision.Disclosed disclosed) {
        FieldPlan plan = disclosed.plan();
        node.put("covenant", plan.covenant().id() + " v" + plan.covenant().version());
        node.putPOJO("rules", plan.ruleIds());
        node.put("legalBasis", plan.legalBasis());
        node.put("retention", String.valueOf(plan.retention()));
        ObjectNode fields = node.putObject("fields");
        plan.treatments().forEach(fields::put);
        node.putPOJO("withheld", plan.withheldFields());
        node.set("view", EventJson.write(disclosed.view()));
      } else if (decision instanceof Decision.Withheld withheld) {
        withheld.covenant().ifPresent(c -> node.put("covenant", c.id() + " v" + c.version()));
        node.put("reason", withheld.reason().name());
        node.put("detail", withheld.detail());
      }
      return node;
    }
  }
}
