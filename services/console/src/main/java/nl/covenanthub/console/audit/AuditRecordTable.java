package nl.covenanthub.console.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import org.springframework.jdbc.core.RowMapper;

/**
 * The table {@code audit_record}: how an {@link AuditRecord} is written to it and a {@link
 * Disclosure} read back.
 */
public final class AuditRecordTable {
  /** Every column of a {@link Disclosure}, in the order of its components. */
  public static final String COLUMNS =
      "chain_id, sequence, trace_id, span_id, sender_span_id, disclosure_id, decision, reason, detail, "
          + "event_id, event_type, case_reference, sender, recipient, purpose, legal_basis, covenant_id, covenant_version, "
          + "covenant_hash, rule_ids, disclosed_fields, transformed_fields, withheld_fields, retention, subject_pseudonym, "
          + "occurred_at, decided_at, source_topic, source_partition, source_offset, previous_hash, hash, "
          + "audit_partition, audit_offset";

  /** Stores a record once: read again (a replay), it is already there and left as it is. */
  public static final String INSERT =
      "INSERT INTO audit_record ("
          + COLUMNS
          + ") VALUES ("
          + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (chain_id, sequence) DO NOTHING";

  public static final RowMapper<Disclosure> DISCLOSURE =
      (rs, row) ->
          new Disclosure(
              rs.getString("chain_id"),
              rs.getLong("sequence"),
              rs.getString("trace_id"),
              rs.getString("span_id"),
              rs.getString("sender_span_id"),
              rs.getString("disclosure_id"),
              AuditDecision.valueOf(rs.getString("decision")),
              rs.getString("reason"),
              rs.getString("detail"),
              rs.getString("event_id"),
              rs.getString("event_type"),
              rs.getString("case_reference"),
              rs.getString("sender"),
              rs.getString("recipient"),
              rs.getString("purpose"),
              rs.getString("legal_basis"),
              rs.getString("covenant_id"),
              rs.getObject("covenant_version", Integer.class),
              rs.getString("covenant_hash"),
              strings(rs, "rule_ids"),
              strings(rs, "disclosed_fields"),
              strings(rs, "transformed_fields"),
              strings(rs, "withheld_fields"),
              rs.getString("retention"),
              rs.getString("subject_pseudonym"),
              instant(rs, "occurred_at"),
              instant(rs, "decided_at"),
              rs.getString("source_topic"),
              rs.getInt("source_partition"),
              rs.getLong("source_offset"),
              rs.getString("previous_hash"),
              rs.getString("hash"),
              rs.getInt("audit_partition"),
              rs.getLong("audit_offset"));

  private AuditRecordTable() {}

  /**
   * Sets the parameters of {@link #INSERT} for {@code record}, read from {@code hub.audit} at that
   * partition and offset.
   */
  public static void bind(
      PreparedStatement insert, AuditRecord record, int auditPartition, long auditOffset)
      throws SQLException {
    Connection connection = insert.getConnection();
    int i = 0;
    insert.setString(++i, record.getChainId());
    insert.setLong(++i, record.getSequence());
    insert.setString(++i, record.getTraceId());
    insert.setString(++i, record.getSpanId());
    insert.setString(++i, record.getSenderSpanId());
    insert.setString(++i, record.getDisclosureId());
    insert.setString(++i, record.getDecision().name());
    insert.setString(++i, record.getReason());
    insert.setString(++i, record.getDetail());
    insert.setString(++i, record.getEventId());
    insert.setString(++i, record.getEventType());
    insert.setString(++i, record.getCaseReference());
    insert.setString(++i, record.getSender());
    insert.setString(++i, record.getRecipient());
    insert.setString(++i, record.getPurpose());
    insert.setString(++i, record.getLegalBasis());
    insert.setString(++i, record.getCovenantId());
    insert.setObject(++i, record.getCovenantVersion(), java.sql.Types.INTEGER);
    insert.setString(++i, record.getCovenantHash());
    insert.setArray(++i, textArray(connection, record.getRuleIds()));
    insert.setArray(++i, textArray(connection, record.getDisclosedFields()));
    insert.setArray(++i, textArray(connection, record.getTransformedFields()));
    insert.setArray(++i, textArray(connection, record.getWithheldFields()));
    insert.setString(++i, record.getRetention());
    insert.setString(++i, record.getSubjectPseudonym());
    insert.setObject(++i, timestamp(record.getOccurredAt()));
    insert.setObject(++i, timestamp(record.getDecidedAt()));
    insert.setString(++i, record.getSourceTopic());
    insert.setInt(++i, record.getSourcePartition());
    insert.setLong(++i, record.getSourceOffset());
    insert.setString(++i, record.getPreviousHash());
    insert.setString(++i, record.getHash());
    insert.setInt(++i, auditPartition);
    insert.setLong(++i, auditOffset);
  }

  /** PostgreSQL's driver binds {@code timestamptz} from an OffsetDateTime, not from an Instant. */
  public static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static List<String> strings(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return Arrays.asList((String[]) array.getArray());
  }

  private static Array textArray(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(String[]::new));
  }
}
