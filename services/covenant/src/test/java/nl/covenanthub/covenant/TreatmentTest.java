package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TreatmentTest {
  private static final Treatment.Scope SCOPE =
      new Treatment.Scope("aanpak-ondermijning-west-maas-en-waal", "riec", "aanpak-ondermijning");
  private static final Schema STRING = Schema.create(Schema.Type.STRING);
  private static final Schema DATE =
      LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
  private static final Schema TIMESTAMP =
      LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));

  @Test
  void passKeepsTheValue() {
    Treatment pass = new Treatment.Pass();
    assertThat(pass.transform(TestCovenants.KEYS, SCOPE).apply("J. de Vries"))
        .isEqualTo("J. de Vries");
    assertThat(pass.discloses()).isTrue();
    assertThat(pass.viewType(DATE)).isSameAs(DATE);
  }

  @Test
  void dropDisclosesNothing() {
    Treatment drop = new Treatment.Drop();
    assertThat(drop.discloses()).isFalse();
    assertThat(drop.revealsValue()).isFalse();
    assertThat(drop.transform(TestCovenants.KEYS, SCOPE).apply("secret")).isNull();
  }

  @Test
  void pseudonymiseIsKeyedStableAndHidesTheValue() {
    Treatment subjectKey = new Treatment.Pseudonymise("subject-key");
    String first = (String) subjectKey.transform(TestCovenants.KEYS, SCOPE).apply(TestEvents.BSN);
    String again = (String) subjectKey.transform(TestCovenants.KEYS, SCOPE).apply(TestEvents.BSN);
    String other = (String) subjectKey.transform(TestCovenants.KEYS, SCOPE).apply("999991772");
    KeyRing otherKeys =
        KeyRing.of(Map.of("subject-key", "another-key-another-key-another-k".getBytes()));
    String otherKey = (String) subjectKey.transform(otherKeys, SCOPE).apply(TestEvents.BSN);

    assertThat(first).as("same value, same key: same pseudonym, so records link").isEqualTo(again);
    assertThat(first).as("pseudonym does not contain the BSN").doesNotContain(TestEvents.BSN);
    assertThat(first)
        .as("the key id, then base64url of a 32-byte HMAC")
        .matches("[A-Za-z0-9_-]{8}\\.[A-Za-z0-9_-]{43}");
    assertThat(other).as("different BSN, different pseudonym").isNotEqualTo(first);
    assertThat(otherKey).as("different key, different pseudonym").isNotEqualTo(first);
  }

  @Test
  void pseudonymsAreBoundToCovenantRecipientAndPurposeUnlessAScopeIsSharedOnPurpose() {
    Treatment pseudonymise = new Treatment.Pseudonymise("subject-key");
    String toRiec = pseudonymOf(pseudonymise, SCOPE);
    String toPolitie =
        pseudonymOf(
            pseudonymise,
            new Treatment.Scope(SCOPE.covenantId(), "politie", "aanpak-ondermijning"));
    String otherPurpose =
        pseudonymOf(
            pseudonymise, new Treatment.Scope(SCOPE.covenantId(), "riec", "zorg-en-veiligheid"));
    String otherCovenant =
        pseudonymOf(
            pseudonymise,
            new Treatment.Scope("zorg-en-veiligheid-west-maas-en-waal", "riec", SCOPE.purpose()));
    String audit =
        Pseudonymiser.forAuditSubject("subject-key", TestCovenants.KEYS).pseudonym(TestEvents.BSN);

    assertThat(List.of(toRiec, toPolitie, otherPurpose, otherCovenant, audit))
        .as("one person, five uses, five pseudonyms that do not link")
        .doesNotHaveDuplicates();
    assertThat(List.of(toRiec, toPolitie, otherPurpose, otherCovenant, audit))
        .as("one key version: one key id")
        .extracting(p -> p.substring(0, 8))
        .containsOnly(Pseudonymiser.keyId(TestCovenants.SUBJECT_KEY));

    Treatment shared = new Treatment.Pseudonymise("subject-key", "matching", "a basis");
    assertThat(pseudonymOf(shared, SCOPE))
        .as("a scope shared on purpose: both recipients get one pseudonym")
        .isEqualTo(
            pseudonymOf(
                shared, new Treatment.Scope(SCOPE.covenantId(), "politie", "aanpak-ondermijning")))
        .isNotEqualTo(toRiec);
    assertThat(
            pseudonymOf(
                shared, new Treatment.Scope("zorg-en-veiligheid-west-maas-en-waal", "riec", "x")))
        .as("a shared scope is a covenant's own")
        .isNotEqualTo(pseudonymOf(shared, SCOPE));
  }

  @Test
  void afterARotationNewPseudonymsUseTheNewKeyAndTheOldOnesStayResolvable() {
    byte[] next = "the-next-subject-key-the-next-sub".getBytes();
    KeyRing rotated =
        KeyRing.ofVersions(Map.of("subject-key", List.of(next, TestCovenants.SUBJECT_KEY)));
    String before =
        Pseudonymiser.forAuditSubject("subject-key", TestCovenants.KEYS).pseudonym(TestEvents.BSN);
    String after = Pseudonymiser.forAuditSubject("subject-key", rotated).pseudonym(TestEvents.BSN);

    assertThat(after).isNotEqualTo(before).startsWith(Pseudonymiser.keyId(next) + ".");
    assertThat(
            Pseudonymiser.forAuditSubjectEveryVersion("subject-key", rotated).stream()
                .map(p -> p.pseudonym(TestEvents.BSN)))
        .as("what the console searches by during the overlap")
        .containsExactly(after, before);
  }

  private static String pseudonymOf(Treatment treatment, Treatment.Scope scope) {
    return (String) treatment.transform(TestCovenants.KEYS, scope).apply(TestEvents.BSN);
  }

  @Test
  void pseudonymiseFailsClearlyWithoutItsKey() {
    Treatment missing = new Treatment.Pseudonymise("absent-key");
    assertThatThrownBy(() -> missing.transform(TestCovenants.KEYS, SCOPE))
        .hasMessageContaining("'absent-key' is not configured")
        .hasMessageContaining("COVENANT_KEY_ABSENT_KEY");
  }

  @Test
  void pseudonymiseAppliesToTextOnly() {
    Treatment pseudonymise = new Treatment.Pseudonymise("subject-key");
    assertThat(pseudonymise.unsuitableFor(STRING)).isEmpty();
    assertThat(pseudonymise.unsuitableFor(DATE))
        .hasValueSatisfying(why -> assertThat(why).contains("text fields"));
  }

  @Test
  void generaliseYearTurnsDatesAndTimestampsIntoTheirYear() {
    Treatment year = new Treatment.Generalise(Treatment.Generalisation.YEAR);
    var toYear = year.transform(TestCovenants.KEYS, SCOPE);
    assertThat(toYear.apply((int) LocalDate.of(1971, 4, 12).toEpochDay())).isEqualTo(1971);
    assertThat(toYear.apply(LocalDate.of(1983, 12, 31))).isEqualTo(1983);
    assertThat(toYear.apply(Instant.parse("2026-11-28T22:41:00Z").toEpochMilli())).isEqualTo(2026);
    assertThat(year.viewType(DATE).getType()).isEqualTo(Schema.Type.INT);
    assertThat(year.viewType(DATE).getLogicalType())
        .as("a year is a plain number, not a date")
        .isNull();
    assertThat(year.unsuitableFor(DATE)).isEmpty();
    assertThat(year.unsuitableFor(TIMESTAMP)).isEmpty();
    assertThat(year.unsuitableFor(STRING)).isPresent();
  }

  @Test
  void generalisePostcodeAreaKeepsTheFourDigits() {
    Treatment area = new Treatment.Generalise(Treatment.Generalisation.POSTCODE_AREA);
    var toArea = area.transform(TestCovenants.KEYS, SCOPE);
    assertThat(toArea.apply("6658 AB")).isEqualTo("6658");
    assertThat(toArea.apply("6658AB")).isEqualTo("6658");
    assertThat(toArea.apply("AB 6658")).as("not a Dutch postcode: nothing passes").isNull();
    assertThat(area.unsuitableFor(DATE)).isPresent();
  }

  @Test
  void redactReplacesWithTheConstantAndRevealsNothing() {
    Treatment redact = new Treatment.Redact("[zie contactpersoon]");
    assertThat(redact.transform(TestCovenants.KEYS, SCOPE).apply("Betrokkene hoort stemmen"))
        .isEqualTo("[zie contactpersoon]");
    assertThat(redact.discloses()).as("the field is present").isTrue();
    assertThat(redact.revealsValue()).as("but its value is not").isFalse();
    assertThat(redact.viewType(DATE).getType()).isEqualTo(Schema.Type.STRING);
  }
}
