package nl.covenanthub.covenant;

/**
 * The canonical form of a BSN (burgerservicenummer): nine digits, with the spaces and dots people
 * write in it removed, that pass the eleven-test (elfproef). The hub pseudonymises only this form
 * and the console searches by it, so "999 990 019", "999.990.019" and "999990019" name one person.
 */
public final class Bsn {
  private Bsn() {}

  /** Why a text is not a BSN; its {@link #text} is what the message says. */
  public enum Problem {
    NOT_NINE_DIGITS("must be nine digits"),
    FAILS_ELEVEN_TEST("fails the eleven-test (elfproef)");

    private final String text;

    Problem(String text) {
      this.text = text;
    }
  }

  /** A text that is not a BSN. The message never quotes the text. */
  public static final class InvalidBsnException extends IllegalArgumentException {
    private final Problem problem;

    InvalidBsnException(Problem problem) {
      super(problem.text);
      this.problem = problem;
    }

    /** Why, for a caller that says it in another language. */
    public Problem problem() {
      return problem;
    }
  }

  /**
   * The nine digits of {@code written}; throws {@link InvalidBsnException} if, spaces and dots
   * removed, it is not nine digits or fails the eleven-test.
   */
  public static String canonical(CharSequence written) {
    StringBuilder digits = new StringBuilder(9);
    for (int i = 0; i < written.length(); i++) {
      char c = written.charAt(i);
      if (c == '.' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        continue;
      }
      if (c < '0' || c > '9' || digits.length() == 9) {
        throw new InvalidBsnException(Problem.NOT_NINE_DIGITS);
      }
      digits.append(c);
    }
    if (digits.length() != 9) {
      throw new InvalidBsnException(Problem.NOT_NINE_DIGITS);
    }
    if (!passesElevenTest(digits) || digits.toString().equals("000000000")) {
      throw new InvalidBsnException(Problem.FAILS_ELEVEN_TEST);
    }
    return digits.toString();
  }

  /** 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11. */
  private static boolean passesElevenTest(CharSequence digits) {
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += (9 - i) * (digits.charAt(i) - '0');
    }
    sum -= digits.charAt(8) - '0';
    return sum % 11 == 0;
  }
}
