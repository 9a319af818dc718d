package nl.covenanthub.console.web;

import nl.covenanthub.console.withdrawals.WithdrawalNotices;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Every withdrawal or erasure the hub passed on (AVG art. 17 and 19): per recipient, whether it
 * acknowledged, is still within its time, or is overdue.
 */
@Controller
class WithdrawalsPage {
  private final WithdrawalNotices notices;

  WithdrawalsPage(WithdrawalNotices notices) {
    this.notices = notices;
  }

  @GetMapping("/console/withdrawals")
  String withdrawals(Model model) {
    model.addAttribute("read", notices.all());
    return "withdrawals";
  }
}
