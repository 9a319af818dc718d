package nl.covenanthub.console;

/**
 * A small valid covenant with an id and purpose of its own, for tests that propose versions: the
 * console keeps every version for ever, so each test takes a covenant no other test touches.
 */
public final class TestCovenantText {
  private TestCovenantText() {}

  /** politie tells lzn the named fields of a CaseSignal, for the purpose {@code id}. */
  public static String of(String id, int version, String... passingFields) {
    StringBuilder yaml =
        new StringBuilder(
            """
            id: %s
            title: Test covenant %s
            version: %d
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
              - id: %s
                description: Care and safety
                legalBasis:
                  general: AVG art. 6 lid 1 sub e
            rules:
              - id: politie-aan-lzn
                from: politie
                to: lzn
                purpose: %s
                eventTypes: [CaseSignal]
                fields:
            """
                .formatted(id, id, version, id, id));
    for (String field : passingFields) {
      yaml.append("      ").append(field).append(": pass\n");
    }
    return yaml.append("retention:\n  lzn: P1Y\n").toString();
  }
}
