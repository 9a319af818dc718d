package nl.covenanthub.hub.disclosure;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Outbox records whose processing failed, by position, and how often. A batch with a failing record
 * is rolled back and redelivered; once a record has failed {@code maxAttempts} times, it is
 * dead-lettered instead of tried again, so that no record can hold its partition (or its partner)
 * for ever. Forgotten once the batch that dead-lettered it commits, or when its partition moves.
 */
final class FailedRecords {
  private final int maxAttempts;
  private final Map<Position, Failure> failures = new ConcurrentHashMap<>();

  /** How often a record failed, and the class of the last exception (never its message). */
  record Failure(int attempts, String cause) {}

  private record Position(String topic, int partition, long offset) {
    static Position of(ConsumerRecord<?, ?> record) {
      return new Position(record.topic(), record.partition(), record.offset());
    }
  }

  FailedRecords(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /** Notes a failure of {@code record}; returns how often it has failed now. */
  Failure failed(ConsumerRecord<?, ?> record, Throwable cause) {
    String type = cause.getClass().getName();
    return failures.merge(
        Position.of(record),
        new Failure(1, type),
        (was, now) -> new Failure(was.attempts + 1, type));
  }

  /** The failures of {@code record} once it has used up its attempts. */
  java.util.Optional<Failure> exhausted(ConsumerRecord<?, ?> record) {
    Failure failure = failures.get(Position.of(record));
    return failure != null && failure.attempts() >= maxAttempts
        ? java.util.Optional.of(failure)
        : java.util.Optional.empty();
  }

  /** The batch holding these records committed: whatever failed among them has been dealt with. */
  void committed(Collection<? extends ConsumerRecord<?, ?>> records) {
    if (!failures.isEmpty()) {
      records.forEach(record -> failures.remove(Position.of(record)));
    }
  }

  /** These partitions are another hub's now. */
  void forget(Collection<TopicPartition> partitions) {
    failures
        .keySet()
        .removeIf(
            p ->
                partitions.stream()
                    .anyMatch(
                        tp ->
                            tp.partition() == p.partition()
                                && Objects.equals(tp.topic(), p.topic())));
  }
}
