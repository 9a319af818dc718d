package nl.covenanthub.console.integrity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * check. The log names the broken chains' ids only.
 */
@Component
public class IntegrityMonitor {
  private static final Logger log = LoggerFactory.getLogger(IntegrityMonitor.class);

  private final IntegrityCheck integrity;
  private volatile double broken = Double.NaN;
  private volatile double checkedAt = Double.NaN;
  private volatile IntegrityReport latest;

  IntegrityMonitor(IntegrityCheck integrity, MeterRegistry registry) {
    this.integrity = integrity;
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
