package nl.covenanthub.console.audit;

/**
 * A search the console cannot run as asked (a bad date, an unknown decision, too large a page). The
 * message never quotes a BSN.
 */
public class InvalidSearchException extends IllegalArgumentException {
  public InvalidSearchException(String message) {
    super(message);
  }
}
