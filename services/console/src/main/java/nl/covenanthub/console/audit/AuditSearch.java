package nl.covenanthub.console.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.ConsoleProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Searches the audit index: who received what, about whom, when and why. For the API, the pages and
 * the Art. 15 report alike; every query is one indexed SQL statement.
 */
@Service
public class AuditSearch {
  private final JdbcClient jdbc;
  private final String zone;

  public AuditSearch(JdbcClient jdbc, ConsoleProperties properties) {
    this.jdbc = jdbc;
    this.zone = properties.timeZone().getId();
  }

  /** The page of records that match {@code query}, newest first, and how many match in all. */
  public DisclosurePage search(DisclosureQuery query) {
    Map<String, Object> params = new HashMap<>();
    String where = where(query, params);
    long total =
        jdbc.sql("SELECT count(*) FROM audit_record" + where)
            .params(params)
            .query(Long.class)
            .single();
    params.put("limit", query.size());
    params.put("offset", (long) query.page() * query.size());
    List<Disclosure> items =
        jdbc.sql(
                "SELECT "
                    + AuditRecordTable.COLUMNS
                    + " FROM audit_record"
                    + where
                    + " ORDER BY decided_at DESC, chain_id, sequence DESC LIMIT :limit OFFSET :offset")
            .params(params)
            .query(AuditRecordTable.DISCLOSURE)
            .list();
    return new DisclosurePage(items, query.page(), query.size(), total);
  }

  /** The record of one decision, by its disclosure id. */
  public Optional<Disclosure> disclosure(String disclosureId) {
    return jdbc.sql(
            "SELECT "
                + AuditRecordTable.COLUMNS
                + " FROM audit_record WHERE disclosure_id = :id"
                + " ORDER BY decided_at DESC LIMIT 1")
        .param("id", disclosureId)
        .query(AuditRecordTable.DISCLOSURE)
        .optional();
  }

  /**
   * How many decisions per day or month, partner pair, purpose and decision, among the records that
   * match {@code filters} (its page is ignored); oldest period first.
   */
  public List<DisclosureCount> counts(DisclosureQuery filters, StatsPeriod by) {
    Map<String, Object> params = new HashMap<>();
    String where = where(filters, params);
    params.put("unit", by.truncateTo);
    params.put("format", by.format);
    params.put("zone", zone);
    return jdbc.sql(
            "SELECT to_char(date_trunc(:unit, decided_at AT TIME ZONE :zone), :format) AS period,"
                + " sender, recipient, purpose, decision, count(*) AS count FROM audit_record"
                + where
                + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5")
        .params(params)
        .query(
            (rs, row) ->
                new DisclosureCount(
                    rs.getString("period"),
                    rs.getString("sender"),
                    rs.getString("recipient"),
                    rs.getString("purpose"),
                    AuditDecision.valueOf(rs.getString("decision")),
                    rs.getLong("count")))
        .list();
  }

  private static String where(DisclosureQuery query, Map<String, Object> params) {
    List<String> conditions = new ArrayList<>();
    if (query.subjectPseudonym() != null) {
      // Every version of the subject key's pseudonym of the person (SubjectPseudonyms).
      conditions.add("subject_pseudonym IN (:subject_pseudonym)");
      params.put("subject_pseudonym", SubjectPseudonyms.split(query.subjectPseudonym()));
    }
    equal(conditions, params, "case_reference", query.caseReference());
    equal(conditions, params, "sender", query.sender());
    equal(conditions, params, "recipient", query.recipient());
    equal(conditions, params, "purpose", query.purpose());
    equal(
        conditions, params, "decision", query.decision() == null ? null : query.decision().name());
    if (query.from() != null) {
      conditions.add("decided_at >= :from");
      params.put("from", AuditRecordTable.timestamp(query.from()));
    }
    if (query.to() != null) {
      conditions.add("decided_at < :to");
      params.put("to", AuditRecordTable.timestamp(query.to()));
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private static void equal(
      List<String> conditions, Map<String, Object> params, String column, String value) {
    if (value != null) {
      conditions.add(column + " = :" + column);
      params.put(column, value);
    }
  }
}
