package nl.covenanthub.covenant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Covenant text and keys shared by the tests. */
final class TestCovenants {
  static final LocalDate TODAY = LocalDate.of(2026, 11, 29);
  static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final byte[] SUBJECT_KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final KeyRing KEYS = KeyRing.of(Map.of("subject-key", SUBJECT_KEY));
  static final Path COVENANTS_DIR = Path.of("../../covenants");

  /**
   * A small valid covenant. Line numbers matter to the tests: rules start at line 18, the rule's
   * fields at line 24, retention at line 27.
   */
  static final String MINIMAL =
      """
      id: test-covenant
      title: Test covenant
      version: 1
      validity:
        from: 2025-01-01
        until: 2028-12-31
      coordinator: lzn
      parties:
        - id: lzn
          name: Lokaal Zorgnetwerk
        - id: politie
          name: Politie
      purposes:
        - id: zorg-en-veiligheid
          description: Care and safety
          legalBasis:
            general: AVG art. 6 lid 1 sub e
      rules:
        - id: politie-aan-lzn
          from: politie
          to: lzn
          purpose: zorg-en-veiligheid
          eventTypes: [CaseSignal]
          fields:
            caseReference: pass
            subject.name: pass
      retention:
        lzn: P1Y
      """;

  private TestCovenants() {}

  static LoadedCovenant load(String yaml) throws CovenantException {
    return CovenantLoader.load("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** Every problem the loader and the validator find in {@code yaml}, judged on {@link #TODAY}. */
  static List<Problem> problems(String yaml) {
    try {
      return new CovenantValidator(EventCatalog.standard()).validate(load(yaml), TODAY);
    } catch (CovenantException e) {
      return e.problems();
    }
  }

  static CovenantSet compile(String yaml) throws CovenantException {
    return CovenantSet.compile(List.of(load(yaml)), EventCatalog.standard(), KEYS, CLOCK);
  }

  /** The partners' real covenants from {@code covenants/}. */
  static CovenantSet partnerCovenants() throws Exception {
    try (Stream<Path> files = Files.list(COVENANTS_DIR)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      return CovenantSet.load(yaml, EventCatalog.standard(), KEYS, CLOCK);
    }
  }
}
