package nl.covenanthub.console.signals;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Takes reports and additions from the public form. The log says only that a report came in, and
 * its reference: never its text, address or contact.
 */
@Service
class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  private final SignalStore store;
  private final Clock clock;

  Intake(SignalStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Stores a valid report; the receipt code for the reporter (stored only as its hash). */
  String receive(Report report) {
    String code = ReceiptCodes.next();
    String reference = store.receive(report, ReceiptCodes.hash(code), clock.instant());
    log.info("Signal {} received", reference);
    return code;
  }

  /** Adds to the report with this receipt code; false when there is none (any more). */
  boolean add(String code, String text) {
    boolean added = store.add(ReceiptCodes.hash(code), text, clock.instant());
    log.info(added ? "Information added to a signal" : "Information refused: unknown receipt code");
    return added;
  }
}
