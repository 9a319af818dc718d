package nl.covenanthub.console.signals;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Who looked at or changed which signal of the werkbestand, and when ({@code signal_view_log},
 * append-only): the signal's reference, never its content.
 */
@Component
public class SignalViewLog {
  /** What was done. */
  public enum Action {
    LIST,
    VIEW,
    MERGE,
    ENRICH,
    DISMISS,
    AGENDA,
    ESCALATE,
    ADMINISTRATIVE,
    WITHDRAW
  }

  /** One row of the log. */
  public record Entry(Instant viewedAt, String username, Action action, String reference) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  SignalViewLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void record(Action action, String reference) {
    jdbc.sql(
            "INSERT INTO signal_view_log (viewed_at, username, action, reference)"
                + " VALUES (:at, :user, :action, :reference)")
        .param("at", Timestamp.from(clock.instant()))
        .param("user", currentUser())
        .param("action", action.name())
        .param("reference", reference)
        .update();
  }

  /** The newest {@code limit} entries, newest first. */
  public List<Entry> newest(int limit) {
    return jdbc.sql(
            "SELECT viewed_at, username, action, reference FROM signal_view_log"
                + " ORDER BY id DESC LIMIT :limit")
        .param("limit", limit)
        .query(
            (rs, row) ->
                new Entry(
                    rs.getTimestamp(1).toInstant(),
                    rs.getString(2),
                    Action.valueOf(rs.getString(3)),
                    rs.getString(4)))
        .list();
  }

  private static String currentUser() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    // Every triage path requires a login; "unknown" would show a gap in that, not hide one.
    return authentication == null ? "unknown" : authentication.getName();
  }
}
