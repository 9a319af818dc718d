package nl.covenanthub.console.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.console.ConsoleProperties;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Searches the audit index: who received what, about whom, when and why. For the API, the pages and
 * the Art. 15 report alike; every query is one indexed SQL statement.
 */
@Service
public class AuditSearch {
  private final JdbcClient jdbc;

  /**
   * Up to this many matching records the total is counted; above it, it is the planner's estimate,
   * and the page says so.
   */
  public static final int EXACT_UP_TO = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row of period, sender, recipient, purpose, decision and count. */
  public static final RowMapper<DisclosureCount> COUNT =
      (rs, row) ->
          new DisclosureCount(
              rs.getString("period"),
              rs.getString("sender"),
              rs.getString("recipient"),
              rs.getString("purpose"),
              AuditDecision.valueOf(rs.getString("decision")),
              rs.getLong("count"));

  private final ZoneId zone;

  public AuditSearch(JdbcClient jdbc, ConsoleProperties properties) {
    this.jdbc = jdbc;
    this.zone = properties.timeZone();
  }

  /** The page of records that match {@code query}, newest first, and how many match in all. */
  public DisclosurePage search(DisclosureQuery query) {
    Map<String, Object> params = new HashMap<>();
    String where = where(query, params);
    long counted =
        jdbc.sql(
                "SELECT count(*) FROM (SELECT 1 FROM audit_record"
                    + where
                    + " LIMIT "
                    + (EXACT_UP_TO + 1)
                    + ") AS matching")
            .params(params)
            .query(Long.class)
            .single();
    boolean estimated = counted > EXACT_UP_TO;
    long total = estimated ? Math.max(counted, estimate(where, params)) : counted;
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
    return new DisclosurePage(items, query.page(), query.size(), total, estimated);
  }

  /**
   * The planner's estimate of how many records match: counting them all would cost in proportion to
   * their number (about 0.6 s for 10 million), the estimate costs a plan.
   */
  private long estimate(String where, Map<String, Object> params) {
    String plan =
        jdbc.sql("EXPLAIN (FORMAT JSON) SELECT 1 FROM audit_record" + where)
            .params(params)
            .query(String.class)
            .single();
    try {
      return JSON.readTree(plan).path(0).path("Plan").path("Plan Rows").asLong(EXACT_UP_TO + 1);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("PostgreSQL's plan is not the JSON it documents", e);
    }
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
    params.put("unit", by.truncateTo);
    params.put("format", by.format);
    String sql;
    if (countedPerDay(filters)) {
      sql =
          "SELECT to_char(date_trunc(:unit, day), :format) AS period, sender,"
              + " nullif(recipient, '') AS recipient, nullif(purpose, '') AS purpose, decision,"
              + " sum(count) AS count FROM audit_day_count"
              + dayWhere(filters, params)
              + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
    } else {
      params.put("zone", zone.getId());
      sql =
          "SELECT to_char(date_trunc(:unit, decided_at AT TIME ZONE :zone), :format) AS period,"
              + " sender, recipient, purpose, decision, count(*) AS count FROM audit_record"
              + where(filters, params)
              + " GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
    }
    return jdbc.sql(sql).params(params).query(COUNT).list();
  }

  /**
   * Whether the decisions per day (audit_day_count) answer these filters: no subject or case, and
   * the time range, if any, on whole days.
   */
  private boolean countedPerDay(DisclosureQuery filters) {
    return filters.subjectPseudonym() == null
        && filters.caseReference() == null
        && startsADay(filters.from())
        && startsADay(filters.to());
  }

  private boolean startsADay(Instant instant) {
    return instant == null || instant.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT);
  }

  private String dayWhere(DisclosureQuery filters, Map<String, Object> params) {
    List<String> conditions = new ArrayList<>();
    equal(conditions, params, "sender", filters.sender());
    equal(conditions, params, "recipient", filters.recipient());
    equal(conditions, params, "purpose", filters.purpose());
    equal(
        conditions,
        params,
        "decision",
        filters.decision() == null ? null : filters.decision().name());
    if (filters.from() != null) {
      conditions.add("day >= :from");
      params.put("from", LocalDate.ofInstant(filters.from(), zone));
    }
    if (filters.to() != null) {
      conditions.add("day < :to");
      params.put("to", LocalDate.ofInstant(filters.to(), zone));
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
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
