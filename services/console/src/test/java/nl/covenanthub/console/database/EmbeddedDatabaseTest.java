package nl.covenanthub.console.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import nl.covenanthub.console.ConsoleApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Without spring.datasource.url the console runs its own PostgreSQL, and what it stored is there after a restart. */
class EmbeddedDatabaseTest {

  @Test
  void keepsItsDataBetweenRuns(@TempDir Path dataDirectory) {
    try (ConfigurableApplicationContext first = start(dataDirectory)) {
      JdbcClient db = first.getBean(JdbcClient.class);
      db.sql("INSERT INTO ingest_position (topic, partition, next_offset) VALUES ('hub.audit', 0, 42)").update();
    }
    assertThat(Files.exists(dataDirectory.resolve("postgresql.conf"))).as("a PostgreSQL data directory").isTrue();

    try (ConfigurableApplicationContext second = start(dataDirectory)) {
      JdbcClient db = second.getBean(JdbcClient.class);
      assertThat(db.sql("SELECT next_offset FROM ingest_position WHERE topic = 'hub.audit' AND partition = 0")
          .query(Long.class).single()).as("stored by the first run").isEqualTo(42);
      assertThat(db.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Long.class).single())
          .as("migrations ran once").isEqualTo(1);
    }
  }

  private static ConfigurableApplicationContext start(Path dataDirectory) {
    return new SpringApplicationBuilder(ConsoleApplication.class).run(
        "--console.postgres.data-directory=" + dataDirectory,
        "--console.postgres.port=0",
        "--server.port=0",
        "--spring.kafka.listener.auto-startup=false",
        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:1/realms/unused");
  }
}
