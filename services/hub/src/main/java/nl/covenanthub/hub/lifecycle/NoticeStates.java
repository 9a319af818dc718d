package nl.covenanthub.hub.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Where each withdrawal notice stands: NOTIFIED (waiting for the recipient, in time), ACKNOWLEDGED,
 * or OVERDUE (no acknowledgement by its {@code acknowledgeBy}). Counted per state in the metric
 * {@code hub.withdrawal.notices}.
 */
@Component
public class NoticeStates {
  public enum State {
    NOTIFIED,
    ACKNOWLEDGED,
    OVERDUE
  }

  /** One notice: ids, pseudonyms and times only. */
  public record NoticeState(
      String noticeId,
      String reason,
      String sender,
      String caseReference,
      String recipient,
      String subjectPseudonym,
      Instant notifiedAt,
      Instant acknowledgeBy,
      Instant acknowledgedAt,
      State state) {}

  private final DisclosureIndex index;
  private final Clock clock;

  public NoticeStates(DisclosureIndex index, Clock clock, MeterRegistry registry) {
    this.index = index;
    this.clock = clock;
    for (State state : State.values()) {
      Gauge.builder("hub.withdrawal.notices", this, n -> n.count(state))
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .description("Withdrawal notices by state; overdue: not acknowledged in time")
          .register(registry);
    }
  }

  /** Every notice, the newest first. */
  public List<NoticeState> all() {
    Instant now = clock.instant();
    List<NoticeState> states = new ArrayList<>();
    for (IndexFacts.Notice notice : index.notices()) {
      Instant acknowledgedAt =
          index
              .acknowledgement(notice.noticeId())
              .map(a -> Instant.ofEpochMilli(a.at()))
              .orElse(null);
      Instant by = Instant.ofEpochMilli(notice.acknowledgeBy());
      State state =
          acknowledgedAt != null
              ? State.ACKNOWLEDGED
              : now.isAfter(by) ? State.OVERDUE : State.NOTIFIED;
      states.add(
          new NoticeState(
              notice.noticeId(),
              notice.reason(),
              notice.sender(),
              notice.caseReference(),
              notice.recipient(),
              notice.subject(),
              Instant.ofEpochMilli(notice.at()),
              by,
              acknowledgedAt,
              state));
    }
    states.sort(Comparator.comparing(NoticeState::notifiedAt).reversed());
    return states;
  }

  long count(State state) {
    return all().stream().filter(s -> s.state() == state).count();
  }
}
