package nl.covenanthub.console.web;

import nl.covenanthub.console.integrity.IntegrityCheck;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Whether the audit is complete and unaltered: every chain verified now, from its start to its
 * head.
 */
@Controller
class IntegrityPage {
  private final IntegrityCheck integrity;

  IntegrityPage(IntegrityCheck integrity) {
    this.integrity = integrity;
  }

  @GetMapping("/console/integrity")
  String integrity(Model model) {
    model.addAttribute("report", integrity.verifyAll());
    return "integrity";
  }
}
