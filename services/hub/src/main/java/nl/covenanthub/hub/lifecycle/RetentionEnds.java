package nl.covenanthub.hub.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Tells recipients when the covenant's retention of what they received has ended (reason
 * RETENTION_ENDED), as a withdrawal does. A sweep ({@code hub.lifecycle.sweep-every}) finds the
 * disclosures whose {@code retain-until} passed and that no notice named yet, and publishes one
 * trigger per case on {@value #TOPIC}; the hub reads the triggers like an outbox, in its consumer
 * group and in transactions, so each notice is sent, audited (chain {@code hub.retention-ends-0})
 * and indexed exactly once, whichever instance swept. A trigger that finds everything named already
 * (another instance swept too) does nothing.
 */
@Component
public class RetentionEnds implements SmartLifecycle {
  public static final String TOPIC = "hub.retention-ends";
  private static final Logger log = LoggerFactory.getLogger(RetentionEnds.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One case whose disclosures' retention ended. */
  record Trigger(String caseKey, List<String> disclosureIds) {}

  private final DisclosureIndex index;
  private final KafkaTemplate<String, byte[]> kafka;
  private final Clock clock;
  private final Duration every;
  private final ConcurrentMessageListenerContainer<Object, Object> container;
  private ScheduledExecutorService sweeper;

  public RetentionEnds(
      DisclosureIndex index,
      Withdrawals withdrawals,
      HubTopicContainers containers,
      KafkaTemplate<String, byte[]> kafka,
      KafkaAdmin admin,
      Clock clock,
      LifecycleProperties properties) {
    this.index = index;
    this.kafka = kafka;
    this.clock = clock;
    this.every = properties.sweepEvery();
    admin.createOrModifyTopics(topic());
    this.container =
        containers.create(
            TOPIC,
            (records, consumer) -> {
              for (ConsumerRecord<String, byte[]> record : records) {
                Trigger trigger;
                try {
                  trigger = JSON.readValue(record.value(), Trigger.class);
                } catch (IOException | RuntimeException e) {
                  // Only the hub writes this topic; a record it cannot read is skipped, not
                  // retried.
                  log.warn("{}@{} is not a retention trigger; skipped", TOPIC, record.offset());
                  continue;
                }
                withdrawals.retentionEnded(
                    record, trigger.caseKey(), new LinkedHashSet<>(trigger.disclosureIds()));
              }
            });
  }

  /** Triggers are only needed until read: a week is ample. */
  static NewTopic topic() {
    return TopicBuilder.name(TOPIC)
        .partitions(1)
        .config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()))
        .build();
  }

  /** Publishes a trigger per case with disclosures whose retention ended; returns how many. */
  public int sweep() {
    Map<String, Set<String>> due = new LinkedHashMap<>();
    for (IndexFacts.Disclosure d : index.retentionEnded(clock.instant())) {
      due.computeIfAbsent(d.caseKey(), c -> new LinkedHashSet<>()).add(d.disclosureId());
    }
    if (!due.isEmpty()) {
      kafka.executeInTransaction(
          operations -> {
            due.forEach(
                (caseKey, ids) ->
                    operations.send(
                        TOPIC, 0, caseKey, bytes(new Trigger(caseKey, List.copyOf(ids)))));
            return null;
          });
      log.info("Retention ended for {} case(s): their recipients are told", due.size());
    }
    return due.size();
  }

  @Override
  public void start() {
    container.start();
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "retention-sweep");
              thread.setDaemon(true);
              return thread;
            });
    sweeper.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            // The broker away, say: the next sweep finds the same disclosures again.
            log.warn("Retention sweep failed ({}); trying again", e.getClass().getName());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    container.stop();
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }

  private static byte[] bytes(Trigger trigger) {
    try {
      return JSON.writeValueAsBytes(trigger);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
