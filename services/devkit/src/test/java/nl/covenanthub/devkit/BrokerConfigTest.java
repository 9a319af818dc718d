package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's configuration rendered from the repository's template. */
class BrokerConfigTest {
  @TempDir Path dir;

  @Test
  void theRepositorysTemplateRendersWithEveryPlaceholderFilled() throws Exception {
    Map<String, String> values =
        Map.of(
            "port", "19092",
            "admin.port", "19094",
            "controller.port", "19093",
            "data.dir", "/data",
            "issuer", "http://localhost:1/realms/r",
            "jwks.url", "http://localhost:1/certs",
            "reauth.ms", "60000",
            "admin.password", "secret");
    Path config =
        BrokerConfig.write(dir, Repository.root().resolve("infra/kafka/server.properties"), values);

    String text = Files.readString(config);
    assertThat(text).doesNotContain("${").contains("19092", "19094", "19093", "/data");
    assertThat(dir.resolve("log4j2.properties")).as("logging configuration").exists();
  }

  @Test
  void anUnknownPlaceholderIsAnErrorNamingTheTemplate() {
    Path template = dir.resolve("server.properties.template");
    assertThatThrownBy(
            () -> BrokerConfig.render("port=${port}\nx=${nope}", Map.of("port", "1"), template))
        .hasMessage(template + ": unknown placeholder ${nope}");
  }
}
