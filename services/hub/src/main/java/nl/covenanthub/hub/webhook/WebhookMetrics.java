package nl.covenanthub.hub.webhook;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.covenanthub.hub.webhook.DeliveryStates.State;

/**
 * What the operator sees of webhook delivery: attempts by outcome per partner, how many deliveries
 * are retrying or parked, whether the endpoint is disabled and its circuit breaker open.
 */
final class WebhookMetrics {
  private final MeterRegistry registry;

  WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void watch(String partner, DeliveryStates states, CircuitBreaker breaker) {
    Gauge.builder("hub.webhook.deliveries", states, s -> s.count(partner, State.RETRYING))
        .tag("partner", partner)
        .tag("state", "retrying")
        .description("Webhook deliveries waiting for their next attempt")
        .register(registry);
    Gauge.builder("hub.webhook.deliveries", states, s -> s.count(partner, State.PARKED))
        .tag("partner", partner)
        .tag("state", "parked")
        .description("Webhook deliveries parked for an operator")
        .register(registry);
    Gauge.builder(
            "hub.webhook.endpoint.disabled", states, s -> s.disabled(partner).isPresent() ? 1 : 0)
        .tag("partner", partner)
        .description("1 while the endpoint is disabled (it answered 410 Gone)")
        .register(registry);
    Gauge.builder(
            "hub.webhook.circuit.open",
            breaker,
            b -> b.getState() == CircuitBreaker.State.OPEN ? 1 : 0)
        .tag("partner", partner)
        .description("1 while the partner's circuit breaker is open")
        .register(registry);
  }

  void delivered(String partner) {
    attempts(partner, "delivered").increment();
  }

  void retried(String partner) {
    attempts(partner, "retried").increment();
  }

  void parked(String partner) {
    attempts(partner, "parked").increment();
  }

  private Counter attempts(String partner, String outcome) {
    return Counter.builder("hub.webhook.attempts")
        .tag("partner", partner)
        .tag("outcome", outcome)
        .description("Webhook deliveries by how their attempt ended")
        .register(registry);
  }
}
