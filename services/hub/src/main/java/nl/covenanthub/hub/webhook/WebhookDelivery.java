package nl.covenanthub.hub.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.HubProperties;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.http.InboxRecordJson;
import nl.covenanthub.hub.lifecycle.LifecycleProperties;
import nl.covenanthub.hub.security.KafkaAcls;
import nl.covenanthub.hub.webhook.DeliveryStates.State;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Webhook delivery for every partner with an endpoint in {@code hub.webhooks.endpoints}: beside
 * Kafka (the inbox topic stays, and a partner may read it too) or instead of it. Each endpoint is
 * checked when the hub starts (a URL the guard refuses stops the start with the reason). What
 * operators do with it (replay what is parked, enable an endpoint that answered 410) goes through
 * here.
 */
@Component
public class WebhookDelivery implements SmartLifecycle {
  /** The consumer group of a partner's deliveries, after this prefix. */
  public static final String GROUP_PREFIX = KafkaAcls.WEBHOOK_GROUP_PREFIX;

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

  private final Map<String, PartnerDeliverer> deliverers = new LinkedHashMap<>();
  private final Map<String, Parking> parkings = new HashMap<>();
  private final Map<String, WebhookSender> senders = new HashMap<>();
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private final DeliveryStates states;
  private final Producer<Object, Object> producer;
  private final InboxRecordJson json;
  private volatile boolean running;

  public WebhookDelivery(
      HubProperties properties,
      LifecycleProperties lifecycle,
      ActiveCovenants covenants,
      ConsumerFactory<?, ?> consumers,
      ProducerFactory<Object, Object> producers,
      KafkaAdmin admin,
      MeterRegistry registry,
      Clock clock) {
    HubProperties.Webhooks config = properties.webhooks();
    Map<String, HubProperties.Endpoint> endpoints = config.endpoints();
    EndpointGuard guard = new EndpointGuard(config.allowLocal());
    for (Map.Entry<String, HubProperties.Endpoint> endpoint : endpoints.entrySet()) {
      String partner = endpoint.getKey();
      if (!covenants.partners().contains(partner)) {
        throw new IllegalStateException(
            "hub.webhooks.endpoints names '" + partner + "', which is no partner of the covenants");
      }
      if (endpoint.getValue().secrets() == null || endpoint.getValue().secrets().isEmpty()) {
        throw new IllegalStateException("the webhook of " + partner + " has no signing secret");
      }
      try {
        guard.check(URI.create(endpoint.getValue().url()));
      } catch (EndpointGuard.RefusedEndpoint | IllegalArgumentException e) {
        throw new IllegalStateException(
            "the webhook URL of " + partner + " is refused: " + e.getMessage());
      }
    }
    if (endpoints.isEmpty()) {
      this.states = null;
      this.producer = null;
      this.json = null;
      return;
    }
    Duration kept = lifecycle.inboxRetention();
    this.states = new DeliveryStates(consumers, producers, admin, kept, clock);
    this.producer = producers.createNonTransactionalProducer();
    Map<String, Object> kafka = new HashMap<>(consumers.getConfigurationProperties());
    this.json = new InboxRecordJson(new InboxViews(kafka));
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    WebhookMetrics metrics = new WebhookMetrics(registry);
    for (Map.Entry<String, HubProperties.Endpoint> endpoint : endpoints.entrySet()) {
      String partner = endpoint.getKey();
      admin.createOrModifyTopics(Parking.newTopic(partner, kept));
      CircuitBreaker breaker =
          CircuitBreaker.of(
              "webhook-" + partner,
              CircuitBreakerConfig.custom()
                  .slidingWindowSize(10)
                  .minimumNumberOfCalls(10)
                  .failureRateThreshold(config.failuresToOpen())
                  .waitDurationInOpenState(config.openFor())
                  .permittedNumberOfCallsInHalfOpenState(1)
                  .clock(clock)
                  .build());
      WebhookSender sender =
          new WebhookSender(
              URI.create(endpoint.getValue().url()),
              endpoint.getValue().secrets(),
              guard,
              json,
              http,
              config.timeout(),
              clock);
      Parking parking = new Parking(partner, producer, () -> plainConsumer(kafka), kept, clock);
      metrics.watch(partner, states, breaker);
      breakers.put(partner, breaker);
      senders.put(partner, sender);
      parkings.put(partner, parking);
      deliverers.put(
          partner,
          new PartnerDeliverer(
              partner,
              groupConsumer(consumers, partner),
              sender,
              parking,
              states,
              breaker,
              config.schedule(),
              clock,
              metrics));
    }
  }

  /** The partners with a webhook. */
  public Set<String> partners() {
    return deliverers.keySet();
  }

  public Optional<DeliveryStates.Delivery> delivery(String disclosureId) {
    return states == null ? Optional.empty() : states.of(disclosureId);
  }

  public Optional<DeliveryStates.Disabled> disabled(String partner) {
    return states == null ? Optional.empty() : states.disabled(partner);
  }

  public String circuit(String partner) {
    return breakers.get(partner).getState().name();
  }

  /** A parked delivery as an operator sees it: ids and reasons, never the record's content. */
  public record Parked(
      String disclosureId, String eventType, String reason, int attempts, int lastStatus) {}

  public List<Parked> parked(String partner) {
    List<Parked> parked = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : parkings.get(partner).parked()) {
      String id = WebhookSender.disclosureId(record);
      Optional<DeliveryStates.Delivery> state = states.of(id);
      parked.add(
          new Parked(
              id,
              header(record, "event-type"),
              header(record, Parking.REASON_HEADER),
              state.map(DeliveryStates.Delivery::attempts).orElse(0),
              state.map(DeliveryStates.Delivery::lastStatus).orElse(0)));
    }
    return parked;
  }

  /** What a replay did with one parked delivery. */
  public record Replayed(String disclosureId, String outcome, int status, String reason) {}

  /**
   * Tries every parked delivery of {@code partner} once more, in the order they were parked; a case
   * whose record fails again keeps its later records parked behind it.
   */
  public synchronized List<Replayed> replay(String partner) {
    WebhookSender sender = senders.get(partner);
    Parking parking = parkings.get(partner);
    List<Replayed> results = new ArrayList<>();
    Set<String> stuckCases = new java.util.HashSet<>();
    for (ConsumerRecord<String, byte[]> record : parking.parked()) {
      String id = WebhookSender.disclosureId(record);
      int attempts = states.of(id).map(DeliveryStates.Delivery::attempts).orElse(0);
      if (stuckCases.contains(String.valueOf(record.key()))) {
        results.add(new Replayed(id, "PARKED", 0, "behind a parked record of its case"));
        continue;
      }
      WebhookSender.Result result = sender.send(record);
      if (result.outcome() == WebhookSender.Outcome.DELIVERED) {
        states.record(id, partner, State.DELIVERED, attempts + 1, result.status(), "replayed");
        parking.delivered(record);
        results.add(new Replayed(id, "DELIVERED", result.status(), ""));
      } else {
        stuckCases.add(String.valueOf(record.key()));
        states.record(id, partner, State.PARKED, attempts + 1, result.status(), result.reason());
        results.add(new Replayed(id, "PARKED", result.status(), result.reason()));
      }
    }
    log.info(
        "Replayed {} parked webhook deliveries of {}: {} delivered",
        results.size(),
        partner,
        results.stream().filter(r -> r.outcome().equals("DELIVERED")).count());
    return results;
  }

  /** An endpoint that answered 410 is called again (the partner says it is back). */
  public void enable(String partner) {
    states.enable(partner);
    log.info("The webhook endpoint of {} is enabled again by an operator", partner);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? ""
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Consumer<String, byte[]> groupConsumer(
      ConsumerFactory<?, ?> consumers, String partner) {
    Properties overrides = new Properties();
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    return (Consumer<String, byte[]>)
        ((ConsumerFactory) consumers)
            .createConsumer(GROUP_PREFIX + partner, "webhook-" + partner, "", overrides);
  }

  private static KafkaConsumer<String, byte[]> plainConsumer(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void start() {
    running = true;
    if (states != null) {
      states.start();
    }
    deliverers.values().forEach(PartnerDeliverer::start);
  }

  @Override
  public void stop() {
    running = false;
    deliverers.values().forEach(PartnerDeliverer::stop);
    if (states != null) {
      states.stop();
      producer.close();
      json.close();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
