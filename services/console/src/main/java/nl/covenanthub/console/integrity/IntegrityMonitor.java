package nl.covenanthub.console.integrity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every audit chain on a schedule, so that a break is alerted on without anyone opening the
 * integrity page: the gauges {@code console_integrity_chains_broken} (chains that do not hold, at
 * the last check) and {@code console_integrity_checked_seconds} (when that check ran, in seconds
 * since the epoch; an alert on its age catches checks that stopped). Both NaN until the first
 * check. The log names the broken chains' ids only. Every few minutes it also walks the last day in
 * full ({@link #rehashLastDay}), which the integrity page goes on from.
 */
@Component
public class IntegrityMonitor {
  private static final Logger log = LoggerFactory.getLogger(IntegrityMonitor.class);
  private static final Duration LAST_DAY = Duration.ofDays(1);

  private final IntegrityCheck integrity;
  private volatile double broken = Double.NaN;
  private volatile double checkedAt = Double.NaN;
  private volatile IntegrityReport latest;
  private final Clock clock;

  IntegrityMonitor(IntegrityCheck integrity, MeterRegistry registry, Clock clock) {
    this.integrity = integrity;
    this.clock = clock;
    Gauge.builder("console.integrity.chains.broken", this, m -> m.broken)
        .description("Audit chains that did not hold at the last scheduled integrity check")
        .register(registry);
    Gauge.builder("console.integrity.checked", this, m -> m.checkedAt)
        .description("When the last scheduled integrity check ran, in seconds since the epoch")
        .baseUnit("seconds")
        .register(registry);
  }

  /** The last scheduled check of every chain from its start; empty until the first. */
  public Optional<IntegrityReport> latest() {
    return Optional.ofNullable(latest);
  }

  /**
   * Re-hashes the records of the last day in full, so that the integrity page, which goes on from
   * this walk instead of re-hashing the day on every view, finds a record changed since within this
   * interval. A break is logged (chain ids only) and shown on the page.
   */
  @Scheduled(
      fixedDelayString = "${console.monitoring.last-day-every:5m}",
      initialDelayString = "${console.monitoring.last-day-first-after:30s}")
  public IntegrityReport rehashLastDay() {
    IntegrityReport report = integrity.verify(null, clock.instant().minus(LAST_DAY), null);
    if (!report.intact()) {
      log.error(
          "audit chains do not hold over the last day: {}",
          report.broken().stream().map(ChainReport::chainId).toList());
    }
    return report;
  }

  /**
   * The last day, as the integrity page shows it: what is new re-hashed, the rest from the walk.
   */
  public IntegrityReport lastDay() {
    return integrity.verifySince(clock.instant().minus(LAST_DAY));
  }

  @Scheduled(
      fixedDelayString = "${console.monitoring.integrity-every:1h}",
      initialDelayString = "${console.monitoring.integrity-first-after:2m}")
  IntegrityReport check() {
    IntegrityReport report = integrity.verifyAll();
    latest = report;
    broken = report.broken().size();
    checkedAt = report.checkedAt().getEpochSecond();
    if (!report.intact()) {
      log.error(
          "audit chains do not hold: {}",
          report.broken().stream().map(ChainReport::chainId).toList());
    }
    return report;
  }
}
