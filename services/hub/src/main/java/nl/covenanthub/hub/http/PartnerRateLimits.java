package nl.covenanthub.hub.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import java.util.Optional;
import nl.covenanthub.hub.HubProperties;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * One rate limiter per partner (Resilience4j): {@code hub.http.requests-per-period} requests per
 * {@code hub.http.period}, never waiting, for all of a partner's API requests (events, pulls,
 * acknowledgements, schemas); one partner's burst cannot use the others' share.
 */
@Component
class PartnerRateLimits {
  private final RateLimiterRegistry limiters;
  private final long retryAfterSeconds;

  PartnerRateLimits(HubProperties properties) {
    // A full period at most: by then the partner's share is refreshed.
    this.retryAfterSeconds = Math.max(1, (properties.http().period().toMillis() + 999) / 1000);
    this.limiters =
        RateLimiterRegistry.of(
            RateLimiterConfig.custom()
                .limitForPeriod(properties.http().requestsPerPeriod())
                .limitRefreshPeriod(properties.http().period())
                .timeoutDuration(Duration.ZERO)
                .build());
  }

  /** Empty when {@code partner} may go on; else the 429 that tells it when to try again. */
  Optional<ResponseEntity<ProblemDetail>> refusal(String partner) {
    RateLimiter limiter = limiters.rateLimiter(partner);
    return limiter.acquirePermission()
        ? Optional.empty()
        : Optional.of(Problems.tooMany(retryAfterSeconds, "too many requests: try again later"));
  }
}
