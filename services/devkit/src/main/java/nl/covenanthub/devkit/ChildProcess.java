package nl.covenanthub.devkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A process of the local stack: started with its output appended to its own log, stopped with
 * everything it started (TERM, then KILL after a grace period), and asked for the end of its log
 * when something goes wrong.
 *
 * <p>The JDK's {@link Process} and {@link ProcessHandle} already give start, exit notification and
 * process trees, so this class only adds the two things every caller needs: a log per process and
 * stopping a whole tree.
 */
public final class ChildProcess {
  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} as the process called {@code name}, its standard output and error
   * appended to {@code log} (the log's directory is created). Standard input is whatever {@code
   * command} says (the JDK default is a pipe).
   */
  public static ChildProcess start(String name, ProcessBuilder command, Path log) {
    try {
      Path dir = log.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Process process =
          command
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new ChildProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the " + name + " (" + command.command().get(0) + ")", e);
    }
  }

  /**
   * Starts {@code command} like {@link #start}, but hands each line it prints (standard output and
   * error) to {@code lines} as well as appending it to {@code log}: for a process whose output a
   * person watches.
   */
  public static ChildProcess startShowing(
      String name, ProcessBuilder command, Path log, Consumer<String> lines) {
    try {
      Path dir = log.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Process process =
          command.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
      Thread copy =
          new Thread(
              () -> {
                try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
                    Writer file =
                        Files.newBufferedWriter(
                            log,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND)) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.accept(line);
                    file.write(line);
                    file.write(System.lineSeparator());
                    file.flush();
                  }
                } catch (IOException e) {
                  // the process ended while its output was read
                }
              },
              name + "-output");
      copy.setDaemon(true);
      copy.start();
      return new ChildProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the " + name + " (" + command.command().get(0) + ")", e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process itself (for its exit code, or to wait for it). */
  public Process process() {
    return process;
  }

  /** Completes when the process has ended. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The process and every process it started that still runs. */
  public List<ProcessHandle> tree() {
    List<ProcessHandle> all = new ArrayList<>();
    process.descendants().forEach(all::add);
    all.add(process.toHandle());
    return all;
  }

  /**
   * Asks the process and its descendants to stop (TERM), waits up to {@code grace}, then kills what
   * is left. Returns whether everything stopped within the grace period. Safe to call when it has
   * already ended.
   */
  public boolean stop(Duration grace) {
    List<ProcessHandle> tree = tree();
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return true;
    }
    process.destroy();
    if (awaitExit(tree, grace)) {
      return true;
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree, Duration.ofSeconds(10));
    return false;
  }

  /** The last {@code lines} lines of the log (fewer if it is shorter). */
  public String logTail(int lines) {
    return tail(log, lines);
  }

  /**
   * An exception for a start that went wrong: the reason, the log's path and its last lines, so the
   * person at the terminal does not need to go looking.
   */
  public IllegalStateException failure(String reason) {
    String tail = logTail(30);
    return new IllegalStateException(
        "the "
            + name
            + " "
            + reason
            + rootCause(log).map(c -> " (" + c + ")").orElse("")
            + "; the last lines of its log "
            + log
            + ":\n"
            + tail);
  }

  /** A Java process's last {@code Caused by:}, which says more than the stack trace around it. */
  private static Optional<String> rootCause(Path log) {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines
          .filter(l -> l.startsWith("Caused by: "))
          .reduce((first, second) -> second)
          .map(l -> l.substring("Caused by: ".length()));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /** The last {@code lines} lines of {@code file}, or a note that there is none. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Waits until every process in {@code processes} has ended; false if some still run after {@code
   * timeout}.
   */
  public static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle process : processes) {
      long left = deadline - System.nanoTime();
      try {
        process.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        // onExit never fails; treat as ended
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
