package nl.covenanthub.console;

import java.nio.file.Path;
import java.time.Period;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.StandardEnvironment;

/**
 * The console's settings ({@code console.*}).
 *
 * @param auditTopic the hub's audit topic to index
 * @param auditChainTopic where the hub publishes its signed audit chain heads
 * @param headVerifyKeys the hub's public keys (base64 X.509, Ed25519) its heads are signed with;
 *     empty: the LOCAL DEMO key
 * @param subjectKey reference of the hub's pseudonymisation key for data subjects (the same as
 *     {@code hub.subject-key})
 * @param timeZone the zone of days and months in searches by date and in statistics
 * @param maxPageSize the largest page a search may ask for
 * @param postgres the embedded PostgreSQL, used when no {@code spring.datasource.url} is set
 * @param retention how long audit records are kept, and when the removal runs
 * @param covenants directory of the covenant YAML files the register of processing activities is
 *     made from (the hub's {@code hub.covenants}; relative to the working directory)
 * @param previewEventsPerPartition how many of the latest records of each partition of each
 *     partner's outbox the impact preview replays (0: none, rules only)
 */
@ConfigurationProperties("console")
public record ConsoleProperties(
    @DefaultValue("hub.audit") String auditTopic,
    @DefaultValue("hub.audit.chain") String auditChainTopic,
    @DefaultValue java.util.List<String> headVerifyKeys,
    @DefaultValue("subject-key") String subjectKey,
    @DefaultValue("Europe/Amsterdam") ZoneId timeZone,
    @DefaultValue("200") int maxPageSize,
    @DefaultValue Postgres postgres,
    @DefaultValue Retention retention,
    @DefaultValue("covenants") String covenants,
    @DefaultValue("100") int previewEventsPerPartition) {

  /**
   * The settings as the console would bind them, for a tool that runs without the application
   * (bin/logboek-export): the defaults above, and what the environment and system properties set.
   */
  public static ConsoleProperties withDefaults() {
    return Binder.get(new StandardEnvironment()).bindOrCreate("console", ConsoleProperties.class);
  }

  /**
   * @param dataDirectory where the embedded database keeps its files between runs
   * @param port its port on localhost; 0 takes any free port
   */
  public record Postgres(
      @DefaultValue("${user.home}/.covenant-hub/console-postgres") Path dataDirectory,
      @DefaultValue("5433") int port) {}

  /**
   * @param period audit records decided longer ago than this are removed (ISO-8601, e.g. P5Y)
   * @param cron when the removal runs (Spring cron; "-" never)
   */
  public record Retention(
      @DefaultValue("P5Y") Period period, @DefaultValue("0 30 3 * * *") String cron) {}
}
