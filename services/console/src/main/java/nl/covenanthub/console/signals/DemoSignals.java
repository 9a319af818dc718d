package nl.covenanthub.console.signals;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A few fictional signals for {@code bin/hub-local --demo} ({@code console.signals.demo=true}), put
 * into an empty werkbestand. The places are invented; no real person or company.
 */
@Component
class DemoSignals {
  private final Intake intake;
  private final SignalStore store;
  private final SignalSettings settings;

  DemoSignals(Intake intake, SignalStore store, SignalSettings settings) {
    this.intake = intake;
    this.store = store;
    this.settings = settings;
  }

  @EventListener(ApplicationReadyEvent.class)
  void seed() {
    if (!settings.demo() || store.count() > 0) {
      return;
    }
    intake.receive(
        new Report(
            "PAND",
            "Verzonnenweg",
            "12",
            "6658 ZZ",
            "Beneden-Leeuwen",
            null,
            "Fictief Opslag B.V.",
            null,
            "Loods wordt 's nachts gebruikt, ramen afgeplakt, vreemde lucht en veel verkeer met"
                + " bestelbusjes.",
            null,
            null,
            null));
    intake.receive(
        new Report(
            "VAKANTIEPARK",
            null,
            null,
            null,
            "Wamel",
            "Recreatiepark De Denkbeeldige Waard",
            null,
            null,
            "Chalets worden permanent bewoond door wisselende groepen; eigenaar onbekend.",
            null,
            null,
            null));
    intake.receive(
        new Report(
            "DRUGS",
            "Verzonnenweg",
            "12",
            "6658 ZZ",
            "Beneden-Leeuwen",
            null,
            null,
            null,
            "Stroomkabels door het dak van de loods, ook overdag geluid van ventilatoren.",
            "demo-melder (fictief)",
            "06-00000000",
            null));
  }
}
