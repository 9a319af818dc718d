package nl.covenanthub.hub.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nl.covenanthub.security.CovenantHttpSecurity;
import nl.covenanthub.security.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of webhook delivery ({@code /api/operator/webhooks}, role {@code operator}):
 * each endpoint's state, a disclosure's delivery state, the parked deliveries of a partner and
 * their replay, and enabling an endpoint that answered 410 Gone. Ids, counts and reasons only:
 * never a record's content.
 */
@RestController
class WebhookOperatorApi {
  private final WebhookDelivery webhooks;

  WebhookOperatorApi(WebhookDelivery webhooks) {
    this.webhooks = webhooks;
  }

  @Configuration(proxyBeanMethods = false)
  static class Security {
    @Bean
    @Order(CovenantHttpSecurity.SERVICE_ORDER + 1)
    SecurityFilterChain operatorApi(HttpSecurity http, CovenantHttpSecurity security)
        throws Exception {
      return security
          .api(http.securityMatcher("/api/operator/**"))
          .authorizeHttpRequests(requests -> requests.anyRequest().hasRole(Roles.OPERATOR))
          .build();
    }
  }

  @GetMapping("/api/operator/webhooks")
  Map<String, Object> endpoints() {
    Map<String, Object> endpoints = new LinkedHashMap<>();
    for (String partner : webhooks.partners()) {
      Map<String, Object> endpoint = new LinkedHashMap<>();
      endpoint.put("enabled", webhooks.disabled(partner).isEmpty());
      webhooks.disabled(partner).ifPresent(d -> endpoint.put("disabledBecause", d.reason()));
      endpoint.put("circuit", webhooks.circuit(partner));
      endpoints.put(partner, endpoint);
    }
    return endpoints;
  }

  @GetMapping("/api/operator/webhooks/deliveries/{disclosureId}")
  ResponseEntity<?> delivery(@PathVariable String disclosureId) {
    return webhooks
        .delivery(disclosureId)
        .<ResponseEntity<?>>map(ResponseEntity::ok)
        .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "no webhook delivery of that disclosure"));
  }

  @GetMapping("/api/operator/webhooks/{partner}/parked")
  ResponseEntity<?> parked(@PathVariable String partner) {
    if (!webhooks.partners().contains(partner)) {
      return problem(HttpStatus.NOT_FOUND, "no webhook for that partner");
    }
    return ResponseEntity.ok(webhooks.parked(partner));
  }

  @PostMapping("/api/operator/webhooks/{partner}/parked/replay")
  ResponseEntity<?> replay(@PathVariable String partner) {
    if (!webhooks.partners().contains(partner)) {
      return problem(HttpStatus.NOT_FOUND, "no webhook for that partner");
    }
    List<WebhookDelivery.Replayed> replayed = webhooks.replay(partner);
    return ResponseEntity.ok(replayed);
  }

  @PostMapping("/api/operator/webhooks/{partner}/enable")
  ResponseEntity<?> enable(@PathVariable String partner) {
    if (!webhooks.partners().contains(partner)) {
      return problem(HttpStatus.NOT_FOUND, "no webhook for that partner");
    }
    webhooks.enable(partner);
    return ResponseEntity.noContent().build();
  }

  private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
    return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
  }
}
