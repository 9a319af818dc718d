package nl.covenanthub.hub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How often a record may fail before it is dead-lettered, and when that is forgotten. */
class FailedRecordsTest {
  private static final ConsumerRecord<String, byte[]> RECORD =
      new ConsumerRecord<>("partner.politie.outbox", 1, 42L, "k", new byte[0]);
  private static final ConsumerRecord<String, byte[]> NEXT =
      new ConsumerRecord<>("partner.politie.outbox", 1, 43L, "k", new byte[0]);

  @Test
  void aRecordIsExhaustedAfterItsAttemptsAndOthersAreNot() {
    FailedRecords failures = new FailedRecords(3);
    failures.failed(RECORD, new IllegalStateException("x"));
    failures.failed(RECORD, new IllegalStateException("x"));
    assertThat(failures.exhausted(RECORD)).as("after 2 of 3").isEmpty();

    failures.failed(RECORD, new NullPointerException());

    assertThat(failures.exhausted(RECORD))
        .contains(new FailedRecords.Failure(3, "java.lang.NullPointerException"));
    assertThat(failures.exhausted(NEXT)).isEmpty();
  }

  @Test
  void aCommitOrAMovedPartitionForgetsTheFailures() {
    FailedRecords failures = new FailedRecords(1);
    failures.failed(RECORD, new IllegalStateException());
    failures.committed(List.of(RECORD));
    assertThat(failures.exhausted(RECORD)).isEmpty();

    failures.failed(RECORD, new IllegalStateException());
    failures.forget(List.of(new TopicPartition("partner.politie.outbox", 0)));
    assertThat(failures.exhausted(RECORD)).as("another partition moved").isPresent();
    failures.forget(List.of(new TopicPartition("partner.politie.outbox", 1)));
    assertThat(failures.exhausted(RECORD)).as("its partition moved").isEmpty();
  }

  @Test
  void atLeastOneAttempt() {
    assertThatThrownBy(() -> new FailedRecords(0)).hasMessageContaining("at least 1");
  }
}
