package nl.covenanthub.console.web;

import nl.covenanthub.console.integrity.IntegrityCheck;
import nl.covenanthub.console.integrity.IntegrityMonitor;
import nl.covenanthub.console.integrity.IntegrityReport;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Whether the audit is complete and unaltered: the records of the last day verified now (what is
 * new since the console's walk of the day every few minutes re-hashed, the rest from that walk),
 * and the console's last scheduled check of every chain from its start. Every chain verified now
 * (the page's {@code ?all=true}) re-hashes the whole audit: with millions of records that takes
 * minutes, so it is asked for, not done on every view.
 */
@Controller
class IntegrityPage {
  private final IntegrityCheck integrity;
  private final IntegrityMonitor monitor;

  IntegrityPage(IntegrityCheck integrity, IntegrityMonitor monitor) {
    this.integrity = integrity;
    this.monitor = monitor;
  }

  @GetMapping("/console/integrity")
  String integrity(
      @RequestParam(defaultValue = "false") boolean all,
      @RequestParam(defaultValue = "false") boolean rehash,
      Model model) {
    IntegrityReport report =
        all ? integrity.verifyAll() : rehash ? monitor.rehashLastDay() : monitor.lastDay();
    model.addAttribute("report", report);
    model.addAttribute("all", all);
    model.addAttribute("scheduled", monitor.latest().orElse(null));
    return "integrity";
  }
}
