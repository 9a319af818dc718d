package nl.covenanthub.console.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.stream.Stream;
import nl.covenanthub.covenant.Covenant;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.Party;
import nl.covenanthub.covenant.Purpose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every field of every event type, every party and every purpose of the repository's covenants has
 * a plain-language label in each language the Art. 15 letter is written in: a new field or partner
 * without one fails here, not in a letter.
 */
class LabelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"nl", "en"})
  void everyFieldPartyAndPurposeHasALabel(String language) throws Exception {
    ResourceBundle labels =
        ResourceBundle.getBundle(
            "nl/covenanthub/labels/labels",
            Locale.forLanguageTag(language),
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    List<String> keys = new ArrayList<>();
    EventCatalog catalog = EventCatalog.standard();
    for (String type : catalog.eventTypes()) {
      catalog.eventType(type).orElseThrow().leaves().forEach(leaf -> keys.add("field." + leaf));
    }
    try (Stream<Path> files = Files.list(Path.of("../../covenants"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Covenant covenant = CovenantLoader.load(file).covenant();
        covenant.parties().stream().map(Party::id).forEach(id -> keys.add("party." + id));
        covenant.purposes().stream().map(Purpose::id).forEach(id -> keys.add("purpose." + id));
      }
    }
    assertThat(keys)
        .isNotEmpty()
        .allSatisfy(key -> assertThat(labels.containsKey(key)).as(key).isTrue());
  }
}
