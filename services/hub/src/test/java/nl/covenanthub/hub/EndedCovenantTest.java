package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A covenant that has ended stops only itself: the hub starts with it, withholds (and audits) what
 * only it covered, goes on with the others, and says which covenant is inactive and why.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class EndedCovenantTest {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Test
  void anEndedCovenantIsInactiveNotFatal(EmbeddedKafkaBroker broker, @TempDir Path covenants)
      throws Exception {
    Path source = Path.of("../../covenants");
    Files.copy(
        source.resolve("zorg-en-veiligheid.yaml"), covenants.resolve("zorg-en-veiligheid.yaml"));
    String ondermijning = Files.readString(source.resolve("aanpak-ondermijning.yaml"));
    assertThat(ondermijning).contains("until: 2028-12-31");
    Files.writeString(
        covenants.resolve("aanpak-ondermijning.yaml"),
        ondermijning.replace("until: 2028-12-31", "until: 2025-12-31"));

    try (KafkaProbe kafka = new KafkaProbe(broker.getBrokersAsString());
        ConfigurableApplicationContext hub =
            new SpringApplicationBuilder(HubApplication.class)
                .run(
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--hub.covenants=" + covenants,
                    "--server.port=0")) {
      CaseSignal underTheEnded =
          PartnerEvents.signal("politie", "aanpak-ondermijning", Concern.HENNEPTEELT).build();
      CaseSignal underTheOther =
          PartnerEvents.signal("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG).build();
      for (CaseSignal signal : List.of(underTheEnded, underTheOther)) {
        kafka.publish(
            "partner.politie.outbox", signal.getCaseReference(), PartnerEvents.bytes(signal));
      }

      await()
          .atMost(WAIT)
          .until(
              () ->
                  audit(kafka, underTheEnded).size() == PartnerEvents.UNDERMINING_RECIPIENTS
                      && audit(kafka, underTheOther).size() == 2);
      Map<String, AuditRecord> ended = audit(kafka, underTheEnded);
      // The recipients with a rule for the police's signals; odr has none (NO_RULE).
      assertThat(List.of(ended.get("lzn"), ended.get("riec")))
          .allSatisfy(
              a -> {
                assertThat(a.getDecision()).isEqualTo(AuditDecision.WITHHELD);
                assertThat(a.getReason()).isEqualTo("COVENANT_ENDED");
                assertThat(a.getDetail())
                    .isEqualTo(
                        "covenant 'aanpak-ondermijning-west-maas-en-waal' ended on 2025-12-31");
              });
      assertThat(audit(kafka, underTheOther).get("lzn").getDecision())
          .as("the covenant in force goes on")
          .isEqualTo(AuditDecision.DISCLOSED);

      MeterRegistry metrics = hub.getBean(MeterRegistry.class);
      assertThat(
              metrics
                  .get("hub.covenant.active")
                  .tag("covenant", "aanpak-ondermijning-west-maas-en-waal")
                  .gauge()
                  .value())
          .isZero();
      assertThat(
              metrics
                  .get("hub.covenant.active")
                  .tag("covenant", "zorg-en-veiligheid-west-maas-en-waal")
                  .gauge()
                  .value())
          .isEqualTo(1.0);
      // For the alert that a covenant is about to end: the first moment it is not in force, 1
      // January 00:00 in Amsterdam (UTC+1 then).
      assertThat(
              metrics
                  .get("hub.covenant.ends")
                  .tag("covenant", "aanpak-ondermijning-west-maas-en-waal")
                  .gauge()
                  .value())
          .isEqualTo(java.time.Instant.parse("2025-12-31T23:00:00Z").getEpochSecond());
      Health health = hub.getBean("covenants", HealthIndicator.class).health();
      assertThat(health.getDetails().get("aanpak-ondermijning-west-maas-en-waal"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("version", 1)
          .containsEntry("state", "inactive: ended on 2025-12-31");
      assertThat(health.getDetails().get("zorg-en-veiligheid-west-maas-en-waal"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry("state", "in force");
    }
  }

  private static Map<String, AuditRecord> audit(KafkaProbe kafka, CaseSignal signal) {
    return kafka.audit().stream()
        .filter(a -> signal.getEventId().equals(a.getEventId()))
        .collect(Collectors.toMap(a -> String.valueOf(a.getRecipient()), Function.identity()));
  }
}
