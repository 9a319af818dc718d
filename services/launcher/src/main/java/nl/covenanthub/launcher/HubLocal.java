package nl.covenanthub.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.covenanthub.devkit.Await;
import nl.covenanthub.devkit.Directories;
import nl.covenanthub.devkit.Repository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/hub-local}: the local stack, started, watched and stopped; or one of its processes, on
 * request.
 */
@Command(
    name = "hub-local",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs the hub with its embedded defaults: a real Keycloak (org.keycloak:keycloak-quarkus-dist) with the demo"
          + " realm of infra/keycloak/, a real single-node Kafka broker (KRaft) where every client logs in with a"
          + " token of that realm and the ACLs of infra/kafka/acls.yaml hold each to its own topics, PostgreSQL"
          + " for the console, the hub with the covenants in covenants/, the console, and with --demo simulated"
          + " partners. Ctrl-C stops everything it started.",
      "",
      "State and logs are kept in the state directory (.local/): kafka/ (the broker's data), keycloak/ (the"
          + " extracted server; its database is in memory), console/ (the console's PostgreSQL), logs/ (one log"
          + " per process).",
      "",
      "Environment: KEYCLOAK_ISSUER uses that realm instead of starting Keycloak; KAFKA_BOOTSTRAP_SERVERS uses"
          + " that broker instead of starting one; HUB_COVENANTS (covenants/); COVENANT_KEY_SUBJECT_KEY or"
          + " COVENANT_KEYS_DIR (else a public LOCAL DEMO key); KAFKA_CLIENT_SECRET (the hub's),"
          + " CONSOLE_KAFKA_CLIENT_SECRET, CONSOLE_WEB_CLIENT_SECRET and KAFKA_CLIENT_SECRET_<PARTNER> (else the"
          + " realm file's demo secrets)."
    },
    subcommands = {HubLocal.Status.class, HubLocal.Stop.class, HubLocal.Start.class})
public final class HubLocal implements Callable<Integer> {
  private static final Duration WATCH_EVERY = Duration.ofMillis(500);

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "show this help and exit")
  boolean help;

  @Option(
      names = "--demo",
      description = "run simulated partners that publish an event every two seconds")
  boolean demo;

  @Option(
      names = "--count",
      paramLabel = "N",
      description =
          "publish N demo events (implies --demo), wait until each is decided and delivered and the console"
              + " has indexed every audit record of the run, and stop")
  int count;

  @Option(
      names = "--fresh",
      description = "wipe the broker's data, the console's index and the logs first")
  boolean fresh;

  @Option(
      names = "--hubs",
      paramLabel = "N",
      description = "hub instances to run (default ${DEFAULT-VALUE}): hub, hub-2, …",
      defaultValue = "1")
  int hubs;

  @Option(
      names = "--only",
      paramLabel = "NAME",
      split = ",",
      description =
          "run only these processes (keycloak, broker, postgres, hub, hub-2…, console, demo), e.g. --only"
              + " keycloak,broker to run the rest yourself")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "where state and logs are kept (default: .local in the checkout)")
  Path stateDir;

  @Option(
      names = "--keycloak-port",
      paramLabel = "PORT",
      defaultValue = "8180",
      description = "(${DEFAULT-VALUE})")
  int keycloakPort;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description =
          "the broker's clients; PORT+1 its controller, PORT+2 its super user (${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(
      names = "--hub-port",
      paramLabel = "PORT",
      defaultValue = "${env:HUB_PORT:-8080}",
      description = "the first hub; hub-N listens on PORT+N (HUB_PORT, ${DEFAULT-VALUE})")
  int hubPort;

  @Option(
      names = "--console-port",
      paramLabel = "PORT",
      defaultValue = "${env:CONSOLE_PORT:-8081}",
      description = "(CONSOLE_PORT, ${DEFAULT-VALUE})")
  int consolePort;

  @Option(
      names = "--webhook-port",
      paramLabel = "PORT",
      defaultValue = "8090",
      description =
          "the demo's Veilig Thuis receives its inbox by webhook here too (${DEFAULT-VALUE})")
  int webhookPort;

  @Option(
      names = "--postgres-port",
      paramLabel = "PORT",
      defaultValue = "5433",
      description = "(${DEFAULT-VALUE})")
  int postgresPort;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    // A refusal (a port in use, a missing jar) is one clear line, not a stack trace.
    return new CommandLine(new HubLocal())
        .setExecutionExceptionHandler(
            (e, commandLine, parsed) -> {
              commandLine.getErr().println("[hub-local] error: " + e.getMessage());
              return 1;
            });
  }

  @Override
  public Integer call() throws IOException {
    Path root = Repository.root();
    Say say = new Say(root);
    LocalSettings settings = settings(root, System.getenv());
    // The launcher's own library logs (log4j2.xml) go there, not to the terminal.
    System.setProperty("hub-local.logs", settings.logs().toString());
    if (fresh) {
      say.line(
          "--fresh: wiping the broker's data, the console's index and the logs in "
              + say.relative(settings.stateDir()));
      Directories.deleteTree(settings.kafkaDir().resolve("data"));
      Directories.deleteTree(settings.consoleDir());
      Directories.deleteTree(settings.logs());
    }
    if (!settings.hasOwnKey()) {
      say.line(
          "note: pseudonymising with the LOCAL DEMO KEY of bin/hub-local, which is public: never use it for real data");
      say.line("      (set COVENANT_KEY_SUBJECT_KEY or COVENANT_KEYS_DIR for a key of your own)");
    }
    LocalStack local = new LocalStack(settings, say);
    Stack stack = local.stack();
    for (Service service : stack.services()) {
      Files.deleteIfExists(service.log()); // each log holds this run (and its restarts on request)
    }
    stack.requireFreePorts();
    ControlSocket control =
        ControlSocket.open(settings.stateDir().resolve(ControlSocket.FILE_NAME), stack);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  control.close();
                  stack.close();
                },
                "hub-local-stop"));
    Instant runStarted = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try {
      stack.startAll();
    } catch (RuntimeException e) {
      if (stack.closing()) {
        return 130; // Ctrl-C while starting
      }
      say.error(e.getMessage());
      return 1;
    }
    say.line(
        (settings.demo() ? "running with the demo partners" : "running")
            + "; Ctrl-C stops "
            + String.join(", ", stack.services().stream().map(Service::name).toList())
            + " (bin/hub-local status | stop NAME | start NAME from another terminal)");
    return watch(stack, settings, local.probe(), say, runStarted);
  }

  /** Until the demo ends (with --count), or a process stops on its own: the exit code. */
  private int watch(
      Stack stack, LocalSettings settings, HttpProbe probe, Say say, Instant runStarted) {
    Optional<JavaService> demoPartners = stack.service("demo").map(JavaService.class::cast);
    while (true) {
      Await.sleep(WATCH_EVERY);
      if (stack.closing()) {
        return 130;
      }
      Optional<Service> failed = stack.failed();
      if (failed.isEmpty()) {
        continue;
      }
      Service service = failed.get();
      if (demoPartners.isPresent() && service == demoPartners.get()) {
        int status = demoPartners.get().exitCode().orElse(1);
        if (status == 0 && settings.count() > 0) {
          return new IndexCheck(stack, settings, probe, say).await(runStarted);
        }
        return status;
      }
      say.error(
          "the "
              + service.name()
              + " stopped (log "
              + say.relative(service.log())
              + "); its last lines:");
      System.err.println(nl.covenanthub.devkit.ChildProcess.tail(service.log(), 20));
      return 1;
    }
  }

  LocalSettings settings(Path root, Map<String, String> env) {
    if (count < 0) {
      throw new CommandLine.ParameterException(commandLine(), "--count must not be negative");
    }
    if (hubs < 1) {
      throw new CommandLine.ParameterException(commandLine(), "--hubs needs at least 1");
    }
    Path covenants =
        Optional.ofNullable(env.get("HUB_COVENANTS"))
            .filter(v -> !v.isBlank())
            .map(Path::of)
            .orElse(root.resolve("covenants"));
    if (!Files.isDirectory(covenants)) {
      throw new IllegalArgumentException("no covenant directory " + covenants);
    }
    return new LocalSettings(
        root,
        stateDir(root),
        new Ports(keycloakPort, kafkaPort, hubPort, consolePort, postgresPort, webhookPort),
        hubs,
        demo || count > 0,
        count,
        System.console() != null && !env.containsKey("NO_COLOR"),
        only,
        covenants.toAbsolutePath().normalize(),
        env);
  }

  Path stateDir(Path root) {
    return (stateDir != null ? stateDir : root.resolve(".local")).toAbsolutePath().normalize();
  }

  /** {@code hub-local status}: the running stack's processes. */
  @Command(name = "status", description = "list the processes of the running stack")
  static final class Status implements Callable<Integer> {
    @ParentCommand HubLocal parent;

    @Override
    public Integer call() {
      return parent.send("status");
    }
  }

  /** {@code hub-local stop NAME} */
  @Command(
      name = "stop",
      description = "stop one process of the running stack (it stays stopped until started)")
  static final class Stop implements Callable<Integer> {
    @ParentCommand HubLocal parent;

    @Parameters(
        paramLabel = "NAME",
        description = "keycloak, broker, postgres, hub, hub-2…, console or demo")
    String name;

    @Override
    public Integer call() {
      return parent.send("stop " + name);
    }
  }

  /** {@code hub-local start NAME} */
  @Command(
      name = "start",
      description =
          "start a stopped process of the running stack again, and wait until it is ready")
  static final class Start implements Callable<Integer> {
    @ParentCommand HubLocal parent;

    @Parameters(
        paramLabel = "NAME",
        description = "keycloak, broker, postgres, hub, hub-2…, console or demo")
    String name;

    @Override
    public Integer call() {
      return parent.send("start " + name);
    }
  }

  private int send(String command) {
    Path socket = stateDir(Repository.root()).resolve(ControlSocket.FILE_NAME);
    return ControlSocket.send(socket, command, System.out, System.err);
  }
}
