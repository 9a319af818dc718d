package nl.covenanthub.console.web;

import java.time.Clock;
import java.time.Duration;
import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.integrity.IntegrityMonitor;
import nl.covenanthub.console.integrity.IntegrityReport;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Whether the audit is complete and unaltered: the records of the last day verified now, and the
 * console's last scheduled check of every chain from its start. Every chain verified now (the
 * page's {@code ?all=true}) re-hashes the whole audit: with millions of records that takes minutes,
 * so it is asked for, not done on every view.
 */
@Controller
class IntegrityPage {
  private static final Duration RECENT = Duration.ofDays(1);

  private final IntegrityCheck integrity;
  private final IntegrityMonitor monitor;
  private final Clock clock;

  IntegrityPage(IntegrityCheck integrity, IntegrityMonitor monitor, Clock clock) {
    this.integrity = integrity;
    this.monitor = monitor;
    this.clock = clock;
  }

  @GetMapping("/console/integrity")
  String integrity(@RequestParam(defaultValue = "false") boolean all, Model model) {
    IntegrityReport report =
        all ? integrity.verifyAll() : integrity.verify(null, clock.instant().minus(RECENT), null);
    model.addAttribute("report", report);
    model.addAttribute("all", all);
    model.addAttribute("scheduled", monitor.latest().orElse(null));
    return "integrity";
  }
}
