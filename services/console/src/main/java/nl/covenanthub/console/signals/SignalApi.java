package nl.covenanthub.console.signals;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The werkbestand as JSON, for the role {@code integrale-veiligheid} (ApiSecurity): the work list
 * and one signal, each read logged as on the pages.
 */
@RestController
class SignalApi {
  private final Triage triage;

  SignalApi(Triage triage) {
    this.triage = triage;
  }

  @GetMapping("/api/signals")
  List<Signal.Summary> workList() {
    return triage.workList();
  }

  @GetMapping("/api/signals/{reference}")
  Signal signal(@PathVariable String reference) {
    return triage
        .view(reference)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
  }
}
