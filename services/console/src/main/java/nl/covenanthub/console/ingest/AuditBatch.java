package nl.covenanthub.console.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.console.audit.AuditRecordTable;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll of {@code hub.audit}, decoded: the audit records, the records that could not be read
 * (with why), and for each partition the offset to resume from once the batch is stored.
 */
record AuditBatch(
    List<Read> records, List<Problem> problems, Map<TopicPartition, Long> nextOffsets) {
  static {
    AuditHash.trustGeneratedClasses();
  }

  /**
   * An audit record, where it was in hub.audit, and its row for COPY ({@link
   * AuditRecordTable#copyRow}), encoded while the batch before is stored, so that PostgreSQL never
   * waits on it.
   */
  record Read(AuditRecord record, int partition, long offset, byte[] copyRow) {}

  /**
   * A record of hub.audit that is not a readable audit record; {@code detail} never holds the
   * record's content.
   */
  record Problem(String topic, int partition, long offset, String problem, String detail) {}

  static AuditBatch decode(List<ConsumerRecord<String, byte[]>> polled) {
    List<Read> records = new ArrayList<>(polled.size());
    List<Problem> problems = new ArrayList<>();
    ByteArrayOutputStream row = new ByteArrayOutputStream(1024);
    Writer rowText = new OutputStreamWriter(row, StandardCharsets.UTF_8);
    Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : polled) {
      nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
      if (record.value() == null || record.value().length == 0) {
        problems.add(problem(record, "EMPTY", "no value"));
        continue;
      }
      AuditRecord audit;
      try {
        audit = AuditRecord.getDecoder().decode(ByteBuffer.wrap(record.value()));
      } catch (MissingSchemaException e) {
        problems.add(
            problem(
                record,
                "UNKNOWN_SCHEMA",
                "not an AuditRecord of a schema version the console knows"));
        continue;
      } catch (BadHeaderException e) {
        problems.add(problem(record, "UNDECODABLE", "not Avro single-object encoding"));
        continue;
      } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
        // The exception's message may quote bytes of the record: only its type is kept.
        problems.add(
            problem(
                record,
                "UNDECODABLE",
                "the body does not decode (" + e.getClass().getSimpleName() + ")"));
        continue;
      }
      row.reset();
      try {
        AuditRecordTable.copyRow(rowText, audit, record.partition(), record.offset());
        rowText.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory failed", e);
      }
      records.add(new Read(audit, record.partition(), record.offset(), row.toByteArray()));
    }
    return new AuditBatch(records, problems, nextOffsets);
  }

  private static Problem problem(
      ConsumerRecord<String, byte[]> record, String problem, String detail) {
    return new Problem(record.topic(), record.partition(), record.offset(), problem, detail);
  }
}
