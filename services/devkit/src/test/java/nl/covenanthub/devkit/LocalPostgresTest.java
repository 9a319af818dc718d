package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local PostgreSQL keeps its data and admits only who has its password. */
class LocalPostgresTest {
  @TempDir Path dir;

  @Test
  void aPasswordIsMadeOnFirstStartKeptOwnerOnlyAndRequiredOfEveryConnection() throws Exception {
    Path data = dir.resolve("data");
    Path passwordFile = dir.resolve("postgres.password");
    try (LocalPostgres postgres =
        LocalPostgres.start(data, 0, passwordFile, dir.resolve("pg.log"))) {
      assertThat(Files.readString(passwordFile))
          .isEqualTo(postgres.password())
          .hasSizeGreaterThan(20);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
          .isEqualTo("rw-------");
      try (Connection c =
          DriverManager.getConnection(postgres.jdbcUrl(), "postgres", postgres.password())) {
        c.createStatement().execute("CREATE TABLE kept (id int)");
      }
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "guess"))
          .as("a wrong password")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "postgres", ""))
          .as("none")
          .isInstanceOf(SQLException.class);
    }
    try (LocalPostgres again = LocalPostgres.start(data, 0, passwordFile, dir.resolve("pg.log"));
        Connection c = DriverManager.getConnection(again.jdbcUrl(), "postgres", again.password());
        ResultSet tables = c.getMetaData().getTables(null, null, "kept", null)) {
      assertThat(tables.next()).as("the data of the first run").isTrue();
    }
  }
}
