package nl.covenanthub.console.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.console.ConsoleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Without spring.datasource.url the console runs its own PostgreSQL, and what it stored is there
 * after a restart; with it, the console uses that database and starts none of its own.
 */
class EmbeddedDatabaseTest {

  @Test
  void keepsItsDataBetweenRuns(@TempDir Path dataDirectory) {
    try (ConfigurableApplicationContext first = start(dataDirectory)) {
      JdbcClient db = first.getBean(JdbcClient.class);
      db.sql(
              "INSERT INTO ingest_position (topic, partition, next_offset) VALUES ('hub.audit', 0, 42)")
          .update();
    }
    assertThat(Files.exists(dataDirectory.resolve("postgresql.conf")))
        .as("a PostgreSQL data directory")
        .isTrue();

    try (ConfigurableApplicationContext second = start(dataDirectory)) {
      JdbcClient db = second.getBean(JdbcClient.class);
      assertThat(
              db.sql(
                      "SELECT next_offset FROM ingest_position WHERE topic = 'hub.audit' AND partition = 0")
                  .query(Long.class)
                  .single())
          .as("stored by the first run")
          .isEqualTo(42);
      assertThat(
              db.sql(
                      "SELECT count(*) FROM flyway_schema_history WHERE success GROUP BY version"
                          + " HAVING count(*) > 1")
                  .query(Long.class)
                  .list())
          .as("each migration ran once")
          .isEmpty();
    }
  }

  @Test
  void usesTheDatabaseOfItsJdbcUrl(@TempDir Path unusedDirectory) throws Exception {
    // A PostgreSQL server of its own, standing in for the production database.
    try (EmbeddedPostgres production = EmbeddedPostgres.builder().start()) {
      String url = production.getJdbcUrl("postgres", "postgres");
      try (ConfigurableApplicationContext console =
          start(
              unusedDirectory,
              "--spring.datasource.url=" + url,
              "--spring.datasource.username=postgres")) {
        assertThat(console.getBeansOfType(nl.covenanthub.devkit.LocalPostgres.class))
            .as("no PostgreSQL of its own")
            .isEmpty();
        console
            .getBean(JdbcClient.class)
            .sql(
                "INSERT INTO ingest_position (topic, partition, next_offset) VALUES ('hub.audit', 1, 7)")
            .update();
      }
      JdbcClient direct = JdbcClient.create(production.getPostgresDatabase());
      assertThat(
              direct
                  .sql("SELECT next_offset FROM ingest_position WHERE partition = 1")
                  .query(Long.class)
                  .single())
          .as("written to the database of the URL, migrated by Flyway")
          .isEqualTo(7);
      assertThat(Files.exists(unusedDirectory.resolve("postgresql.conf")))
          .as("no embedded data directory")
          .isFalse();
    }
  }

  private static ConfigurableApplicationContext start(Path dataDirectory, String... more) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--console.postgres.data-directory=" + dataDirectory,
                "--console.postgres.port=0",
                "--server.port=0",
                "--spring.kafka.listener.auto-startup=false",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:1/realms/unused"));
    arguments.addAll(List.of(more));
    return new SpringApplicationBuilder(ConsoleApplication.class)
        .run(arguments.toArray(String[]::new));
  }
}
