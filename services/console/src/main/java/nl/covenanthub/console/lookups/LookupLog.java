package nl.covenanthub.console.lookups;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import nl.covenanthub.console.audit.DisclosureQuery;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Records every lookup in the audit (who, when, for which subject pseudonym, case or record, with
 * which filters, how many results) in {@code lookup_log}, which the database keeps append-only.
 * Field names and the hub's identifiers only: a BSN never reaches it, since searches carry the
 * pseudonym.
 */
@Component
public class LookupLog {
  /** What was looked up. */
  public enum Action {
    SEARCH,
    RECORD,
    REPORT,
    REPORT_CSV,
    REPORT_LETTER,
    EXPORT_LOGBOEK
  }

  /** One row of the log. */
  public record Lookup(
      Instant lookedUpAt,
      String username,
      Action action,
      String subjectPseudonym,
      String caseReference,
      String disclosureId,
      String filters,
      long results) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Supplier<String> user;

  /** The log of the console's pages and API: the user is the one logged in. */
  @Autowired
  public LookupLog(JdbcClient jdbc, Clock clock) {
    this(jdbc, clock, LookupLog::currentUser);
  }

  private LookupLog(JdbcClient jdbc, Clock clock, Supplier<String> user) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.user = user;
  }

  /** The log of a tool that runs outside the console, as {@code user}. */
  public static LookupLog as(String user, JdbcClient jdbc, Clock clock) {
    return new LookupLog(jdbc, clock, () -> user);
  }

  /**
   * A search of the audit ({@link Action#SEARCH}) or an export by the same filters ({@link
   * Action#EXPORT_LOGBOEK}), and how many records it found.
   */
  public void queried(Action action, DisclosureQuery query, long found) {
    insert(action, query.subjectPseudonym(), query.caseReference(), null, filters(query), found);
  }

  /** One audit record read in full (found or not). */
  public void read(String disclosureId, boolean found) {
    insert(Action.RECORD, null, null, disclosureId, "disclosureId", found ? 1 : 0);
  }

  /** An Art. 15 report made (on screen or as CSV) about the subject with these pseudonyms. */
  public void reported(Action action, String subjectPseudonyms, long records) {
    insert(action, subjectPseudonyms, null, null, "subject", records);
  }

  /** The newest {@code limit} lookups, newest first. */
  public List<Lookup> newest(int limit) {
    return jdbc.sql(
            "SELECT looked_up_at, username, action, subject_pseudonym, case_reference,"
                + " disclosure_id, filters, results FROM lookup_log"
                + " ORDER BY looked_up_at DESC, id DESC LIMIT :limit")
        .param("limit", limit)
        .query(
            (rs, row) ->
                new Lookup(
                    rs.getTimestamp("looked_up_at").toInstant(),
                    rs.getString("username"),
                    Action.valueOf(rs.getString("action")),
                    rs.getString("subject_pseudonym"),
                    rs.getString("case_reference"),
                    rs.getString("disclosure_id"),
                    rs.getString("filters"),
                    rs.getLong("results")))
        .list();
  }

  private void insert(
      Action action,
      String subject,
      String caseReference,
      String disclosureId,
      String filters,
      long results) {
    jdbc.sql(
            "INSERT INTO lookup_log (looked_up_at, username, action, subject_pseudonym,"
                + " case_reference, disclosure_id, filters, results) VALUES (:at, :user, :action,"
                + " :subject, :caseReference, :disclosureId, :filters, :results)")
        .param("at", Timestamp.from(clock.instant()))
        .param("user", user.get())
        .param("action", action.name())
        .param("subject", subject)
        .param("caseReference", caseReference)
        .param("disclosureId", disclosureId)
        .param("filters", filters)
        .param("results", results)
        .update();
  }

  /** Which filters a search used, by name. */
  private static String filters(DisclosureQuery query) {
    List<String> used = new ArrayList<>();
    add(used, "subject", query.subjectPseudonym());
    add(used, "caseReference", query.caseReference());
    add(used, "sender", query.sender());
    add(used, "recipient", query.recipient());
    add(used, "purpose", query.purpose());
    add(used, "decision", query.decision());
    add(used, "from", query.from());
    add(used, "to", query.to());
    used.add("page " + query.page());
    return String.join(", ", used);
  }

  private static void add(List<String> used, String name, Object value) {
    if (value != null) {
      used.add(name);
    }
  }

  private static String currentUser() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    // Every lookup path requires a login; "unknown" would show a gap in that, not hide one.
    return authentication == null ? "unknown" : authentication.getName();
  }
}
