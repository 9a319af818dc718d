package nl.covenanthub.hub.http;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import java.time.Duration;
import nl.covenanthub.hub.HubProperties;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * One rate limiter per partner (Resilience4j): {@code hub.http.requests-per-period} requests per
 * {@code hub.http.period}, never waiting, for all of a partner's API requests (events, pulls,
 * acknowledgements, writer schemas); one partner's burst cannot use the others' share.
 */
@Component
public class PartnerRateLimits {
  /** The partner is beyond its share: a 429 that says when to try again. */
  public static final class BeyondRate extends RuntimeException {
    private final long retryAfterSeconds;

    BeyondRate(long retryAfterSeconds) {
      super("beyond the partner's rate", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /** Answers a request beyond its partner's share, whichever controller took it. */
  @RestControllerAdvice
  static class Refusal {
    @ExceptionHandler(BeyondRate.class)
    ResponseEntity<ProblemDetail> tooMany(BeyondRate beyond) {
      return Problems.tooMany(beyond.retryAfterSeconds, "too many requests: try again later");
    }
  }

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

  /** Counts a request of {@code partner}; throws {@link BeyondRate} beyond its share. */
  public void count(String partner) {
    RateLimiter limiter = limiters.rateLimiter(partner);
    if (!limiter.acquirePermission()) {
      throw new BeyondRate(retryAfterSeconds);
    }
  }
}
