package nl.covenanthub.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.devkit.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher would start, and with which environment, for the settings a person gives. */
class LocalStackTest {
  private static final Path ROOT = Repository.root();

  @TempDir Path state;

  @Test
  void theDefaultStackStartsEachProcessAfterWhatItNeeds() {
    assertThat(names(stack(settings(1, true, List.of(), Map.of()))))
        .containsExactly("keycloak", "broker", "postgres", "hub", "console", "demo");
    assertThat(names(stack(settings(1, false, List.of(), Map.of()))))
        .as("without --demo")
        .containsExactly("keycloak", "broker", "postgres", "hub", "console");
  }

  @Test
  void severalHubInstancesEachGetTheirOwnNameLogAndPort() {
    Stack stack = stack(settings(3, false, List.of(), Map.of()));

    assertThat(names(stack)).containsSubsequence("hub", "hub-2", "hub-3", "console");
    assertThat(stack.service("hub").orElseThrow().ports()).containsExactly(8080);
    assertThat(stack.service("hub-2").orElseThrow().ports()).containsExactly(8082);
    assertThat(stack.service("hub-3").orElseThrow().ports()).containsExactly(8083);
    assertThat(stack.service("hub-3").orElseThrow().log())
        .isEqualTo(state.resolve("logs/hub-3.log"));
  }

  @Test
  void onlyRunsTheNamedProcessesAndRefusesAnUnknownName() {
    assertThat(names(stack(settings(1, true, List.of("keycloak", "broker"), Map.of()))))
        .containsExactly("keycloak", "broker");
    assertThatThrownBy(() -> stack(settings(1, false, List.of("kafka"), Map.of())))
        .hasMessage(
            "--only kafka: no such process; the stack's: keycloak, broker, postgres, hub, console");
  }

  @Test
  void onTheLocalBrokerEachServiceLogsInAsItsOwnClientWithTheRealmsDemoSecrets() throws Exception {
    Stack stack = stack(settings(1, true, List.of(), Map.of()));
    Map<String, String> hub = env(stack, "hub");
    Map<String, String> console = env(stack, "console");
    Map<String, String> demo = env(stack, "demo");

    assertThat(hub)
        .containsEntry("SPRING_PROFILES_ACTIVE", "sasl")
        .containsEntry("KAFKA_CLIENT_ID", "covenant-hub")
        .containsEntry("KAFKA_CLIENT_SECRET", "demo-secret-covenant-hub-NOT-FOR-PRODUCTION")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
        .containsEntry("KEYCLOAK_ISSUER", "http://localhost:8180/realms/covenant-hub");
    assertThat(hub.get("HUB_HEAD_SIGNING_KEY")).as("a head-signing key of this state").isNotBlank();
    assertThat(console)
        .as("the console verifies heads with its public half")
        .containsEntry("CONSOLE_HEAD_VERIFY_KEYS", hub.get("HUB_HEAD_PUBLIC_KEY"))
        .containsKey("SPRING_DATASOURCE_PASSWORD");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(
                    state.resolve("keys/head-signing.key"))))
        .as("the private key is its owner's only")
        .isEqualTo("rw-------");
    assertThat(console)
        .as("with --demo, fictional niet-pluis signals")
        .containsEntry("CONSOLE_SIGNALS_DEMO", "true");
    assertThat(env(stack(settings(1, false, List.of(), Map.of())), "console"))
        .as("without --demo, none")
        .doesNotContainKey("CONSOLE_SIGNALS_DEMO");
    assertThat(console)
        .containsEntry("KAFKA_CLIENT_ID", "covenant-console")
        .containsEntry(
            "SPRING_DATASOURCE_URL",
            "jdbc:postgresql://localhost:5433/postgres?reWriteBatchedInserts=true");
    assertThat(demo)
        .containsEntry(
            "KAFKA_CLIENT_SECRET_VEILIG_THUIS", "demo-secret-veilig-thuis-NOT-FOR-PRODUCTION")
        .containsEntry("KAFKA_ADMIN_BOOTSTRAP_SERVERS", "localhost:9094");
    assertThat(((JavaService) stack.service("hub").orElseThrow()).commandLine())
        .contains(
            "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=http://localhost:8180/realms/covenant-hub/protocol/openid-connect/token",
            "--server.port=8080",
            "--hub.covenants=" + ROOT.resolve("covenants"));
  }

  @Test
  void secretsFromTheEnvironmentWinOverTheDemoSecrets() {
    Stack stack =
        stack(
            settings(
                1,
                true,
                List.of(),
                Map.of(
                    "KAFKA_CLIENT_SECRET", "hub-s3cret", "KAFKA_CLIENT_SECRET_LZN", "lzn-s3cret")));

    assertThat(env(stack, "hub")).containsEntry("KAFKA_CLIENT_SECRET", "hub-s3cret");
    assertThat(env(stack, "demo")).containsEntry("KAFKA_CLIENT_SECRET_LZN", "lzn-s3cret");
  }

  @Test
  void theHubAndTheConsoleShareTheDemoKeyOnlyWhenNoKeyIsConfigured() {
    Stack demoKey = stack(settings(1, false, List.of(), Map.of()));
    assertThat(env(demoKey, "hub"))
        .containsEntry("COVENANT_KEY_SUBJECT_KEY", LocalSettings.DEMO_KEY);
    assertThat(env(demoKey, "console"))
        .containsEntry("COVENANT_KEY_SUBJECT_KEY", LocalSettings.DEMO_KEY);

    Stack ownKey =
        stack(settings(1, false, List.of(), Map.of("COVENANT_KEYS_DIR", "/run/secrets")));
    assertThat(env(ownKey, "hub")).doesNotContainKey("COVENANT_KEY_SUBJECT_KEY");
    assertThat(env(ownKey, "console")).doesNotContainKey("COVENANT_KEY_SUBJECT_KEY");
  }

  @Test
  void anExternalRealmAndBrokerAreUsedInsteadOfStartingThem() {
    Stack stack =
        stack(
            settings(
                1,
                true,
                List.of(),
                Map.of(
                    "KEYCLOAK_ISSUER", "https://sso.example.nl/realms/covenant-hub",
                    "KAFKA_BOOTSTRAP_SERVERS", "kafka.example.nl:9093",
                    "CONSOLE_WEB_CLIENT_SECRET", "web-s3cret")));

    assertThat(names(stack)).containsExactly("postgres", "hub", "console", "demo");
    assertThat(env(stack, "hub"))
        .containsEntry("KEYCLOAK_ISSUER", "https://sso.example.nl/realms/covenant-hub")
        .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka.example.nl:9093")
        .doesNotContainKey("SPRING_PROFILES_ACTIVE");
    assertThat(env(stack, "console")).containsEntry("CONSOLE_WEB_CLIENT_SECRET", "web-s3cret");
    assertThat(env(stack, "demo")).doesNotContainKey("KAFKA_TOKEN_ENDPOINT");
  }

  private LocalSettings settings(
      int hubs, boolean demo, List<String> only, Map<String, String> env) {
    return new LocalSettings(
        ROOT,
        state,
        Ports.DEFAULTS,
        hubs,
        demo,
        0,
        false,
        only,
        ROOT.resolve("covenants"),
        new HashMap<>(env));
  }

  private Stack stack(LocalSettings settings) {
    return new LocalStack(settings, new Say(ROOT)).stack();
  }

  private static List<String> names(Stack stack) {
    return stack.services().stream().map(Service::name).toList();
  }

  private static Map<String, String> env(Stack stack, String name) {
    return ((JavaService) stack.service(name).orElseThrow()).environment();
  }
}
