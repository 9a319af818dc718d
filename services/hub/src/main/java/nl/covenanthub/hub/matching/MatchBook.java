package nl.covenanthub.hub.matching;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which partners hold open cases about which subject, and which pairs of them were told of each
 * other: the matching's state, as a fold over its candidates in order. Pure: the same candidates
 * give the same state and outcomes, which is how a hub rebuilds it after a restart. A pair is told
 * once while both hold an open case; once either holds none, a later case tells them again.
 */
final class MatchBook {
  /** Tell {@code told}'s partner about {@code about}'s case. */
  record Tell(MatchCandidate told, MatchCandidate about) {}

  /**
   * What a candidate leads to.
   *
   * @param tell the notices to send
   * @param check how the check ended when nothing is sent (each audited): NO_MATCH (no other
   *     partner holds a case about the subject), ALREADY_MATCHED (the others were told of this
   *     partner before), NOT_SIGNALLED (a query about a subject the partner holds no case about),
   *     MATCH_ENDED (a close left a pair without a case), or null
   */
  record Outcome(List<Tell> tell, String check) {
    static final Outcome NOTHING = new Outcome(List.of(), null);

    boolean noHit() {
      return "NO_MATCH".equals(check);
    }

    boolean notSignalled() {
      return "NOT_SIGNALLED".equals(check);
    }
  }

  private final Map<String, Map<String, MatchCandidate>> open = new HashMap<>();

  /**
   * The pairs told, per book key: a candidate looks only at its own subject's pairs, however many
   * other subjects have some.
   */
  private final Map<String, Set<String>> told = new HashMap<>();

  Outcome take(MatchCandidate c) {
    Map<String, MatchCandidate> cases =
        open.computeIfAbsent(c.bookKey(), k -> new LinkedHashMap<>());
    cases.values().removeIf(o -> o.keepUntil() < c.at()); // its signal no longer counts
    Outcome outcome;
    switch (c.kind()) {
      case OPEN -> {
        cases.put(c.caseId(), c);
        Map<String, MatchCandidate> others = latestOfOthers(cases, c.partner());
        if (others.isEmpty()) {
          outcome = new Outcome(List.of(), "NO_MATCH");
        } else {
          List<Tell> tell = new ArrayList<>();
          others.forEach(
              (partner, other) -> {
                if (told.computeIfAbsent(c.bookKey(), k -> new HashSet<>())
                    .add(pair(c.partner(), partner))) {
                  tell.add(new Tell(c, other));
                  tell.add(new Tell(other, c));
                }
              });
          outcome = new Outcome(tell, tell.isEmpty() ? "ALREADY_MATCHED" : null);
        }
      }
      case CLOSE -> {
        cases.remove(c.caseId());
        outcome =
            forgetPairsWithoutCases(c.bookKey(), cases) > 0
                ? new Outcome(List.of(), "MATCH_ENDED")
                : Outcome.NOTHING;
      }
      default -> {
        boolean holds = cases.values().stream().anyMatch(o -> o.partner().equals(c.partner()));
        Map<String, MatchCandidate> others = latestOfOthers(cases, c.partner());
        if (!holds) {
          outcome = new Outcome(List.of(), "NOT_SIGNALLED");
        } else if (others.isEmpty()) {
          outcome = new Outcome(List.of(), "NO_MATCH");
        } else {
          outcome = new Outcome(others.values().stream().map(o -> new Tell(c, o)).toList(), null);
        }
      }
    }
    forgetPairsWithoutCases(c.bookKey(), cases);
    if (cases.isEmpty()) {
      open.remove(c.bookKey());
    }
    return outcome;
  }

  /** Each other partner's latest open case. */
  private static Map<String, MatchCandidate> latestOfOthers(
      Map<String, MatchCandidate> cases, String partner) {
    Map<String, MatchCandidate> latest = new LinkedHashMap<>();
    for (MatchCandidate o : cases.values()) {
      if (!o.partner().equals(partner)) {
        latest.merge(o.partner(), o, (a, b) -> b.at() >= a.at() ? b : a);
      }
    }
    return latest;
  }

  /** Forgets the book's pairs of which a partner holds no case any more; returns how many. */
  private int forgetPairsWithoutCases(String bookKey, Map<String, MatchCandidate> cases) {
    Set<String> pairs = told.get(bookKey);
    if (pairs == null) {
      return 0;
    }
    Set<String> holders = new HashSet<>();
    cases.values().forEach(o -> holders.add(o.partner()));
    int before = pairs.size();
    pairs.removeIf(
        p -> {
          String[] partners = p.split("\n");
          return !holders.contains(partners[0]) || !holders.contains(partners[1]);
        });
    int forgotten = before - pairs.size();
    if (pairs.isEmpty()) {
      told.remove(bookKey);
    }
    return forgotten;
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a;
  }
}
