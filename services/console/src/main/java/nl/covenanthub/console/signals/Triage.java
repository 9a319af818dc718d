package nl.covenanthub.console.signals;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.console.signals.SignalViewLog.Action;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.RiskLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The integral-safety officer's work on the werkbestand: every read and every change is logged with
 * the signal's reference; what reaches the partners goes through the case table's publisher first,
 * so a signal's status never says 'on the agenda' when the outbox did not take it.
 */
@Service
public class Triage {
  private static final Logger log = LoggerFactory.getLogger(Triage.class);

  /** A change refused, with the message key that says why. */
  public static final class Refused extends RuntimeException {
    private final String messageKey;

    Refused(String messageKey) {
      super(messageKey);
      this.messageKey = messageKey;
    }

    public String messageKey() {
      return messageKey;
    }
  }

  private final SignalStore store;
  private final SignalViewLog views;
  private final CaseTablePublisher table;
  private final Clock clock;

  Triage(SignalStore store, SignalViewLog views, CaseTablePublisher table, Clock clock) {
    this.store = store;
    this.views = views;
    this.table = table;
    this.clock = clock;
  }

  public List<Signal.Summary> workList() {
    views.record(Action.LIST, null);
    return store.workList();
  }

  public Optional<Signal> view(String reference) {
    Optional<Signal> signal = store.find(reference);
    views.record(Action.VIEW, signal.isPresent() ? reference : null);
    return signal;
  }

  public void merge(String reference, String into) {
    Signal signal = open(reference, Action.MERGE);
    if (signal.status() != SignalStatus.NEW || !store.merge(reference, into)) {
      throw new Refused("signals.refused.merge");
    }
  }

  public void enrich(String reference, String companyName, String kvkNumber) {
    open(reference, Action.ENRICH);
    if (kvkNumber != null && !kvkNumber.matches("\\d{8}")) {
      throw new Refused("signals.refused.kvk");
    }
    store.enrich(reference, companyName, kvkNumber);
  }

  public void dismiss(String reference, String reason) {
    Signal signal = open(reference, Action.DISMISS);
    if (reason == null || signal.status() != SignalStatus.NEW) {
      throw new Refused("signals.refused.dismiss");
    }
    store.decide(reference, SignalStatus.DISMISSED, clock.instant(), null, reason, null, null);
  }

  /** Puts the signal on the case table's agenda: it goes to the partners the covenant names. */
  public void agenda(String reference, String summary, RiskLevel risk) {
    Signal signal = open(reference, Action.AGENDA);
    if (signal.status() != SignalStatus.NEW) {
      throw new Refused("signals.refused.agenda");
    }
    table.agenda(signal, summary, risk, clock.instant());
    store.decide(reference, SignalStatus.AGENDA, clock.instant(), summary, null, null, null);
    log.info("Signal {} is on the case table's agenda", reference);
  }

  /** The table made it a RIEC case: the partners hear the RIEC's case reference. */
  public void escalate(String reference, String riecCase) {
    Signal signal = open(reference, Action.ESCALATE);
    if (signal.status() != SignalStatus.AGENDA || riecCase == null) {
      throw new Refused("signals.refused.escalate");
    }
    table.status(signal, CaseStatus.ESCALATED, riecCase, clock.instant());
    store.decide(reference, SignalStatus.ESCALATED, clock.instant(), null, null, riecCase, null);
    log.info("Signal {} escalated to a RIEC case", reference);
  }

  /** The table chose administrative action (recorded here; nothing is published). */
  public void administrative(String reference, String note) {
    Signal signal = open(reference, Action.ADMINISTRATIVE);
    if (signal.status() != SignalStatus.AGENDA || note == null) {
      throw new Refused("signals.refused.administrative");
    }
    store.decide(reference, SignalStatus.ADMINISTRATIVE, clock.instant(), null, null, null, note);
  }

  /**
   * The signal did not hold: the partners are told (the hub's withdrawal notices reach everyone
   * that received it) and it is removed here.
   */
  public void withdraw(String reference) {
    Signal signal = open(reference, Action.WITHDRAW);
    if (signal.status() != SignalStatus.AGENDA && signal.status() != SignalStatus.ESCALATED) {
      throw new Refused("signals.refused.withdraw");
    }
    table.status(signal, CaseStatus.WITHDRAWN, null, clock.instant());
    store.remove(reference);
    log.info("Signal {} withdrawn and removed", reference);
  }

  private Signal open(String reference, Action action) {
    Optional<Signal> signal = store.find(reference);
    views.record(action, signal.isPresent() ? reference : null);
    return signal.orElseThrow(() -> new Refused("signals.refused.unknown"));
  }
}
