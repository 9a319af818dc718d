package nl.covenanthub.hub.lifecycle;

import java.util.List;
import nl.covenanthub.security.CovenantHttpSecurity;
import nl.covenanthub.security.Roles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The withdrawal notices and their state ({@code GET /api/withdrawals}), for the privacy officer
 * and the operator: ids, pseudonyms and times, never content.
 */
@RestController
class WithdrawalApi {
  private final NoticeStates notices;

  WithdrawalApi(NoticeStates notices) {
    this.notices = notices;
  }

  @Configuration(proxyBeanMethods = false)
  static class Security {
    @Bean
    @Order(CovenantHttpSecurity.SERVICE_ORDER + 2)
    SecurityFilterChain withdrawalApiSecurity(HttpSecurity http, CovenantHttpSecurity security)
        throws Exception {
      return security
          .api(http.securityMatcher("/api/withdrawals/**", "/api/withdrawals"))
          .authorizeHttpRequests(
              requests -> requests.anyRequest().hasAnyRole(Roles.PRIVACY_OFFICER, Roles.OPERATOR))
          .build();
    }
  }

  @GetMapping("/api/withdrawals")
  List<NoticeStates.NoticeState> withdrawals() {
    return notices.all();
  }
}
