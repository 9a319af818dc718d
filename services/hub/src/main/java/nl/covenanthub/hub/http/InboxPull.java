package nl.covenanthub.hub.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.security.KafkaAcls;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * For a partner that accepts no inbound calls: it pulls its own inbox ({@code GET
 * /api/partner/inbox}), each record as JSON with the headers it has on Kafka, after a cursor or
 * after what it acknowledged; it acknowledges explicitly ({@code POST /api/partner/inbox/ack}).
 * What is not acknowledged comes again: at least once. The acknowledged position is the committed
 * offsets of the consumer group {@code <partner>.http-pull}, so every hub instance knows it.
 *
 * <p>Pulls and acknowledgements count against the partner's rate ({@link PartnerRateLimits}), and a
 * partner has at most {@code hub.http.pulls-at-once} pulls running on an instance: a long poll
 * holds a request thread and a Kafka consumer for as long as it waits (up to {@link #MAX_WAIT}),
 * and those are shared by every partner.
 */
@RestController
class InboxPull implements DisposableBean {
  static final int MAX_RECORDS = 500;
  static final Duration MAX_WAIT = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ActiveCovenants covenants;
  private final ConsumerFactory<?, ?> consumers;
  private final Admin admin;
  private final InboxRecordJson json;
  private final PartnerRateLimits limits;
  private final int pullsAtOnce;
  private final MeterRegistry registry;

  /** Per partner, the pulls it may still start now. */
  private final Map<String, Semaphore> pulls = new ConcurrentHashMap<>();

  InboxPull(
      ActiveCovenants covenants,
      ConsumerFactory<?, ?> consumers,
      KafkaAdmin kafkaAdmin,
      PartnerRateLimits limits,
      HubProperties properties,
      MeterRegistry registry) {
    this.covenants = covenants;
    this.limits = limits;
    this.pullsAtOnce = properties.http().pullsAtOnce();
    this.registry = registry;
    this.consumers = consumers;
    this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
    this.json =
        new InboxRecordJson(new InboxViews(new HashMap<>(consumers.getConfigurationProperties())));
  }

  /** Its Kafka clients' threads end with the hub (or with a test's context). */
  @Override
  public void destroy() {
    admin.close(Duration.ofSeconds(5));
    json.close();
  }

  /**
   * One inbox record: where it lies, its headers, and the view the covenant let through (plain maps
   * and lists, as JSON is written with whatever mapper the web layer has).
   */
  record PulledRecord(String cursor, Map<String, String> headers, Map<String, Object> event) {}

  /** A page of the inbox; {@code next} is the cursor after its last record (ack it when done). */
  record Page(List<PulledRecord> records, String next) {}

  /** The cursor to acknowledge: everything before it is done. */
  record Ack(String cursor) {}

  @GetMapping("/api/partner/inbox")
  ResponseEntity<?> pull(
      @RequestParam(required = false) String after,
      @RequestParam(defaultValue = "100") int max,
      @RequestParam(defaultValue = "PT20S") Duration wait,
      Authentication authentication) {
    String partner = PartnerIdentity.required(authentication, covenants.partners());
    limits.count(partner);
    if (max < 1 || max > MAX_RECORDS || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "max is 1 to "
              + MAX_RECORDS
              + " and wait at most "
              + MAX_WAIT
              + " (ISO-8601, e.g. PT20S)");
    }
    Semaphore running = pullsOf(partner);
    if (!running.tryAcquire()) {
      return Problems.tooMany(
          1, "at most " + pullsAtOnce + " pulls at once: wait for one to answer, then pull again");
    }
    try {
      return pull(partner, after, max, wait);
    } finally {
      running.release();
    }
  }

  private ResponseEntity<?> pull(String partner, String after, int max, Duration wait) {
    String topic = Topics.inbox(partner);
    try (Consumer<String, byte[]> consumer = consumer()) {
      Map<TopicPartition, Long> ends = ends(consumer, topic);
      List<TopicPartition> partitions = List.copyOf(ends.keySet());
      Map<TopicPartition, Long> start;
      try {
        start = after == null ? acknowledged(partner, partitions) : InboxCursor.parse(after, ends);
      } catch (IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "not a cursor of your inbox");
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> position = new LinkedHashMap<>();
      for (TopicPartition partition : partitions) {
        long offset = start.getOrDefault(partition, 0L);
        consumer.seek(partition, offset);
        position.put(partition, offset);
      }
      List<PulledRecord> records = new ArrayList<>();
      long deadline = System.nanoTime() + wait.toNanos();
      do {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (records.size() == max) {
            break;
          }
          TopicPartition partition = new TopicPartition(topic, record.partition());
          position.put(partition, record.offset() + 1);
          records.add(
              new PulledRecord(InboxCursor.of(position), json.headers(record), json.event(record)));
        }
      } while (records.isEmpty() && System.nanoTime() < deadline);
      return ResponseEntity.ok(new Page(records, InboxCursor.of(position)));
    }
  }

  @PostMapping("/api/partner/inbox/ack")
  ResponseEntity<?> ack(@RequestBody Ack ack, Authentication authentication) {
    String partner = PartnerIdentity.required(authentication, covenants.partners());
    limits.count(partner);
    Map<TopicPartition, Long> cursor;
    try (Consumer<String, byte[]> consumer = consumer()) {
      cursor = InboxCursor.parse(ack.cursor(), ends(consumer, Topics.inbox(partner)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Problems.of(HttpStatus.BAD_REQUEST, "not a cursor of your inbox");
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    cursor.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
    try {
      admin.alterConsumerGroupOffsets(group(partner), offsets).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the acknowledgement was not stored", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return ResponseEntity.noContent().build();
  }

  private Semaphore pullsOf(String partner) {
    return pulls.computeIfAbsent(
        partner,
        p -> {
          Semaphore semaphore = new Semaphore(pullsAtOnce);
          Gauge.builder("hub.http.inbox.pulls", semaphore, s -> pullsAtOnce - s.availablePermits())
              .tag("partner", p)
              .description("Inbox pulls of the partner running on this instance")
              .register(registry);
          return semaphore;
        });
  }

  /** Where each partition of {@code topic} ends for a read_committed reader. */
  private static Map<TopicPartition, Long> ends(Consumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, TIMEOUT).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    return consumer.endOffsets(partitions, TIMEOUT);
  }

  /** The group whose committed offsets are what {@code partner} acknowledged. */
  static String group(String partner) {
    return partner + KafkaAcls.HTTP_PULL_GROUP_SUFFIX;
  }

  private Map<TopicPartition, Long> acknowledged(String partner, List<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group(partner))
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> start = new HashMap<>();
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        start.put(partition, offset == null ? 0L : offset.offset());
      }
      return start;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the acknowledged position was not read", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Consumer<String, byte[]> consumer() {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    overrides.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return (Consumer<String, byte[]>)
        ((ConsumerFactory) consumers).createConsumer(null, "inbox-pull", "", overrides);
  }
}
