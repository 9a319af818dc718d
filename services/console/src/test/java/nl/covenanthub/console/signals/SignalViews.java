package nl.covenanthub.console.signals;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What the werkbestand's view log holds, for the tests. */
public final class SignalViews {
  private SignalViews() {}

  /** How often {@code user} read the signal {@code reference}. */
  public static long of(JdbcClient db, String user, String reference) {
    return db.sql(
            "SELECT count(*) FROM signal_view_log WHERE username = ? AND reference = ?"
                + " AND action = 'VIEW'")
        .params(user, reference)
        .query(Long.class)
        .single();
  }
}
