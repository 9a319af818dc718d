package nl.covenanthub.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.devkit.Await;
import nl.covenanthub.devkit.ChildProcess;

/**
 * A service of ours run from its built jar ({@code java -jar}): a hub instance, the console, the
 * demo partners. A service with an HTTP port is ready when {@link HttpProbe#ready} says so; the
 * demo partners, which have none, when they run. The demo's output is shown on the terminal as well
 * as kept in its log.
 */
final class JavaService implements Service {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  private final String name;
  private final Path jar;
  private final List<String> jvmOptions;
  private final Map<String, String> env;
  private final List<String> args;
  private final int port;
  private final String address;
  private final Path log;
  private final HttpProbe probe;
  private final Say say;
  private final boolean showOutput;
  private volatile ChildProcess process;

  private JavaService(Builder b) {
    this.name = b.name;
    this.jar = b.jar;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.env = Map.copyOf(b.env);
    this.args = List.copyOf(b.args);
    this.port = b.port;
    this.address = b.address;
    this.log = b.log;
    this.probe = b.probe;
    this.say = b.say;
    this.showOutput = b.showOutput;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no " + jar + ": build it first (bin/hub-local builds what is missing, or mvn package)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    ChildProcess started =
        showOutput
            ? ChildProcess.startShowing(name, builder, log, System.out::println)
            : ChildProcess.start(name, builder, log);
    process = started;
    if (port == 0) {
      return;
    }
    try {
      Await.ready(
          started,
          () -> probe.ready(port, started.pid()),
          START_TIMEOUT,
          PROGRESS_EVERY,
          spent -> say.line(name + " still starting (" + Say.seconds(spent) + ")…"));
    } catch (RuntimeException e) {
      started.stop(STOP_TIMEOUT);
      throw e;
    }
  }

  @Override
  public void stop() {
    ChildProcess running = process;
    if (running != null && running.isAlive() && !running.stop(STOP_TIMEOUT)) {
      say.line(name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killed it");
    }
  }

  @Override
  public void kill() {
    ChildProcess running = process;
    if (running != null) {
      java.util.List<ProcessHandle> tree = running.tree();
      tree.forEach(ProcessHandle::destroyForcibly);
      ChildProcess.awaitExit(tree, Duration.ofSeconds(30));
    }
  }

  @Override
  public boolean isRunning() {
    ChildProcess running = process;
    return running != null && running.isAlive();
  }

  @Override
  public Optional<Long> pid() {
    return isRunning() ? Optional.of(process.pid()) : Optional.empty();
  }

  /** The exit code of its last run, once it has ended. */
  Optional<Integer> exitCode() {
    ChildProcess last = process;
    return last == null || last.isAlive()
        ? Optional.empty()
        : Optional.of(last.process().exitValue());
  }

  @Override
  public Path log() {
    return log;
  }

  /** The environment it is started with (on top of the launcher's). */
  Map<String, String> environment() {
    return env;
  }

  /** Its JVM options and program arguments. */
  List<String> commandLine() {
    List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(args);
    return all;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public List<Integer> ports() {
    return port == 0 ? List.of() : List.of(port);
  }

  /** How to run one of our jars. */
  static final class Builder {
    private final String name;
    private Path jar;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private int port;
    private String address = "";
    private Path log;
    private HttpProbe probe;
    private Say say;
    private boolean showOutput;

    private Builder(String name) {
      this.name = name;
    }

    Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    Builder jvm(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    Builder args(List<String> arguments) {
      args.addAll(arguments);
      return this;
    }

    /** Its HTTP port, whose health (and pid) tell that it is ready. */
    Builder http(int port, HttpProbe probe, String address) {
      this.port = port;
      this.probe = probe;
      this.address = address;
      return this;
    }

    Builder log(Path log) {
      this.log = log;
      return this;
    }

    Builder say(Say say) {
      this.say = say;
      return this;
    }

    /** Its output on the terminal too. */
    Builder showOutput() {
      this.showOutput = true;
      return this;
    }

    JavaService build() {
      return new JavaService(this);
    }
  }
}
