package nl.covenanthub.covenant.cli;

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
import java.util.concurrent.Callable;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.CovenantValidator;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.EventJson;
import nl.covenanthub.covenant.EventSchema;
import nl.covenanthub.covenant.FieldPlan;
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

/** {@code covenant lint} and {@code covenant preview}: the covenant core from a shell. */
@Command(
    name = "covenant",
    mixinStandardHelpOptions = true,
    description =
        "Check covenants, preview what a recipient would receive, print the register of processing"
            + " activities.",
    subcommands = {CovenantCli.Lint.class, CovenantCli.Preview.class, CovenantCli.Register.class})
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
      KeyRing keys = previewKeys(err);
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
        EventSchema schema = eventType(catalog, json);
        record = EventJson.read(json, schema.avro());
      } catch (IllegalArgumentException e) {
        err.println(event + ": " + e.getMessage());
        return INVALID;
      }
      Decision decision = set.decide(from, to, purpose, record, moment);
      out.println(JSON.writeValueAsString(describe(decision)));
      return 0;
    }

    private EventSchema eventType(EventCatalog catalog, JsonNode json) {
      if (type != null) {
        return catalog
            .eventType(type)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown event type '" + type + "'; known: " + catalog.eventTypes()));
      }
      // The smallest event type that has every field the JSON has.
      return catalog.eventTypes().stream()
          .map(t -> catalog.eventType(t).orElseThrow())
          .filter(
              s -> iterable(json.fieldNames()).stream().allMatch(f -> s.avro().getField(f) != null))
          .min(Comparator.comparingInt(s -> s.avro().getFields().size()))
          .orElseThrow(
              () -> new IllegalArgumentException("matches no event type; name one with --type"));
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
      List<String> list = new ArrayList<>();
      names.forEachRemaining(list::add);
      return list;
    }

    /**
     * Keys from the environment; where one is missing, a random key for this preview only, said so.
     */
    private static KeyRing previewKeys(PrintWriter err) {
      KeyRing configured = KeyRing.fromEnvironment();
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      java.util.Set<String> noted = new java.util.HashSet<>();
      return ref -> {
        List<byte[]> versions = configured.versions(ref);
        if (versions.isEmpty() && noted.add(ref)) {
          err.println(
              "note: key '"
                  + ref
                  + "' is not configured; pseudonyms in this preview come from a random key");
        }
        return versions.isEmpty() ? List.of(random) : versions;
      };
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
