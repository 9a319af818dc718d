package nl.covenanthub.hub.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching's state machine, without a broker: what each candidate leads to. */
class MatchBookTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long TWO_YEARS = 730 * DAY;

  private static MatchCandidate candidate(
      MatchCandidate.Kind kind, String partner, String caseKey, String subject, long day) {
    return new MatchCandidate(
        kind,
        "zorg-en-veiligheid",
        subject,
        "audit-" + subject,
        partner,
        caseKey,
        "ref-" + caseKey,
        "contact " + partner,
        partner,
        null,
        null,
        "event-" + caseKey + "-" + day,
        day * DAY,
        day * DAY + TWO_YEARS,
        "covenant",
        1,
        "hash",
        "basis");
  }

  private static MatchCandidate open(String partner, String caseKey, String subject, long day) {
    return candidate(MatchCandidate.Kind.OPEN, partner, caseKey, subject, day);
  }

  private static List<String> told(MatchBook.Outcome outcome) {
    return outcome.tell().stream()
        .map(t -> t.told().partner() + " about " + t.about().caseKey())
        .toList();
  }

  @Test
  void aPairIsToldOnceWhileBothHoldACaseAndAgainAfterOneClosed() {
    MatchBook book = new MatchBook();
    assertThat(book.take(open("politie", "p1", "s", 0)).noHit()).isTrue();
    assertThat(told(book.take(open("lzn", "l1", "s", 1))))
        .containsExactlyInAnyOrder("lzn about p1", "politie about l1");
    MatchBook.Outcome known = book.take(open("politie", "p2", "s", 2));
    assertThat(told(known)).as("the pair knows already").isEmpty();
    assertThat(known.check()).isEqualTo("ALREADY_MATCHED");
    assertThat(book.take(candidate(MatchCandidate.Kind.CLOSE, "lzn", "l1", "s", 3)).check())
        .isEqualTo("MATCH_ENDED");
    assertThat(book.take(open("politie", "p3", "s", 4)).noHit()).isTrue();
    assertThat(told(book.take(open("lzn", "l2", "s", 5))))
        .as("a new case after the other closed tells them again, about the latest")
        .containsExactlyInAnyOrder("lzn about p3", "politie about l2");
  }

  @Test
  void aCloseForgetsOnlyTheClosedSubjectsPairs() {
    MatchBook book = new MatchBook();
    for (String subject : List.of("s", "t")) {
      book.take(open("politie", "p-" + subject, subject, 0));
      book.take(open("lzn", "l-" + subject, subject, 1));
    }
    assertThat(book.take(candidate(MatchCandidate.Kind.CLOSE, "lzn", "l-t", "t", 2)).check())
        .isEqualTo("MATCH_ENDED");
    assertThat(book.take(open("politie", "p2-s", "s", 3)).check())
        .as("the pair about s still knows of each other")
        .isEqualTo("ALREADY_MATCHED");
    assertThat(told(book.take(open("lzn", "l2-t", "t", 4))))
        .as("the pair about t was forgotten: told again")
        .containsExactlyInAnyOrder("lzn about p-t", "politie about l2-t");
  }

  @Test
  void aSignalCountsTwoYearsAndOtherSubjectsNeverMatch() {
    MatchBook book = new MatchBook();
    book.take(open("politie", "p1", "s", 0));
    assertThat(book.take(open("lzn", "l1", "other", 1)).noHit()).isTrue();
    assertThat(book.take(open("lzn", "l2", "s", 731)).noHit())
        .as("politie's signal no longer counts after two years")
        .isTrue();
  }

  @Test
  void aQueryIsAnsweredOnlyAboutASubjectThePartnerSignalled() {
    MatchBook book = new MatchBook();
    book.take(open("politie", "p1", "s", 0));
    book.take(open("lzn", "l1", "s", 1));
    MatchBook.Outcome probe = book.take(candidate(MatchCandidate.Kind.QUERY, "riec", "q", "s", 2));
    assertThat(probe.notSignalled()).isTrue();
    assertThat(probe.tell()).isEmpty();
    assertThat(told(book.take(candidate(MatchCandidate.Kind.QUERY, "politie", "p1", "s", 3))))
        .as("a query tells the one who asks, again")
        .containsExactly("politie about l1");
  }

  @Test
  void theSameCandidatesGiveTheSameOutcomes() {
    List<MatchCandidate> candidates =
        List.of(
            open("politie", "p1", "s", 0),
            open("lzn", "l1", "s", 1),
            candidate(MatchCandidate.Kind.CLOSE, "lzn", "l1", "s", 2),
            open("lzn", "l2", "s", 3));
    MatchBook first = new MatchBook();
    MatchBook second = new MatchBook();
    for (MatchCandidate c : candidates) {
      assertThat(second.take(c)).isEqualTo(first.take(c));
    }
  }
}
