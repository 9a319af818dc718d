package nl.covenanthub.hub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static ConsumerRecord<String, byte[]> record(long offset, String traceparent) {
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>("partner.politie.outbox", 1, offset, "key", new byte[0]);
    if (traceparent != null) {
      record.headers().add(TraceContext.HEADER, traceparent.getBytes(StandardCharsets.US_ASCII));
    }
    return record;
  }

  @Test
  void continuesTheSendersTrace() {
    TraceContext trace = TraceContext.from(record(7, "00-" + TRACE_ID + "-00f067aa0ba902b7-01"));
    assertThat(trace.traceId()).isEqualTo(TRACE_ID);
    assertThat(trace.senderSpanId()).as("the sender's action").isEqualTo("00f067aa0ba902b7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // unknown version
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // the all-zero (invalid) trace
        // id
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // trace id one short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // the all-zero (invalid) span id
        ""
      })
  void anInvalidTraceparentStartsATraceDerivedFromTheRecordsPlace(String traceparent) {
    TraceContext trace = TraceContext.from(record(7, traceparent));
    assertThat(trace.traceId())
        .matches("[0-9a-f]{32}")
        .isNotEqualTo(TRACE_ID)
        .as("a redelivery of the same record gets the same trace")
        .isEqualTo(TraceContext.from(record(7, null)).traceId())
        .as("another record gets another")
        .isNotEqualTo(TraceContext.from(record(8, null)).traceId());
    assertThat(trace.senderSpanId()).as("no sender span").isNull();
  }
}
