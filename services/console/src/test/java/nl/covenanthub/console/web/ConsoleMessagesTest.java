package nl.covenanthub.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.Said;
import nl.covenanthub.console.audit.InvalidSearchException;
import nl.covenanthub.console.audit.SearchForm;
import nl.covenanthub.console.audit.SearchForms;
import nl.covenanthub.console.audit.StatsPeriod;
import nl.covenanthub.console.audit.SubjectPseudonyms;
import nl.covenanthub.covenant.KeyRing;
import nl.covenanthub.covenant.Pseudonymiser;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The pages speak Dutch by default and English on request, from the message bundles: every text of
 * every template comes from a bundle, every key has both languages, and the errors a page shows are
 * said in Dutch too.
 */
class ConsoleMessagesTest {
  private static final Path TEMPLATES = Path.of("src/main/resources/templates");
  private static final Pattern MESSAGE_KEY = Pattern.compile("#\\{([a-zA-Z0-9.-]+)[}(]");

  private static final ResourceBundleMessageSource MESSAGES = new ResourceBundleMessageSource();

  static {
    MESSAGES.setBasenames("messages", "nl/covenanthub/labels/labels");
    MESSAGES.setDefaultEncoding("UTF-8");
    MESSAGES.setFallbackToSystemLocale(false);
  }

  @Test
  void everyTextHasADutchAndAnEnglishVersion() throws IOException {
    Set<String> english = keys("messages.properties");
    Set<String> dutch = keys("messages_nl.properties");
    assertThat(dutch).as("Dutch for every English text").containsAll(english);
    Set<String> onlyDutch = new TreeSet<>(dutch);
    onlyDutch.removeAll(english);
    assertThat(onlyDutch)
        // Their English is the text the code gives, which the API and the logs use (Said).
        .as("keys in Dutch only must be texts whose English is in the code")
        .allSatisfy(
            key ->
                assertThat(
                        key.startsWith("error.") && !key.equals("error.title")
                            || key.startsWith("anchoring."))
                    .as(key)
                    .isTrue());
  }

  @Test
  void everyKeyATemplateUsesIsInTheBundles() throws IOException {
    Set<String> english = keys("messages.properties");
    Set<String> dutch = keys("messages_nl.properties");
    List<String> used = new ArrayList<>();
    for (Path template : templates()) {
      Matcher keys = MESSAGE_KEY.matcher(Files.readString(template));
      while (keys.find()) {
        used.add(keys.group(1));
      }
    }
    assertThat(used).as("keys found in the templates").hasSizeGreaterThan(100);
    assertThat(used)
        .allSatisfy(key -> assertThat(english).as("English " + key).contains(key))
        .allSatisfy(key -> assertThat(dutch).as("Dutch " + key).contains(key));
  }

  /**
   * A word in a template outside a {@code th:text} (which replaces it) is a word that would be
   * shown in one language only.
   */
  @Test
  void noTemplateHoldsTextOutsideTheBundles() throws IOException {
    List<String> hardCoded = new ArrayList<>();
    for (Path template : templates()) {
      Document page = Jsoup.parse(template.toFile(), StandardCharsets.UTF_8.name());
      for (Element element : page.getAllElements()) {
        if (replaced(element) || element.tagName().equals("script")) {
          continue;
        }
        for (TextNode text : element.textNodes()) {
          if (hasWords(text.text())) {
            hardCoded.add(template.getFileName() + ": " + text.text().strip());
          }
        }
        for (String attribute : List.of("placeholder", "title", "alt", "aria-label")) {
          if (hasWords(element.attr(attribute))) {
            hardCoded.add(
                template.getFileName() + ": " + attribute + "=" + element.attr(attribute));
          }
        }
      }
    }
    assertThat(hardCoded).isEmpty();
  }

  /** The check above does find a word put in a page. */
  @Test
  void theTextCheckFindsAHardCodedWord() {
    Element paragraph = Jsoup.parse("<p>Nothing found.</p>").selectFirst("p");
    assertThat(replaced(paragraph)).isFalse();
    assertThat(hasWords(paragraph.textNodes().get(0).text())).isTrue();
    assertThat(hasWords(" → , — ")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "12345|Het BSN moet negen cijfers hebben.|bsn must be nine digits",
        "123456789|Het BSN voldoet niet aan de elfproef.|bsn fails the eleven-test (elfproef)"
      })
  void aBadBsnIsSaidInTheLanguageOfThePage(String example) {
    String[] parts = example.split("\\|");
    InvalidSearchException e = refused(() -> forms().subjectPseudonym(parts[0]));
    assertThat(said(e.said(), "nl")).isEqualTo(parts[1]);
    assertThat(said(e.said(), "en")).isEqualTo(parts[2]).isEqualTo(e.getMessage());
  }

  @Test
  void everyErrorOfTheSearchFormIsSaidInDutch() {
    SearchForms forms = forms();
    List<InvalidSearchException> errors =
        List.of(
            refused(() -> forms.toQuery(form("999990019", "ab.cd", null, null, null, null))),
            refused(() -> forms.toQuery(form(null, null, "maybe", null, null, null))),
            refused(() -> forms.toQuery(form(null, null, null, "yesterday", null, null))),
            refused(() -> forms.toQuery(form(null, null, null, null, "tomorrow", null))),
            refused(() -> forms.toQuery(form(null, null, null, "2026-05-02", "2026-05-01", null))),
            refused(() -> forms.toQuery(form(null, null, null, null, null, 10_000))),
            refused(() -> StatsPeriod.of("week")));
    assertThat(errors)
        .allSatisfy(
            e -> {
              String dutch = said(e.said(), "nl");
              assertThat(dutch).as(e.getMessage()).isNotEqualTo(e.getMessage()).endsWith(".");
              assertThat(said(e.said(), "en")).isEqualTo(e.getMessage());
            });
    assertThat(said(errors.get(5).said(), "nl")).contains("200");
  }

  private static String said(Said said, String language) {
    return MESSAGES.getMessage(said, Locale.forLanguageTag(language));
  }

  private static InvalidSearchException refused(Runnable search) {
    try {
      search.run();
    } catch (InvalidSearchException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  private static SearchForm form(
      String bsn, String subject, String decision, String from, String to, Integer size) {
    return new SearchForm(bsn, subject, null, null, null, null, decision, from, to, null, size);
  }

  /** The form checks of the console's defaults, with a key of its own. */
  private static SearchForms forms() {
    ConsoleProperties defaults = ConsoleProperties.withDefaults();
    KeyRing keys = KeyRing.of(Map.of("subject-key", new byte[32]));
    return new SearchForms(
        new SubjectPseudonyms(Pseudonymiser.forAuditSubjectEveryVersion("subject-key", keys)),
        defaults);
  }

  /** An element whose content a Thymeleaf attribute replaces, or inside one. */
  private static boolean replaced(Element element) {
    for (Element e = element; e != null; e = e.parent()) {
      if (e.hasAttr("th:text") || e.hasAttr("th:utext") || e.hasAttr("th:replace")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasWords(String text) {
    return text.codePoints().anyMatch(Character::isLetter);
  }

  private static List<Path> templates() throws IOException {
    try (Stream<Path> files = Files.list(TEMPLATES)) {
      return files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
    }
  }

  private static Set<String> keys(String bundle) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = ConsoleMessagesTest.class.getResourceAsStream("/" + bundle)) {
      properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return new TreeSet<>(properties.stringPropertyNames());
  }
}
