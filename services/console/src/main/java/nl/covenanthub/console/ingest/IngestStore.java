package nl.covenanthub.console.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.audit.AuditRecordMonths;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch of hub.audit to PostgreSQL in one transaction: the records, the unreadable ones,
 * the chain heads and the offsets to resume from. So the index and its position never disagree:
 * after a crash the console resumes exactly after the last stored batch, and a record read twice is
 * stored once (each record is placed by its chain's head before it is stored).
 */
@Component
class IngestStore {
  private static final Logger log = LoggerFactory.getLogger(IngestStore.class);

  private static final int COPY_BUFFER = 1 << 16;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final AuditRecordMonths months;
  private final ZoneId zone;

  IngestStore(
      JdbcTemplate jdbc,
      TransactionTemplate transaction,
      AuditRecordMonths months,
      ConsoleProperties properties) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.months = months;
    this.zone = properties.timeZone();
  }

  void store(AuditBatch batch) {
    try {
      write(batch);
    } catch (RuntimeException e) {
      months.forget(); // a partition created in the rolled-back transaction is gone
      // The driver's message quotes the statement with its values (case references, pseudonyms):
      // not for the log.
      Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
      String state = cause instanceof SQLException sql ? " SQLState " + sql.getSQLState() : "";
      log.warn(
          "Storing {} audit record(s) failed ({}{}); the batch is retried",
          batch.records().size(),
          cause.getClass().getSimpleName(),
          state);
      throw e;
    }
  }

  private void write(AuditBatch batch) {
    transaction.executeWithoutResult(
        status -> {
          Placement placement = place(afterCheckpoints(batch.records()));
          months.ensure(
              placement.fresh().stream().map(read -> read.record().getDecidedAt()).toList());
          copy(placement.fresh());
          countDays(placement.fresh());
          storeProblems(batch.problems());
          storeForks(placement.forks());
          advanceChainHeads(placement.fresh());
          storePositions(batch.nextOffsets());
        });
  }

  /**
   * The records of a batch, sorted: fresh ones to store, and forks (a different record at a
   * position already taken). A record at a position taken by the same record (a replay) is in
   * neither.
   */
  record Placement(List<AuditBatch.Read> fresh, List<AuditBatch.Read> forks) {}

  /**
   * Sorts a batch by the chains' heads: a record past its chain's head is fresh (the usual case, no
   * lookup); one at or before it is looked up where it would be stored.
   */
  private Placement place(List<AuditBatch.Read> records) {
    Map<String, Long> heads = new HashMap<>();
    if (!records.isEmpty()) {
      jdbc.query(
          "SELECT chain_id, sequence FROM chain_head WHERE chain_id = ANY (?)",
          rs -> {
            heads.put(rs.getString("chain_id"), rs.getLong("sequence"));
          },
          (Object)
              records.stream().map(r -> r.record().getChainId()).distinct().toArray(String[]::new));
    }
    List<AuditBatch.Read> fresh = new ArrayList<>(records.size());
    List<AuditBatch.Read> forks = new ArrayList<>();
    List<AuditBatch.Read> behindHead = new ArrayList<>();
    Map<String, String> taken = new HashMap<>(); // position -> hash, of this batch's fresh records
    for (AuditBatch.Read read : records) {
      AuditRecord record = read.record();
      Long head = heads.get(record.getChainId());
      if (head == null || record.getSequence() > head) {
        heads.put(record.getChainId(), record.getSequence());
        taken.put(position(record), record.getHash());
        fresh.add(read);
      } else {
        behindHead.add(read);
      }
    }
    Map<String, String> stored = storedHashes(behindHead);
    for (AuditBatch.Read read : behindHead) {
      String position = position(read.record());
      String hash = taken.containsKey(position) ? taken.get(position) : stored.get(position);
      if (hash == null) {
        taken.put(position, read.record().getHash()); // a gap in the index, filled
        fresh.add(read);
      } else if (!hash.equals(read.record().getHash())) {
        forks.add(read);
      }
    }
    return new Placement(fresh, forks);
  }

  private Map<String, String> storedHashes(List<AuditBatch.Read> records) {
    Map<String, String> stored = new HashMap<>();
    if (!records.isEmpty()) {
      jdbc.query(
          "SELECT a.chain_id, a.sequence, a.hash FROM audit_record a"
              + " JOIN unnest(?::text[], ?::bigint[]) AS b(chain_id, sequence)"
              + " ON a.chain_id = b.chain_id AND a.sequence = b.sequence",
          rs -> {
            stored.put(
                rs.getString("chain_id") + "#" + rs.getLong("sequence"), rs.getString("hash"));
          },
          records.stream().map(r -> r.record().getChainId()).toArray(String[]::new),
          records.stream().map(r -> r.record().getSequence()).toArray(Long[]::new));
    }
    return stored;
  }

  private static String position(AuditRecord record) {
    return record.getChainId() + "#" + record.getSequence();
  }

  /**
   * Streams the records to PostgreSQL's COPY in the caller's transaction: PostgreSQL stores rows
   * while the rest are still being written.
   */
  private void copy(List<AuditBatch.Read> records) {
    if (records.isEmpty()) {
      return;
    }
    jdbc.execute(
        (ConnectionCallback<Void>)
            connection -> {
              try (OutputStream rows =
                  new PGCopyOutputStream(
                      connection.unwrap(PGConnection.class), AuditRecordTable.COPY, COPY_BUFFER)) {
                for (AuditBatch.Read read : records) {
                  rows.write(read.copyRow());
                }
              } catch (IOException e) {
                // The driver's message quotes the row it failed on: only the SQLState goes on.
                Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
                String state =
                    cause instanceof SQLException sql
                        ? " (SQLState " + sql.getSQLState() + ")"
                        : "";
                throw new DataAccessResourceFailureException(
                    "COPY into audit_record failed" + state);
              }
              return null;
            });
  }

  /** One row of audit_day_count: what the chart counts. */
  private record Day(
      LocalDate day, String sender, String recipient, String purpose, String decision) {}

  /** Adds the batch's records to the decisions per day (audit_day_count). */
  private void countDays(List<AuditBatch.Read> records) {
    Map<Day, Long> days = new HashMap<>();
    for (AuditBatch.Read read : records) {
      AuditRecord record = read.record();
      days.merge(
          new Day(
              LocalDate.ofInstant(record.getDecidedAt(), zone),
              record.getSender(),
              Objects.requireNonNullElse(record.getRecipient(), ""),
              Objects.requireNonNullElse(record.getPurpose(), ""),
              record.getDecision().name()),
          1L,
          Long::sum);
    }
    batch(
        "INSERT INTO audit_day_count (day, sender, recipient, purpose, decision, count)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, sender, recipient, purpose, decision)"
            + " DO UPDATE SET count = audit_day_count.count + EXCLUDED.count",
        // In one order, so that two consoles adding to the same days cannot deadlock.
        days.entrySet().stream()
            .sorted(Comparator.comparing(day -> day.getKey().toString()))
            .toList(),
        (upsert, day) -> {
          upsert.setObject(1, day.getKey().day());
          upsert.setString(2, day.getKey().sender());
          upsert.setString(3, day.getKey().recipient());
          upsert.setString(4, day.getKey().purpose());
          upsert.setString(5, day.getKey().decision());
          upsert.setLong(6, day.getValue());
        });
  }

  /** Where to resume reading {@code topic}: the next offset of each partition stored so far. */
  Map<TopicPartition, Long> positions(String topic) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    jdbc.query(
        "SELECT partition, next_offset FROM ingest_position WHERE topic = ?",
        rs -> {
          positions.put(
              new TopicPartition(topic, rs.getInt("partition")), rs.getLong("next_offset"));
        },
        topic);
    return positions;
  }

  /** Records that retention already removed are not indexed again when hub.audit is read anew. */
  private List<AuditBatch.Read> afterCheckpoints(List<AuditBatch.Read> records) {
    Map<String, Long> removedUpTo = new HashMap<>();
    jdbc.query(
        "SELECT chain_id, sequence FROM retention_checkpoint",
        rs -> {
          removedUpTo.put(rs.getString("chain_id"), rs.getLong("sequence"));
        });
    if (removedUpTo.isEmpty()) {
      return records;
    }
    return records.stream()
        .filter(
            read ->
                read.record().getSequence()
                    > removedUpTo.getOrDefault(read.record().getChainId(), 0L))
        .toList();
  }

  private void storeProblems(List<AuditBatch.Problem> problems) {
    for (AuditBatch.Problem problem : problems) {
      log.warn(
          "Unreadable record in {}-{} at offset {}: {} ({}); recorded in ingest_problem",
          problem.topic(),
          problem.partition(),
          problem.offset(),
          problem.problem(),
          problem.detail());
    }
    batch(
        "INSERT INTO ingest_problem (topic, partition, \"offset\", problem, detail) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        problems,
        (insert, problem) -> {
          insert.setString(1, problem.topic());
          insert.setInt(2, problem.partition());
          insert.setLong(3, problem.offset());
          insert.setString(4, problem.problem());
          insert.setString(5, problem.detail());
        });
  }

  /**
   * Records of the batch that met a different record at their position (the first stays indexed): a
   * fork, kept in chain_fork so that the chain is reported broken, never hidden.
   */
  private void storeForks(List<AuditBatch.Read> forks) {
    for (AuditBatch.Read fork : forks) {
      log.error(
          "A second, different audit record at {} position {} (hub.audit-{} offset {}): the chain"
              + " forked; recorded in chain_fork",
          fork.record().getChainId(),
          fork.record().getSequence(),
          fork.partition(),
          fork.offset());
    }
    batch(
        "INSERT INTO chain_fork (chain_id, sequence, stored_hash, other_hash, audit_partition,"
            + " audit_offset) SELECT ?, ?, hash, ?, ?, ? FROM audit_record WHERE chain_id = ? AND"
            + " sequence = ? ON CONFLICT DO NOTHING",
        forks,
        (insert, fork) -> {
          insert.setString(1, fork.record().getChainId());
          insert.setLong(2, fork.record().getSequence());
          insert.setString(3, fork.record().getHash());
          insert.setInt(4, fork.partition());
          insert.setLong(5, fork.offset());
          insert.setString(6, fork.record().getChainId());
          insert.setLong(7, fork.record().getSequence());
        });
  }

  private void advanceChainHeads(List<AuditBatch.Read> records) {
    // (fresh records only: a fork or a replay is never past its chain's head)
    Map<String, AuditRecord> heads = new LinkedHashMap<>();
    for (AuditBatch.Read read : records) {
      heads.merge(
          read.record().getChainId(),
          read.record(),
          (a, b) -> a.getSequence() >= b.getSequence() ? a : b);
    }
    batch(
        "INSERT INTO chain_head (chain_id, sequence, hash) VALUES (?, ?, ?) "
            + "ON CONFLICT (chain_id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash "
            + "WHERE chain_head.sequence < EXCLUDED.sequence",
        List.copyOf(heads.values()),
        (PreparedStatement upsert, AuditRecord head) -> {
          upsert.setString(1, head.getChainId());
          upsert.setLong(2, head.getSequence());
          upsert.setString(3, head.getHash());
        });
  }

  private void storePositions(Map<TopicPartition, Long> nextOffsets) {
    batch(
        "INSERT INTO ingest_position (topic, partition, next_offset) VALUES (?, ?, ?) "
            + "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()",
        List.copyOf(nextOffsets.entrySet()),
        (upsert, position) -> {
          upsert.setString(1, position.getKey().topic());
          upsert.setInt(2, position.getKey().partition());
          upsert.setLong(3, position.getValue());
        });
  }

  /** One round trip for all of {@code rows}; none for no rows. */
  private <T> void batch(String sql, List<T> rows, ParameterizedPreparedStatementSetter<T> setter) {
    if (!rows.isEmpty()) {
      jdbc.batchUpdate(sql, rows, rows.size(), setter);
    }
  }
}
