package nl.covenanthub.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The operator's side of the demo: prints what the hub dead-lettered ({@code hub.deadletter}) and
 * the events that went to no one ({@code hub.audit}: every decision WITHHELD), and tells {@link
 * Progress} what the hub decided. Reads from the moment it starts, without a consumer group.
 */
final class HubWatcher implements Runnable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String auditTopic;
  private final String deadLetterTopic;
  private final Console console;
  private final Progress progress;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean running = true;

  HubWatcher(
      Map<String, Object> kafka,
      String auditTopic,
      String deadLetterTopic,
      Console console,
      Progress progress) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "demo-hub-watcher");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.auditTopic = auditTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.console = console;
    this.progress = progress;
  }

  CountDownLatch ready() {
    return ready;
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(auditTopic, deadLetterTopic)) {
        partitions.addAll(partitionsOf(topic));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      ready.countDown();
      while (running) {
        Map<String, List<AuditRecord>> auditsBySource = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(deadLetterTopic)) {
            deadLetter(record);
          } else {
            AuditRecord audit = decode(record.value());
            String source =
                Progress.source(
                    audit.getSourceTopic(), audit.getSourcePartition(), audit.getSourceOffset());
            auditsBySource.computeIfAbsent(source, s -> new ArrayList<>()).add(audit);
            progress.audited(source, audit.getDecision().name(), audit.getDisclosureId());
          }
        }
        auditsBySource.values().forEach(this::showIfWithheldFromAll);
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  /** The hub creates its topics at start; until it has, wait for them. */
  private List<TopicPartition> partitionsOf(String topic) {
    while (running) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new WakeupException();
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record) {
    String sourceTopic = Views.header(record.headers(), "deadletter-source-topic");
    String partition = Views.header(record.headers(), "deadletter-source-partition");
    String offset = Views.header(record.headers(), "deadletter-source-offset");
    console.say(
        "hub",
        "✗ dead-lettered a record from "
            + sourceTopic
            + ": "
            + Views.header(record.headers(), "deadletter-reason")
            + " ("
            + Views.header(record.headers(), "deadletter-detail")
            + ")");
    if (sourceTopic != null && partition != null && offset != null) {
      progress.deadLettered(
          Progress.source(sourceTopic, Integer.parseInt(partition), Long.parseLong(offset)));
    }
  }

  /** Default deny made visible: an event no partner received, and why not, per partner. */
  private void showIfWithheldFromAll(List<AuditRecord> decisions) {
    if (decisions.isEmpty()
        || !decisions.stream().allMatch(a -> a.getDecision() == AuditDecision.WITHHELD)) {
      return;
    }
    AuditRecord first = decisions.get(0);
    String why =
        decisions.stream()
            .map(
                a -> (a.getRecipient() == null ? "anyone" : a.getRecipient()) + " " + a.getReason())
            .collect(Collectors.joining(", "));
    console.say(
        "hub",
        "⊘ withheld "
            + first.getSender()
            + " "
            + first.getEventType()
            + " for "
            + first.getPurpose()
            + " "
            + first.getCaseReference()
            + " from everyone: "
            + why);
  }

  private static AuditRecord decode(byte[] bytes) {
    try {
      return AuditRecord.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw new IllegalStateException("hub.audit holds a record that is not an AuditRecord", e);
    }
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }
}
