package nl.covenanthub.hub.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisclosureIdsTest {
  /** Ids already in hub.audit and in recipients' inboxes were made by the JDK's version 3 UUIDs. */
  @ParameterizedTest
  @ValueSource(strings = {"", "partner.politie.outbox/0/0/lzn", "é/ü/ß", "a much longer name"})
  void areTheJdksNameBasedUuids(String name) {
    assertThat(DisclosureIds.nameUuid(name))
        .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void dependOnTheSourceAndTheRecipientOnly() {
    ConsumerRecord<String, byte[]> source =
        new ConsumerRecord<>("partner.politie.outbox", 2, 41, "key", new byte[] {1});
    ConsumerRecord<String, byte[]> redelivered =
        new ConsumerRecord<>("partner.politie.outbox", 2, 41, "other key", new byte[] {2});
    assertThat(DisclosureIds.of(source, "lzn"))
        .isEqualTo(DisclosureIds.of(redelivered, "lzn"))
        .isEqualTo(
            UUID.nameUUIDFromBytes(
                    "partner.politie.outbox/2/41/lzn".getBytes(StandardCharsets.UTF_8))
                .toString())
        .isNotEqualTo(DisclosureIds.of(source, "riec"));
  }
}
