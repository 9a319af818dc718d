package nl.covenanthub.console.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The baseline of the ingest: the least any indexer of hub.audit does, in plain kafka-clients and
 * JDBC. One thread reads the topic from the start (read_committed, polls of the console's size),
 * decodes each record as the console does, and inserts the same columns with the same binding
 * ({@link AuditRecordTable#bind}) into a table with the same columns but no key, no index and no
 * conflict check: one JDBC batch and one commit per poll. No chain heads, no positions, no Spring.
 * Run {@code indexed}, the table has the console's key and indexes too, which tells the cost of the
 * indexes apart from the rest of the console's work.
 */
final class PlainInsert {
  static final String TABLE = "bench_plain_audit_record";

  private PlainInsert() {}

  /** Reads all {@code rows} records of {@code topic} into a new {@link #TABLE}; the records/s. */
  static double run(
      String brokers,
      String topic,
      String jdbcUrl,
      long rows,
      int maxPollRecords,
      boolean indexed,
      LongConsumer progress)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("DROP TABLE IF EXISTS " + TABLE);
        ddl.execute(
            "CREATE TABLE "
                + TABLE
                + " (LIKE audit_record "
                + (indexed ? "INCLUDING ALL" : "INCLUDING DEFAULTS")
                + ")");
      }
      connection.setAutoCommit(false);
      String insert =
          "INSERT INTO "
              + TABLE
              + " ("
              + AuditRecordTable.COLUMNS
              + ") VALUES ("
              + "?, ".repeat(AuditRecordTable.COLUMNS.split(",").length - 1)
              + "?)";
      try (KafkaConsumer<String, byte[]> consumer =
              new KafkaConsumer<>(
                  Map.of(
                      ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                      brokers,
                      ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                      "read_committed",
                      ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                      maxPollRecords,
                      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                      false,
                      ConsumerConfig.CLIENT_ID_CONFIG,
                      "bench-plain-insert"),
                  new StringDeserializer(),
                  new ByteArrayDeserializer());
          PreparedStatement statement = connection.prepareStatement(insert)) {
        List<TopicPartition> partitions =
            consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        long started = System.nanoTime();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long stored = 0;
        while (stored < rows) {
          ConsumerRecords<String, byte[]> polled = consumer.poll(Duration.ofMillis(500));
          for (ConsumerRecord<String, byte[]> record : polled) {
            AuditRecordTable.bind(
                statement, decode(record.value()), record.partition(), record.offset());
            statement.addBatch();
          }
          if (!polled.isEmpty()) {
            statement.executeBatch();
            connection.commit();
            stored += polled.count();
            progress.accept(stored);
          }
        }
        return stored / ((System.nanoTime() - started) / 1e9);
      }
    }
  }

  static void drop(String jdbcUrl) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl);
        Statement ddl = connection.createStatement()) {
      ddl.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }

  private static AuditRecord decode(byte[] value) {
    try {
      return AuditRecord.getDecoder().decode(ByteBuffer.wrap(value));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a benchmark record does not decode", e);
    }
  }
}
