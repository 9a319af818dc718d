package nl.covenanthub.console.signals;

import java.util.List;
import nl.covenanthub.events.Concern;

/** What a reporter says a signal is about (the form's short list), and the concerns it carries. */
public enum SignalKind {
  DRUGS(List.of(Concern.HENNEPTEELT, Concern.ONDERMIJNING)),
  PAND(List.of(Concern.ONDERMIJNING)),
  VAKANTIEPARK(List.of(Concern.ONDERMIJNING)),
  MENSENHANDEL(List.of(Concern.ONDERMIJNING)),
  OVERIG(List.of(Concern.ONDERMIJNING));

  private final List<Concern> concerns;

  SignalKind(List<Concern> concerns) {
    this.concerns = concerns;
  }

  /** Every case-table signal is about undermining; drugs are also a cannabis concern. */
  List<Concern> concerns() {
    return concerns;
  }
}
