package nl.covenanthub.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Loads and compiles the covenants of the directory at start-up (the hub refuses to start on an
 * invalid one), then follows the versions the console publishes on {@code hub.covenants} ({@link
 * CovenantFeed}). An ended covenant is not invalid here: it is inactive (its events are withheld,
 * {@code COVENANT_ENDED}) and the others go on; health and {@code hub_covenant_active} say which.
 */
@Configuration(proxyBeanMethods = false)
class CovenantConfiguration {
  private static final Logger log = LoggerFactory.getLogger(CovenantConfiguration.class);

  static {
    AuditHash.trustGeneratedClasses();
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  KeyRing keyRing() {
    return KeyRing.fromEnvironment();
  }

  @Bean
  EventCatalog eventCatalog() {
    return EventCatalog.standard();
  }

  @Bean
  ActiveCovenants activeCovenants(
      HubProperties properties, EventCatalog catalog, KeyRing keys, Clock clock)
      throws IOException, CovenantException {
    Path dir = Path.of(properties.covenants());
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "hub.covenants: no covenant directory " + dir.toAbsolutePath());
    }
    CovenantSet set =
        CovenantSet.load(
            CovenantLoader.filesIn(dir), catalog, keys, clock, CovenantSet.Ended.INACTIVE);
    set.notInForce(clock.instant())
        .forEach(
            (covenant, why) ->
                log.warn(
                    "Covenant {} v{} is not in force ({}): its events are withheld",
                    covenant.id(),
                    covenant.version(),
                    why));
    log.info(
        "Covenant directory {}: {} covenant(s) for partners {}: {}",
        dir,
        set.covenants().size(),
        set.partners(),
        set.covenants());
    return ActiveCovenants.startingFrom(set, catalog, keys, clock);
  }

  /** Reads {@code hub.covenants} to its end before the first batch, then follows it. */
  @Bean
  CovenantFeed covenantFeed(
      ActiveCovenants active, ConsumerFactory<Object, Object> consumers, KafkaAdmin admin) {
    return new CovenantFeed(active, consumers, admin);
  }

  /** The audit's pseudonym of the data subject: a key of its own, which no recipient's is. */
  @Bean
  Pseudonymiser subjectPseudonymiser(HubProperties properties, KeyRing keys) {
    return Pseudonymiser.forAuditSubject(properties.subjectKey(), keys);
  }

  /** The matching pseudonym of a data subject: a key of its own, which no one else has. */
  @Bean
  Pseudonymiser matchingPseudonymiser(HubProperties properties, KeyRing keys) {
    return Pseudonymiser.forMatching(properties.subjectKey(), keys);
  }

  /** Inbox record keys: a key of their own again. */
  @Bean
  Pseudonymiser recordKeyPseudonymiser(HubProperties properties, KeyRing keys) {
    return Pseudonymiser.forRecordKeys(properties.subjectKey(), keys);
  }
}
