package nl.covenanthub.hub.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.webhook.DeliveryStates.State;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one partner's inbox to its webhook, on a thread of its own: the inbox partitions this
 * instance is assigned (consumer group {@code covenant-hub-webhook-<partner>}), each in order. A
 * record is tried on the schedule ({@code hub.webhooks.schedule}); the later records of its case
 * (its inbox key) wait meanwhile, so they never overtake it, while other cases go on. A record is
 * done when it is delivered or parked, and a partition's offset is committed up to its first record
 * that is not: at least once. A 4xx other than 408 and 429 parks it at once, as does the end of the
 * schedule; a record of a case with a parked record is parked behind it, so a replay keeps their
 * order. 410 Gone stops the endpoint until an operator enables it. All times come from {@code
 * clock}, so a test moves it instead of waiting.
 */
final class PartnerDeliverer {
  private static final Logger log = LoggerFactory.getLogger(PartnerDeliverer.class);
  private static final int QUEUED_PER_PARTITION = 200;

  private final String partner;
  private final Consumer<String, byte[]> consumer;
  private final WebhookSender sender;
  private final Parking parking;
  private final DeliveryStates states;
  private final CircuitBreaker breaker;
  private final List<Duration> schedule;
  private final Clock clock;
  private final WebhookMetrics metrics;
  private final Map<TopicPartition, ArrayDeque<Pending>> queues = new HashMap<>();
  private volatile boolean running;
  private Thread thread;

  /** A record on its way, with its attempts so far and when the next may be made. */
  private static final class Pending {
    final ConsumerRecord<String, byte[]> record;
    int attempts;
    int lastStatus;
    String lastReason = "";
    Instant due;
    boolean done;

    Pending(ConsumerRecord<String, byte[]> record, Instant due) {
      this.record = record;
      this.due = due;
    }
  }

  PartnerDeliverer(
      String partner,
      Consumer<String, byte[]> consumer,
      WebhookSender sender,
      Parking parking,
      DeliveryStates states,
      CircuitBreaker breaker,
      List<Duration> schedule,
      Clock clock,
      WebhookMetrics metrics) {
    this.partner = partner;
    this.consumer = consumer;
    this.sender = sender;
    this.parking = parking;
    this.states = states;
    this.breaker = breaker;
    this.schedule = List.copyOf(schedule);
    this.clock = clock;
    this.metrics = metrics;
  }

  void start() {
    running = true;
    thread = new Thread(this::run, "webhook-" + partner);
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    consumer.wakeup();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(Topics.inbox(partner)),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              // Not committed: the next owner delivers them again (at least once).
              partitions.forEach(queues::remove);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              partitions.forEach(p -> queues.put(p, new ArrayDeque<>()));
            }
          });
      while (running) {
        try {
          step();
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // The broker away or a bug: nothing is committed that was not done; try again.
          log.warn(
              "Webhook delivery to {} failed ({}); trying again", partner, e.getClass().getName());
          sleep(Duration.ofSeconds(1));
        }
      }
    } catch (WakeupException e) {
      // stop() woke us up
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** One turn: take in what came, then try every partition's first record that is due. */
  private void step() {
    pauseFull();
    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      queues
          .computeIfAbsent(partition, p -> new ArrayDeque<>())
          .add(new Pending(record, clock.instant().plus(schedule.get(0))));
    }
    if (states.disabled(partner).isPresent()) {
      return; // 410 Gone: nothing is sent until an operator enables the endpoint
    }
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    for (Map.Entry<TopicPartition, ArrayDeque<Pending>> queue : queues.entrySet()) {
      tryDue(queue.getValue());
      long next = -1;
      while (!queue.getValue().isEmpty() && queue.getValue().peekFirst().done) {
        next = queue.getValue().pollFirst().record.offset() + 1;
      }
      if (next >= 0) {
        done.put(queue.getKey(), new OffsetAndMetadata(next));
      }
    }
    if (!done.isEmpty()) {
      consumer.commitSync(done);
    }
  }

  /**
   * Tries each record of a partition that is due, in order; a record that must wait holds back the
   * later records of its case (the same inbox key), and only those.
   */
  private void tryDue(ArrayDeque<Pending> queue) {
    Set<String> waitingCases = new HashSet<>();
    for (Pending pending : queue) {
      String caseKey = String.valueOf(pending.record.key());
      if (pending.done || waitingCases.contains(caseKey)) {
        continue;
      }
      if (states.disabled(partner).isPresent()
          || pending.due.isAfter(clock.instant())
          || !attempt(pending)) {
        waitingCases.add(caseKey);
        continue;
      }
      pending.done = true;
    }
  }

  /** Tries {@code pending} once; true when it is done with (delivered or parked). */
  private boolean attempt(Pending pending) {
    ConsumerRecord<String, byte[]> record = pending.record;
    String disclosureId = WebhookSender.disclosureId(record);
    if (parking.holdsCaseOf(record)) {
      park(pending, "behind a parked record of its case");
      return true;
    }
    if (!breaker.tryAcquirePermission()) {
      // The endpoint failed too often lately: no attempt, none counted, a look again soon.
      pending.due = clock.instant().plusSeconds(1);
      return false;
    }
    WebhookSender.Result result = sender.send(record);
    pending.attempts++;
    pending.lastStatus = result.status();
    pending.lastReason = result.reason();
    switch (result.outcome()) {
      case DELIVERED -> {
        breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        states.record(
            disclosureId, partner, State.DELIVERED, pending.attempts, result.status(), "");
        metrics.delivered(partner);
        return true;
      }
      case GONE -> {
        breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        states.disable(partner, "the endpoint answered 410 Gone");
        states.record(
            disclosureId, partner, State.RETRYING, pending.attempts, 410, "endpoint gone");
        log.error(
            "The webhook endpoint of {} answered 410 Gone: delivery stopped until an operator"
                + " enables it (docs/http-partners.md)",
            partner);
        pending.due = clock.instant();
        return false;
      }
      case REFUSED -> {
        breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        park(pending, result.reason());
        return true;
      }
      default -> {
        breaker.onError(0, TimeUnit.MILLISECONDS, new IllegalStateException(result.reason()));
        if (pending.attempts >= schedule.size()) {
          park(pending, "no success in " + pending.attempts + " attempts: " + result.reason());
          return true;
        }
        pending.due = clock.instant().plus(schedule.get(pending.attempts));
        states.record(
            disclosureId,
            partner,
            State.RETRYING,
            pending.attempts,
            result.status(),
            result.reason());
        metrics.retried(partner);
        return false;
      }
    }
  }

  private void park(Pending pending, String reason) {
    parking.park(pending.record, reason, pending.attempts, pending.lastStatus);
    states.record(
        WebhookSender.disclosureId(pending.record),
        partner,
        State.PARKED,
        pending.attempts,
        pending.lastStatus,
        reason);
    metrics.parked(partner);
    log.warn(
        "A webhook delivery to {} is parked after {} attempt(s): {}",
        partner,
        pending.attempts,
        reason);
  }

  /** A partition with a full queue reads no more until it has room again. */
  private void pauseFull() {
    Set<TopicPartition> full = new HashSet<>();
    List<TopicPartition> room = new ArrayList<>();
    queues.forEach(
        (partition, queue) -> {
          if (queue.size() >= QUEUED_PER_PARTITION) {
            full.add(partition);
          } else {
            room.add(partition);
          }
        });
    consumer.pause(full);
    consumer.resume(room);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
