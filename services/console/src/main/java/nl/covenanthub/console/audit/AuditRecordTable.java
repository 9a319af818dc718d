package nl.covenanthub.console.audit;

import java.io.IOException;
import java.io.Writer;
import java.sql.Array;
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

  /**
   * COPY of {@link #COLUMNS} from rows in COPY's text format, as {@link #copyRow} writes them: the
   * ingest's bulk path. Which records may be stored (not a replay, not a fork) the ingest decides
   * before.
   */
  public static final String COPY = "COPY audit_record (" + COLUMNS + ") FROM STDIN";

  /**
   * A {@link Disclosure} from a row of {@link #COLUMNS}, in that order (by position: looking each
   * column up by name cost a tenth of the integrity check).
   */
  public static final RowMapper<Disclosure> DISCLOSURE =
      (rs, row) ->
          new Disclosure(
              rs.getString(1),
              rs.getLong(2),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              rs.getString(6),
              AuditDecision.valueOf(rs.getString(7)),
              rs.getString(8),
              rs.getString(9),
              rs.getString(10),
              rs.getString(11),
              rs.getString(12),
              rs.getString(13),
              rs.getString(14),
              rs.getString(15),
              rs.getString(16),
              rs.getString(17),
              rs.getObject(18, Integer.class),
              rs.getString(19),
              strings(rs, 20),
              strings(rs, 21),
              strings(rs, 22),
              strings(rs, 23),
              rs.getString(24),
              rs.getString(25),
              instant(rs, 26),
              instant(rs, 27),
              rs.getString(28),
              rs.getInt(29),
              rs.getLong(30),
              rs.getString(31),
              rs.getString(32),
              rs.getInt(33),
              rs.getLong(34));

  private AuditRecordTable() {}

  /**
   * Writes {@code record}, read from {@code hub.audit} at that partition and offset, as one row of
   * {@link #COPY}: the columns of {@link #COLUMNS} in order, tab-separated, {@code \N} for null.
   */
  public static void copyRow(Writer row, AuditRecord record, int auditPartition, long auditOffset)
      throws IOException {
    text(row, record.getChainId());
    number(row, record.getSequence());
    text(row, record.getTraceId());
    text(row, record.getSpanId());
    text(row, record.getSenderSpanId());
    text(row, record.getDisclosureId());
    text(row, record.getDecision().name());
    text(row, record.getReason());
    text(row, record.getDetail());
    text(row, record.getEventId());
    text(row, record.getEventType());
    text(row, record.getCaseReference());
    text(row, record.getSender());
    text(row, record.getRecipient());
    text(row, record.getPurpose());
    text(row, record.getLegalBasis());
    text(row, record.getCovenantId());
    number(row, record.getCovenantVersion());
    text(row, record.getCovenantHash());
    array(row, record.getRuleIds());
    array(row, record.getDisclosedFields());
    array(row, record.getTransformedFields());
    array(row, record.getWithheldFields());
    text(row, record.getRetention());
    text(row, record.getSubjectPseudonym());
    // ISO 8601 with Z: what timestamptz reads, whatever the session's time zone.
    text(row, record.getOccurredAt() == null ? null : record.getOccurredAt().toString());
    text(row, record.getDecidedAt().toString());
    text(row, record.getSourceTopic());
    number(row, record.getSourcePartition());
    number(row, record.getSourceOffset());
    text(row, record.getPreviousHash());
    text(row, record.getHash());
    number(row, auditPartition);
    row.write(Long.toString(auditOffset));
    row.write('\n');
  }

  private static void number(Writer row, Number value) throws IOException {
    row.write(value == null ? "\\N" : value.toString());
    row.write('\t');
  }

  private static void text(Writer row, String value) throws IOException {
    if (value == null) {
      row.write("\\N");
    } else {
      escaped(row, value);
    }
    row.write('\t');
  }

  /** A text[] literal ({"a","b"}), each element quoted, then escaped for COPY like any text. */
  private static void array(Writer row, List<String> values) throws IOException {
    StringBuilder literal = new StringBuilder("{");
    for (String value : values) {
      if (literal.length() > 1) {
        literal.append(',');
      }
      literal.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          literal.append('\\');
        }
        literal.append(c);
      }
      literal.append('"');
    }
    text(row, literal.append('}').toString());
  }

  /** COPY's text format: backslash, tab, newline and carriage return are backslash escapes. */
  private static void escaped(Writer row, String value) throws IOException {
    int plain = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String escape =
          switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> null;
          };
      if (escape != null) {
        row.write(value, plain, i - plain);
        row.write(escape);
        plain = i + 1;
      }
    }
    row.write(value, plain, value.length() - plain);
  }

  /** PostgreSQL's driver binds {@code timestamptz} from an OffsetDateTime, not from an Instant. */
  public static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static List<String> strings(ResultSet rs, int column) throws SQLException {
    Array array = rs.getArray(column);
    return Arrays.asList((String[]) array.getArray());
  }
}
