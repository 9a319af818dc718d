package nl.covenanthub.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * Each house rule fails on a planted violation (test classes in {@code ..planted} packages), so a
 * rule that can no longer fail is noticed.
 */
class HouseRulesCatchViolationsTest {
  private static final JavaClasses PLANTED =
      new ClassFileImporter()
          .importPackages(
              "nl.covenanthub.covenant.planted",
              "nl.covenanthub.hub.planted",
              "nl.covenanthub.console.planted");

  @Test
  void theCoreReachingForKafka() {
    assertThatThrownBy(() -> HouseRules.CORE_IS_PLAIN_JAVA.check(PLANTED))
        .hasMessageContaining("CoreThatPublishes")
        .hasMessageContaining("org.apache.kafka.clients.producer.ProducerRecord");
  }

  @Test
  void aServiceReadingTheRules() {
    assertThatThrownBy(() -> HouseRules.SERVICES_USE_ONLY_THE_CORES_SURFACE.check(PLANTED))
        .hasMessageContaining("RouteThatDecides")
        .hasMessageContaining("nl.covenanthub.covenant.Treatment");
  }

  @Test
  void aRouteThatDecides() {
    assertThatThrownBy(() -> HouseRules.ONLY_THE_DECISION_ADAPTER_DECIDES.check(PLANTED))
        .hasMessageContaining("RouteThatDecides.decide")
        .hasMessageContaining("CovenantSet.decide");
  }

  @Test
  void theConsoleWritingToKafka() {
    assertThatThrownBy(() -> HouseRules.CONSOLE_DOES_NOT_WRITE_TO_KAFKA.check(PLANTED))
        .hasMessageContaining("ConsoleThatWrites")
        .hasMessageContaining("KafkaProducer");
  }

  @Test
  void theCoreDependingUpward() {
    assertThatThrownBy(() -> HouseRules.MODULES_DEPEND_ONLY_DOWNWARD.check(PLANTED))
        .hasMessageContaining("CoreThatPublishes")
        .hasMessageContaining("nl.covenanthub.hub.planted.RouteThatDecides");
  }
}
