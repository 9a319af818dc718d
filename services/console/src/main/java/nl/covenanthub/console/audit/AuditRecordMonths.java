package nl.covenanthub.console.audit;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The monthly partitions of {@code audit_record} (months of {@code decided_at} in UTC, named {@code
 * audit_record_yYYYYmMM}): created by the ingest before it stores a month's first record, dropped
 * whole by retention.
 */
@Component
public class AuditRecordMonths {
  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("'audit_record_y'uuuu'm'MM");

  private final JdbcClient jdbc;

  /** Months known to have their partition, so that a batch does not ask the database again. */
  private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

  public AuditRecordMonths(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Creates the partitions of these instants' months that are missing (in the caller's
   * transaction).
   */
  public void ensure(Collection<Instant> decided) {
    for (Instant instant : decided) {
      YearMonth month = monthOf(instant);
      if (!known.contains(month)) {
        jdbc.sql("SELECT audit_record_month(:decided)")
            .param("decided", AuditRecordTable.timestamp(instant))
            .query(String.class)
            .single();
        known.add(month);
      }
    }
  }

  /**
   * Forget what is known: after a rollback (a partition created in it is gone) or a partition
   * dropped.
   */
  public void forget() {
    known.clear();
  }

  /** The months that have a partition, oldest first. */
  public List<YearMonth> months() {
    return jdbc
        .sql(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'audit_record'::regclass ORDER BY c.relname")
        .query(String.class)
        .list()
        .stream()
        .map(AuditRecordMonths::parse)
        .flatMap(Optional::stream)
        .toList();
  }

  /** The partition's table name, for statements on one month only. */
  public static String table(YearMonth month) {
    return NAME.format(month);
  }

  /** The first instant after the month. */
  public static Instant end(YearMonth month) {
    return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static YearMonth monthOf(Instant instant) {
    return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
  }

  private static Optional<YearMonth> parse(String table) {
    try {
      return Optional.of(YearMonth.parse(table, NAME));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty(); // a partition someone added by hand: not retention's to drop
    }
  }
}
