package nl.covenanthub.hub.disclosure;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.Pseudonymiser;
import nl.covenanthub.hub.intake.IncomingEvent;
import org.springframework.stereotype.Component;

/**
 * Asks the covenant core about every party that could receive the event; the core decides, not us.
 * The covenant set is the one the listener took for the batch, so a switch of versions falls
 * between two transactions.
 */
@Component
public class CovenantDecisions {
  /** Recipient of the one WITHHELD decision of an event whose purpose no covenant has. */
  public static final String NO_RECIPIENT = "";

  private final Clock clock;
  private final Pseudonymiser caseKeys;
  private final Pseudonymiser subjects;

  public CovenantDecisions(
      Clock clock, Pseudonymiser recordKeyPseudonymiser, Pseudonymiser subjectPseudonymiser) {
    this.clock = clock;
    this.caseKeys = recordKeyPseudonymiser;
    this.subjects = subjectPseudonymiser;
  }

  public DecidedEvent decide(IncomingEvent in, CovenantSet covenants) {
    Instant now = clock.instant();
    List<String> recipients = covenants.recipients(in.sender(), in.purpose());
    List<Decision> decisions = new ArrayList<>(Math.max(1, recipients.size()));
    if (recipients.isEmpty()) {
      // Unknown purpose: still one decision, so the event is audited as withheld, not lost.
      decisions.add(covenants.decide(in.sender(), NO_RECIPIENT, in.purpose(), in.event(), now));
    }
    for (String recipient : recipients) {
      decisions.add(covenants.decide(in.sender(), recipient, in.purpose(), in.event(), now));
    }
    List<String> disclosureIds =
        decisions.stream().map(d -> DisclosureIds.of(in.source(), d.key().recipient())).toList();
    // Each a keyed hash: computed once here for the inbox key, the audit and the index alike.
    return new DecidedEvent(
        in,
        decisions,
        disclosureIds,
        TraceContext.from(in.source()),
        now,
        caseKeys.pseudonym(in.sender() + "/" + in.caseReference()),
        in.bsn().map(subjects::pseudonym).orElse(null));
  }
}
