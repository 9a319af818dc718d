package nl.covenanthub.console.signals;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The form's abuse limits, none of which needs an IP address or anything else about the reporter: a
 * rate per browser session and one for everyone together (Resilience4j rate limiters, the session's
 * kept in the session itself, in memory), and a small sum to answer, asked anew for every form and
 * kept in the session.
 */
@Component
class IntakeLimits {
  private static final String SESSION_LIMITER = "melden.rate";
  private static final String SESSION_ANSWER = "melden.answer";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A sum to answer. */
  record Challenge(int left, int right) {}

  private final RateLimiterConfig perSession;
  private final RateLimiter overall;

  IntakeLimits(SignalSettings settings) {
    this.perSession = config(settings.reportsPerSession(), settings.period());
    this.overall =
        RateLimiter.of("melden-overall", config(settings.reportsOverall(), settings.period()));
  }

  /** A new sum for this session's next form. */
  Challenge challenge(HttpSession session) {
    Challenge challenge = new Challenge(1 + RANDOM.nextInt(9), 1 + RANDOM.nextInt(9));
    session.setAttribute(SESSION_ANSWER, challenge.left() + challenge.right());
    return challenge;
  }

  /** Whether {@code answer} is the sum this session was asked (each sum counts once). */
  boolean answered(HttpSession session, String answer) {
    Object expected = session.getAttribute(SESSION_ANSWER);
    session.removeAttribute(SESSION_ANSWER);
    return expected != null && answer != null && answer.strip().equals(expected.toString());
  }

  /** Takes a permit of this session's and of the overall rate; false when either is used up. */
  boolean permits(HttpSession session) {
    RateLimiter mine = (RateLimiter) session.getAttribute(SESSION_LIMITER);
    if (mine == null) {
      mine = RateLimiter.of("melden-session", perSession);
      session.setAttribute(SESSION_LIMITER, mine);
    }
    return mine.acquirePermission() && overall.acquirePermission();
  }

  private static RateLimiterConfig config(int limit, Duration period) {
    return RateLimiterConfig.custom()
        .limitForPeriod(limit)
        .limitRefreshPeriod(period)
        // Refuse at once: a person gets a message, not a request that hangs.
        .timeoutDuration(Duration.ZERO)
        .build();
  }
}
