package nl.covenanthub.console;

import java.time.Clock;
import nl.covenanthub.console.audit.SubjectPseudonyms;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clock (tests move it) and the hub's subject pseudonymiser, so a BSN maps to the audit's
 * pseudonym.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The same key and the same code as the hub's audit, under every configured version of the key:
   * fails at start-up, clearly, when the key is missing.
   */
  @Bean
  SubjectPseudonyms subjectPseudonyms(ConsoleProperties properties) {
    return new SubjectPseudonyms(
        Pseudonymiser.forAuditSubjectEveryVersion(
            properties.subjectKey(), KeyRing.fromEnvironment()));
  }
}
