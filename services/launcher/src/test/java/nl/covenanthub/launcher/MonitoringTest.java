package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code infra/monitoring/}: the alert rules fire when they should and stay silent otherwise
 * ({@code promtool test rules}, with Debian's {@code prometheus} package, which .ci/run installs),
 * the scrape configuration is valid, and the queries read only metrics of the hub and the console.
 * That those metrics exist in a running hub and console is {@link HubLocalIT}'s to show.
 */
class MonitoringTest {
  @Test
  void theAlertRulesPassTheirUnitTests() throws Exception {
    String out = promtool("test", "rules", "alerts-test.yaml");
    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void theScrapeConfigurationAndItsRulesAreValid() throws Exception {
    String out = promtool("check", "config", "prometheus.yaml");
    assertThat(out).contains("SUCCESS: 13 rules found");
  }

  @Test
  void theQueriesReadTheHubsAndTheConsolesMetrics() {
    Set<String> names = MonitoringQueries.allMetricNames();
    assertThat(names)
        .as("metric names read by alerts and dashboard")
        .allMatch(n -> n.startsWith("hub_") || n.startsWith("console_"))
        .contains(
            "hub_deadletters_total",
            "hub_outbox_lag",
            "hub_covenant_ends_seconds",
            "hub_webhook_deliveries",
            "console_integrity_chains_broken",
            "console_ingest_lag");
    assertThat(MonitoringQueries.dashboardExpressions()).hasSizeGreaterThanOrEqualTo(12);
  }

  @Test
  void metricNamesAreTakenFromPromQlWithoutFunctionsLabelsOrKeywords() {
    assertThat(
            MonitoringQueries.metricNames(
                "sum by (partner, state) (rate(hub_webhook_attempts_total{outcome=\"ok\"}[5m]))"
                    + " / on (partner) group_left max(hub_outbox_lag) > 0 and time() - x_seconds"
                    + " > 3 * 3600"))
        .containsExactlyInAnyOrder("hub_webhook_attempts_total", "hub_outbox_lag", "x_seconds");
    assertThat(MonitoringQueries.metricNames("up{job=\"covenant-hub\"} == 0"))
        .containsExactly("up");
  }

  private static String promtool(String... arguments) throws IOException, InterruptedException {
    assumeTrue(
        onPath("promtool"),
        "promtool is not installed (Debian: apt-get install prometheus; .ci/run does it)");
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(arguments));
    Process process =
        new ProcessBuilder(command)
            .directory(MonitoringQueries.DIRECTORY.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("promtool %s: %s", String.join(" ", arguments), out).isZero();
    return out;
  }

  private static boolean onPath(String program) {
    return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
