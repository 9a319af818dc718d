package nl.covenanthub.console.covenants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import nl.covenanthub.console.ConsoleProperties;
import nl.covenanthub.console.GrouplessConsumers;
import nl.covenanthub.covenant.Bsn;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.ImpactPreview.Sample;
import nl.covenanthub.events.SingleObjectDecoder;
import nl.covenanthub.events.TopicSnapshot;
import nl.covenanthub.events.WriterSchemas;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The partners' most recent events, read back from their outboxes' retention, for the impact
 * preview to replay through the active and the proposed version. They stay in memory for the one
 * preview: never stored, logged or shown (the preview masks every value). Only what the hub would
 * decide is taken: an event that does not decode, names another sender than its outbox's owner or
 * has an invalid BSN would be dead-lettered, so it is left out and counted. An event decodes as the
 * hub decodes it: with the hub's schemas and the writer schemas its sender registered ({@code
 * hub.writer-schemas}), each read as the hub's schema of its event type.
 */
@Component
public class RecentOutboxEvents {
  private static final Logger log = LoggerFactory.getLogger(RecentOutboxEvents.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** What was read: the samples, how many records were left out, and why nothing was, if so. */
  public record Recent(List<Sample> samples, int leftOut, String unreadable) {
    static Recent none(String why) {
      return new Recent(List.of(), 0, why);
    }
  }

  private final KafkaProperties kafka;
  private final int perPartition;
  private final List<Schema> eventSchemas = EventCatalog.standard().avroSchemas();

  public RecentOutboxEvents(KafkaProperties kafka, ConsoleProperties properties) {
    this.kafka = kafka;
    this.perPartition = properties.previewEventsPerPartition();
  }

  /** The last {@code console.preview-events-per-partition} events of each partner's outbox. */
  public Recent of(Collection<String> partners) {
    if (perPartition <= 0) {
      return Recent.none("replay is off (console.preview-events-per-partition is 0)");
    }
    List<Sample> samples = new ArrayList<>();
    int[] leftOut = {0};
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      WriterSchemas writerSchemas = new WriterSchemas(eventSchemas);
      TopicSnapshot.read(consumer, WriterSchemas.TOPIC, TIMEOUT, writerSchemas::take);
      for (String partner : new TreeSet<>(partners)) {
        SingleObjectDecoder decoder = writerSchemas.decoderOf(partner);
        String topic = "partner." + partner + ".outbox";
        TopicSnapshot.readTail(
            consumer,
            topic,
            perPartition,
            TIMEOUT,
            record -> {
              Sample sample = sample(partner, record, decoder);
              if (sample == null) {
                leftOut[0]++;
              } else {
                samples.add(sample);
              }
            });
      }
    } catch (KafkaException e) {
      // The class name only: a broker's message may quote what it could not read.
      log.warn("Recent outbox events not read for the impact preview: {}", e.getClass().getName());
      return Recent.none(
          "the partners' outboxes or writer schemas could not be read ("
              + e.getClass().getSimpleName()
              + ")");
    }
    return new Recent(samples, leftOut[0], null);
  }

  /** The record as the hub would take it, or null when the hub would refuse it. */
  private static Sample sample(
      String partner, ConsumerRecord<String, byte[]> record, SingleObjectDecoder decoder) {
    GenericData.Record event;
    try {
      event = decoder.decode(record.value());
    } catch (SingleObjectDecoder.Refused e) {
      return null;
    }
    if (!partner.equals(String.valueOf(event.get("sender"))) || event.get("purpose") == null) {
      return null;
    }
    if (event.get("subject") instanceof GenericRecord subject && subject.get("bsn") != null) {
      try {
        subject.put("bsn", Bsn.canonical(subject.get("bsn").toString()));
      } catch (Bsn.InvalidBsnException e) {
        return null;
      }
    }
    // Where it lies, never what it says: the label is shown in the preview.
    String label = record.topic() + " " + record.partition() + "@" + record.offset();
    return new Sample(label, partner, event.get("purpose").toString(), event);
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return GrouplessConsumers.of(kafka);
  }
}
