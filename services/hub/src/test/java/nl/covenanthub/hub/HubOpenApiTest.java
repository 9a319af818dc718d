package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docs/openapi.yaml} describes the hub's HTTP API as the running hub maps it: every path and
 * method under {@code /api/} is in the document, and every one in the document is mapped.
 */
@SpringBootTest(
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "hub.covenants=../../covenants"
    })
@EmbeddedKafka
class HubOpenApiTest {
  private static final Path DOCUMENT = Path.of("../../docs/openapi.yaml");
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> document() throws IOException {
    try (InputStream in = Files.newInputStream(DOCUMENT)) {
      return new Yaml().load(in);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDocumentIsOpenApi31AndEveryOperationSaysItsAnswers() throws IOException {
    Map<String, Object> document = document();
    assertThat(String.valueOf(document.get("openapi"))).startsWith("3.1.");
    Map<String, Map<String, Object>> paths =
        (Map<String, Map<String, Object>>) document.get("paths");
    paths.forEach(
        (path, item) ->
            item.forEach(
                (method, operation) -> {
                  if (METHODS.contains(method)) {
                    Map<String, Object> op = (Map<String, Object>) operation;
                    assertThat(op)
                        .as("%s %s", method, path)
                        .containsKeys("operationId", "responses");
                    assertThat(((Map<String, Object>) op.get("responses")).keySet())
                        .as("answers of %s %s", method, path)
                        .contains("401");
                  }
                }));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDocumentAndTheHubsMappingsAreTheSame() throws IOException {
    Set<String> documented = new TreeSet<>();
    Map<String, Map<String, Object>> paths =
        (Map<String, Map<String, Object>>) document().get("paths");
    paths.forEach(
        (path, item) ->
            item.keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

    Set<String> mapped = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        if (pattern.startsWith("/api/")) {
          info.getMethodsCondition()
              .getMethods()
              .forEach(method -> mapped.add(method.name() + " " + pattern));
        }
      }
    }

    assertThat(mapped).as("the hub's API").isNotEmpty();
    assertThat(documented).as("docs/openapi.yaml against the hub's mappings").isEqualTo(mapped);
    assertThat(List.copyOf(mapped)).anyMatch(m -> m.startsWith("POST /api/partner/events/"));
  }
}
