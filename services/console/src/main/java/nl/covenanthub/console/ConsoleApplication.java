package nl.covenanthub.console;

import nl.covenanthub.audit.AuditHash;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The privacy officer's console: indexes the hub's audit ({@code hub.audit}) into PostgreSQL,
 * searches it, verifies its hash chains and removes what is past retention. See docs/console.md.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConsoleApplication {
  static {
    AuditHash.trustGeneratedClasses();
  }

  public static void main(String[] args) {
    SpringApplication.run(ConsoleApplication.class, args);
  }
}
