package nl.covenanthub.console.audit;

import nl.covenanthub.console.Said;

/**
 * A search the console cannot run as asked (a bad date, an unknown decision, too large a page). The
 * message never quotes a BSN. Its message is English (the API's); a page says it in the user's
 * language, from the bundles' {@code error.<code>}.
 */
public class InvalidSearchException extends IllegalArgumentException {
  private final transient Said said;

  /** A problem only the API meets, said in English only. */
  public InvalidSearchException(String message) {
    this(null, message);
  }

  /** A problem a page can meet: {@code message} in English, {@code error.<code>} in the bundles. */
  public InvalidSearchException(String code, String message, Object... arguments) {
    super(message);
    this.said = new Said(code == null ? null : "error." + code, message, arguments);
  }

  /** The problem, to be said in a page's language. */
  public Said said() {
    return said;
  }
}
