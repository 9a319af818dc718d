package nl.covenanthub.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A partner system reading its inbox as a partner would: its own login and consumer group,
 * committed records only, each view decoded with the schema its header names (read from
 * hub.schemas). Prints one line per record received.
 */
final class InboxReader implements Runnable {
  private final String partner;
  private final KafkaConsumer<String, byte[]> consumer;
  private final InboxViews views;
  private final Console console;
  private final Progress progress;
  private final BiConsumer<String, WithdrawalAcknowledgement> acknowledge;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param acknowledge how this partner answers a withdrawal notice once it erased what the notice
   *     names: publishes the acknowledgement on its outbox
   */
  InboxReader(
      String partner,
      Map<String, Object> kafka,
      Console console,
      Progress progress,
      BiConsumer<String, WithdrawalAcknowledgement> acknowledge) {
    this.partner = partner;
    this.acknowledge = acknowledge;
    this.views = new InboxViews(kafka);
    this.console = console;
    this.progress = progress;
    Map<String, Object> config = new HashMap<>(kafka);
    // Under the partner's own prefix: the ACLs let partner X use only consumer groups named "X.*".
    config.put(ConsumerConfig.GROUP_ID_CONFIG, partner + ".demo");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "demo-" + partner + "-inbox");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  String topic() {
    return "partner." + partner + ".inbox";
  }

  /** Counted down once the consumer has its partitions and knows where it reads from. */
  CountDownLatch ready() {
    return ready;
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(
          List.of(topic()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              partitions.forEach(consumer::position);
              if (!partitions.isEmpty()) {
                ready.countDown();
              }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
          });
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          show(record);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
      views.close();
    }
  }

  private void show(ConsumerRecord<String, byte[]> record) {
    String disclosureId = Views.header(record.headers(), "disclosure-id");
    try {
      GenericRecord view = views.decode(record.headers(), record.value());
      // A match notice names the other partner, not a sender.
      Object sender =
          view.hasField("sender")
              ? view.get("sender")
              : view.hasField("otherPartner") ? view.get("otherPartner") : null;
      console.say(
          partner,
          "← "
              + (sender == null ? "?" : sender)
              + " "
              + Views.header(record.headers(), "event-type")
              + " for "
              + Views.header(record.headers(), "purpose")
              + " under "
              + Views.header(record.headers(), "covenant-id")
              + " v"
              + Views.header(record.headers(), "covenant-version")
              + grounds(record)
              + ": "
              + Views.compact(view));
      if ("WithdrawalNotice".equals(Views.header(record.headers(), "event-type"))) {
        // A real system erases what the disclosure ids name first; the demo's partners hold
        // nothing.
        acknowledge.accept(partner, acknowledgement(view));
      }
    } catch (RuntimeException e) {
      console.say(partner, "← a record it cannot read (" + e.getMessage() + ")");
    }
    progress.delivered(disclosureId);
  }

  /** The rule that passed it, or the law under which the hub sent it itself. */
  private static String grounds(ConsumerRecord<String, byte[]> record) {
    String rule = Views.header(record.headers(), "rule-id");
    return rule != null
        ? " (rule " + rule + ")"
        : " (" + Views.header(record.headers(), "legal-basis") + ")";
  }

  private WithdrawalAcknowledgement acknowledgement(GenericRecord notice) {
    String noticeId = notice.get("noticeId").toString();
    return WithdrawalAcknowledgement.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(partner)
        .setCaseReference(partner.toUpperCase(Locale.ROOT) + "-DOSSIER-" + noticeId.substring(0, 8))
        .setPurpose(notice.get("purpose").toString())
        .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
        .setNoticeId(noticeId)
        .build();
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }
}
