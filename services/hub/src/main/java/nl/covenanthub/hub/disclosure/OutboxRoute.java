package nl.covenanthub.hub.disclosure;

import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.hub.audit.Auditor;
import nl.covenanthub.hub.audit.DeadLetters;
import nl.covenanthub.hub.intake.BadInputException;
import nl.covenanthub.hub.intake.DuplicateEvents;
import nl.covenanthub.hub.intake.IncomingEvent;
import nl.covenanthub.hub.intake.OutboxIntake;
import nl.covenanthub.hub.lifecycle.Withdrawals;
import nl.covenanthub.hub.matching.Matchmaker;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/**
 * What happens to one outbox record: take it in, let the covenants decide for every recipient,
 * deliver what they allow, audit every decision. Refused input is dead-lettered and audited
 * instead. Everything runs in the caller's thread, inside the Kafka transaction of the listener
 * that called it.
 */
@Component
public class OutboxRoute extends RouteBuilder {
  public static final String ENDPOINT = "direct:outbox";
  static final String SOURCE = "source";

  /** The exchange property with the batch's {@code CovenantSet}. */
  static final String COVENANTS = "covenants";

  private final OutboxIntake intake;
  private final CovenantDecisions decisions;
  private final InboxPublisher inboxes;
  private final Auditor auditor;
  private final DeadLetters deadLetters;
  private final DuplicateEvents duplicates;
  private final Withdrawals withdrawals;
  private final Matchmaker matchmaker;

  public OutboxRoute(
      OutboxIntake intake,
      DuplicateEvents duplicates,
      CovenantDecisions decisions,
      InboxPublisher inboxes,
      Auditor auditor,
      DeadLetters deadLetters,
      Withdrawals withdrawals,
      Matchmaker matchmaker) {
    this.withdrawals = withdrawals;
    this.matchmaker = matchmaker;
    this.intake = intake;
    this.duplicates = duplicates;
    this.decisions = decisions;
    this.inboxes = inboxes;
    this.auditor = auditor;
    this.deadLetters = deadLetters;
  }

  @Override
  public void configure() {
    // Steps are processors calling the beans directly (no bean binding by reflection per record:
    // the route runs once per outbox record, so its overhead counts). Bad input is an outcome, not
    // a failure: it is dead-lettered and audited and the route goes on. Any other exception
    // propagates, so the listener's transaction aborts and the batch is retried.
    onException(BadInputException.class)
        .handled(true)
        .process(
            e ->
                deadLetters.reject(
                    source(e), e.getProperty(Exchange.EXCEPTION_CAUGHT, BadInputException.class)));
    // No redelivery here: the listener container retries the whole transaction, and it logs the
    // failure.
    errorHandler(defaultErrorHandler().maximumRedeliveries(0).logExhausted(false));

    from(ENDPOINT)
        .routeId("outbox")
        .setProperty(SOURCE, body())
        .process(e -> e.getMessage().setBody(intake.accept(source(e))))
        .id("accept")
        .process(e -> duplicates.check(e.getMessage().getBody(IncomingEvent.class)))
        .id("deduplicate")
        .process(
            e -> {
              // Not case events the covenants route: an answer to a withdrawal notice, an erasure
              // request.
              IncomingEvent in = e.getMessage().getBody(IncomingEvent.class);
              if (Withdrawals.isAcknowledgement(in)) {
                withdrawals.acknowledge(in);
                e.setRouteStop(true);
              } else if (Withdrawals.isErasureRequest(in)) {
                withdrawals.erase(in);
                e.setRouteStop(true);
              } else if ("MatchQuery".equals(in.eventType())) {
                matchmaker.query(in, e.getProperty(COVENANTS, CovenantSet.class));
                e.setRouteStop(true);
              }
            })
        .id("acknowledge")
        .process(
            e ->
                e.getMessage()
                    .setBody(
                        decisions.decide(
                            e.getMessage().getBody(IncomingEvent.class),
                            e.getProperty(COVENANTS, CovenantSet.class))))
        .id("decide")
        .process(e -> inboxes.deliver(e.getMessage().getBody(DecidedEvent.class)))
        .id("deliver")
        .process(e -> auditor.audit(e.getMessage().getBody(DecidedEvent.class)))
        .id("audit")
        .process(e -> withdrawals.afterDecisions(e.getMessage().getBody(DecidedEvent.class)))
        .id("index")
        .process(
            e ->
                matchmaker.afterDecisions(
                    e.getMessage().getBody(DecidedEvent.class),
                    e.getProperty(COVENANTS, CovenantSet.class)))
        .id("match");
  }

  @SuppressWarnings("unchecked")
  private static ConsumerRecord<String, byte[]> source(Exchange exchange) {
    return exchange.getProperty(SOURCE, ConsumerRecord.class);
  }
}
