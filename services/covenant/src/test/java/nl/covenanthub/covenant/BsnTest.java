package nl.covenanthub.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

/** One canonical BSN: nine digits, spaces and dots ignored, the eleven-test passed. */
class BsnTest {
  private static final long SEED = 20261203L;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "999990019",
        "999 990 019",
        "999.990.019",
        " 9999 90019\t",
        "999\u00a0990\u00a0019"
      })
  void spacesAndDotsAreNotPartOfTheNumber(String written) {
    assertThat(Bsn.canonical(written)).isEqualTo("999990019");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "12345", "9999900190", "99999001", "999-990-019", "99999001x", "٩٩٩٩٩٠٠١٩"})
  void anythingButNineDigitsIsRefusedWithoutQuotingIt(String written) {
    assertThatThrownBy(() -> Bsn.canonical(written))
        .isInstanceOf(Bsn.InvalidBsnException.class)
        .hasMessage("must be nine digits")
        .extracting(e -> ((Bsn.InvalidBsnException) e).problem())
        .isEqualTo(Bsn.Problem.NOT_NINE_DIGITS);
  }

  @Test
  void nineDigitsThatFailTheElevenTestAreRefused() {
    assertThatThrownBy(() -> Bsn.canonical("123456789"))
        .isInstanceOf(Bsn.InvalidBsnException.class)
        .hasMessage("fails the eleven-test (elfproef)")
        .extracting(e -> ((Bsn.InvalidBsnException) e).problem())
        .isEqualTo(Bsn.Problem.FAILS_ELEVEN_TEST);
    assertThatThrownBy(() -> Bsn.canonical("000000000"))
        .hasMessage("fails the eleven-test (elfproef)");
  }

  /**
   * Valid BSNs: eight random digits and the ninth that completes the eleven-test, when there is
   * one.
   */
  private static Gen<String> validBsns() {
    return integers()
        .between(0, 99_999_999)
        .map(
            eight -> {
              String first = String.format("%08d", eight);
              int sum = 0;
              for (int i = 0; i < 8; i++) {
                sum += (9 - i) * (first.charAt(i) - '0');
              }
              int last = Math.floorMod(sum, 11);
              return last == 10 ? null : first + last;
            })
        .assuming(bsn -> bsn != null && !bsn.equals("000000000"));
  }

  @Test
  void everyValidBsnIsItsOwnCanonicalForm() {
    qt().withFixedSeed(SEED)
        .withExamples(500)
        .forAll(validBsns())
        .checkAssert(bsn -> assertThat(Bsn.canonical(bsn)).isEqualTo(bsn));
  }

  /** What the eleven-test is for: one mistyped digit never yields another valid BSN. */
  @Test
  void aSingleWrongDigitIsAlwaysRefused() {
    qt().withFixedSeed(SEED)
        .withExamples(500)
        .forAll(validBsns(), integers().between(0, 8), integers().between(1, 9))
        .checkAssert(
            (bsn, position, shift) -> {
              char[] digits = bsn.toCharArray();
              digits[position] = (char) ('0' + (digits[position] - '0' + shift) % 10);
              assertThatThrownBy(() -> Bsn.canonical(new String(digits)))
                  .hasMessage("fails the eleven-test (elfproef)");
            });
  }

  @Test
  void twoSwappedNeighboursAreRefusedWhenTheyDiffer() {
    qt().withFixedSeed(SEED)
        .withExamples(500)
        .forAll(validBsns(), integers().between(0, 7))
        .assuming((bsn, i) -> bsn.charAt(i) != bsn.charAt(i + 1))
        .checkAssert(
            (bsn, i) -> {
              char[] digits = bsn.toCharArray();
              char swap = digits[i];
              digits[i] = digits[i + 1];
              digits[i + 1] = swap;
              assertThatThrownBy(() -> Bsn.canonical(new String(digits)))
                  .hasMessage("fails the eleven-test (elfproef)");
            });
  }
}
