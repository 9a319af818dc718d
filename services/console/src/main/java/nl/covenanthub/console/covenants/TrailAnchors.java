package nl.covenanthub.console.covenants;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.console.GrouplessConsumers;
import nl.covenanthub.console.covenants.CovenantStore.TrailAnchor;
import nl.covenanthub.events.TopicSnapshot;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The administration trail's heads as published with the covenant versions on {@code
 * hub.covenants}: what the trail in the console's database is checked against. The topic is
 * compacted, so the latest record per covenant stays; since each event's hash covers all before it,
 * the latest anchor vouches for the whole trail up to it.
 */
@Component
class TrailAnchors {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final KafkaProperties kafka;

  TrailAnchors(KafkaProperties kafka) {
    this.kafka = kafka;
  }

  /** Every anchor on the topic; throws a Kafka exception when the topic cannot be read. */
  List<TrailAnchor> published() {
    List<TrailAnchor> anchors = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = GrouplessConsumers.of(kafka)) {
      TopicSnapshot.read(consumer, CovenantPublisher.TOPIC, TIMEOUT, r -> anchor(r, anchors));
    }
    return anchors;
  }

  private static void anchor(ConsumerRecord<String, byte[]> record, List<TrailAnchor> anchors) {
    Header seq = record.headers().lastHeader(CovenantPublisher.TRAIL_SEQ_HEADER);
    Header hash = record.headers().lastHeader(CovenantPublisher.TRAIL_HASH_HEADER);
    if (seq != null && hash != null) {
      try {
        anchors.add(
            new TrailAnchor(
                Long.parseLong(new String(seq.value(), StandardCharsets.UTF_8)),
                new String(hash.value(), StandardCharsets.UTF_8)));
      } catch (NumberFormatException e) {
        // Not an anchor the console wrote; the ACLs let no one else write the topic.
      }
    }
  }
}
