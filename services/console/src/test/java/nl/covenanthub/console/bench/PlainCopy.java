package nl.covenanthub.console.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.audit.AuditRecordMonths;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The baseline of the ingest: plain COPY of the same rows into a table like {@code audit_record}:
 * the same columns, the same monthly partitions, the same key and the same indexes (their
 * definitions read from the database). Before the clock starts, the records of hub.audit are read,
 * decoded and written as COPY text rows to a file; timed is only COPY from that file, in chunks of
 * the console's poll size with one commit each, as the console commits per poll. No Kafka, no
 * decoding, no chain heads, no positions, no Spring: what PostgreSQL itself needs to store the
 * rows.
 */
final class PlainCopy {
  static final String TABLE = "bench_copy_audit_record";
  private static final int BUFFER = 1 << 16;

  private final List<Long> chunkEnds = new ArrayList<>();
  private final TreeSet<YearMonth> months = new TreeSet<>();
  private final Path rows;
  private long count;
  private int indexCount;

  private PlainCopy(Path rows) {
    this.rows = rows;
  }

  /** Reads the whole topic into COPY rows in {@code file}, {@code chunk} rows per transaction. */
  static PlainCopy prepare(String brokers, String topic, long expected, int chunk, Path file)
      throws IOException {
    PlainCopy copy = new PlainCopy(file);
    try (KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    brokers,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                    "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    "bench-plain-copy"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        OutputStream bytes = Files.newOutputStream(file);
        CountingStream counted = new CountingStream(bytes);
        Writer out = new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (copy.count < expected) {
        ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> record : polled) {
          AuditRecord audit = AuditRecord.getDecoder().decode(ByteBuffer.wrap(record.value()));
          copy.months.add(YearMonth.from(audit.getDecidedAt().atOffset(ZoneOffset.UTC)));
          AuditRecordTable.copyRow(out, audit, record.partition(), record.offset());
          if (++copy.count % chunk == 0) {
            out.flush();
            copy.chunkEnds.add(counted.written);
          }
        }
      }
      out.flush();
      if (copy.chunkEnds.isEmpty()
          || copy.chunkEnds.get(copy.chunkEnds.size() - 1) < counted.written) {
        copy.chunkEnds.add(counted.written);
      }
    }
    return copy;
  }

  long rows() {
    return count;
  }

  /** Creates the table, copies the rows into it and drops it; records/s of the COPY alone. */
  double run(String jdbcUrl, LongConsumer progress) throws SQLException, IOException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      create(connection);
      try {
        connection.setAutoCommit(false);
        var copyApi = connection.unwrap(PGConnection.class).getCopyAPI();
        String sql = AuditRecordTable.COPY.replace("audit_record", TABLE);
        byte[] buffer = new byte[BUFFER];
        long started = System.nanoTime();
        try (FileChannel file = FileChannel.open(rows, StandardOpenOption.READ)) {
          long from = 0;
          long chunks = 0;
          for (long end : chunkEnds) {
            CopyIn in = copyApi.copyIn(sql);
            while (from < end) {
              ByteBuffer into = ByteBuffer.wrap(buffer, 0, (int) Math.min(BUFFER, end - from));
              int read = file.read(into, from);
              in.writeToCopy(buffer, 0, read);
              from += read;
            }
            in.endCopy();
            connection.commit();
            progress.accept(++chunks);
          }
        }
        return count / ((System.nanoTime() - started) / 1e9);
      } finally {
        connection.setAutoCommit(true);
        try (Statement ddl = connection.createStatement()) {
          ddl.execute("DROP TABLE " + TABLE);
        }
      }
    }
  }

  /** How many indexes (the key included) the table had, as audit_record has. */
  int indexes() {
    return indexCount;
  }

  int chunks() {
    return chunkEnds.size();
  }

  /** The table with audit_record's columns, partitions, key and indexes. */
  private void create(Connection connection) throws SQLException {
    List<String> indexes = new ArrayList<>();
    try (Statement query = connection.createStatement();
        var rs =
            query.executeQuery(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'audit_record'")) {
      while (rs.next()) {
        indexes.add(
            rs.getString(1)
                .replace(" ON ONLY public.audit_record ", " ON " + TABLE + " ")
                .replace(" ON public.audit_record ", " ON " + TABLE + " ")
                .replaceFirst("INDEX (\\S+) ON", "INDEX bench_$1 ON"));
      }
    }
    if (indexes.stream().noneMatch(index -> index.contains("UNIQUE"))) {
      throw new IllegalStateException("audit_record's key is not among its indexes: " + indexes);
    }
    indexCount = indexes.size();
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("DROP TABLE IF EXISTS " + TABLE);
      ddl.execute(
          "CREATE TABLE "
              + TABLE
              + " (LIKE audit_record INCLUDING DEFAULTS) PARTITION BY RANGE (decided_at)");
      for (String index : indexes) {
        ddl.execute(index);
      }
      for (YearMonth month : months) {
        ddl.execute(
            String.format(
                "CREATE TABLE %s PARTITION OF %s FOR VALUES FROM ('%s') TO ('%s')",
                AuditRecordMonths.table(month).replace("audit_record", TABLE),
                TABLE,
                month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                AuditRecordMonths.end(month)));
      }
    }
  }

  /** How many bytes went through, to know where each chunk ends in the file. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long written;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      written += len;
    }
  }
}
