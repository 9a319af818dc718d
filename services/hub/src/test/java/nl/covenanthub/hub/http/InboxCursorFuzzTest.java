package nl.covenanthub.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Whatever cursor a partner hands back to {@code GET /api/partner/inbox?after=} or {@code POST
 * /api/partner/inbox/ack}, it is a place in its own inbox that the hub could have handed out, or it
 * is refused (a 400); never an exception of another kind (a 500), never a partition the inbox does
 * not have or an offset beyond its end (which the broker would refuse or read from elsewhere).
 *
 * <p>{@code mvn test} runs the seeds in {@code
 * src/test/resources/nl/covenanthub/hub/http/InboxCursorFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes from them (docs/reliability.md).
 */
class InboxCursorFuzzTest {
  private static final String INBOX = "partner.lzn.inbox";

  /** An inbox of three partitions: one with five records, one empty, one long. */
  private static final Map<TopicPartition, Long> ENDS =
      Map.of(
          new TopicPartition(INBOX, 0), 5L,
          new TopicPartition(INBOX, 1), 0L,
          new TopicPartition(INBOX, 2), 1_234_567_890_123L);

  private static final Path SEEDS =
      Path.of(
          "src/test/resources/nl/covenanthub/hub/http/InboxCursorFuzzTestInputs/"
              + "anyCursorIsAPlaceInTheInboxOrARefusal");

  @FuzzTest(maxDuration = "2m")
  void anyCursorIsAPlaceInTheInboxOrARefusal(byte[] input) {
    String cursor = new String(input, StandardCharsets.UTF_8);
    Map<TopicPartition, Long> positions;
    try {
      positions = InboxCursor.parse(cursor, ENDS);
    } catch (IllegalArgumentException refused) {
      return; // the documented refusal: "not a cursor of your inbox"
    }
    positions.forEach(
        (partition, offset) -> {
          assertThat(ENDS).as("a partition of the inbox").containsKey(partition);
          assertThat(offset).as("within %s", partition).isBetween(0L, ENDS.get(partition));
        });
    assertThat(InboxCursor.of(positions)).as("what the hub hands out").isEqualTo(cursor);
  }

  @Test
  void theHandedOutSeedIsAPlaceAndTheOthersAreRefused() throws IOException {
    Map<TopicPartition, Long> handedOut =
        InboxCursor.parse(Files.readString(SEEDS.resolve("handed-out")), ENDS);
    assertThat(handedOut)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                new TopicPartition(INBOX, 0), 5L,
                new TopicPartition(INBOX, 1), 0L,
                new TopicPartition(INBOX, 2), 1_234_567_890_123L));
    assertThat(InboxCursor.parse(Files.readString(SEEDS.resolve("empty")), ENDS))
        .as("no place named: the beginning")
        .isEmpty();
    try (var seeds = Files.list(SEEDS)) {
      for (Path seed : seeds.toList()) {
        String name = seed.getFileName().toString();
        if (!name.equals("handed-out") && !name.equals("empty")) {
          assertThatThrownBy(() -> InboxCursor.parse(Files.readString(seed), ENDS))
              .as(name)
              .isInstanceOf(IllegalArgumentException.class);
        }
      }
    }
  }
}
