package nl.covenanthub.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Knows when everything this demo published has been dealt with, so that {@code --count N} can
 * stop: the hub has audited each published record (it writes the audit in the same transaction as
 * the deliveries), and each disclosure and dead letter that the audit names has been printed.
 * Records are named by where they were published: {@code topic-partition@offset}, which the audit
 * and the dead letters carry too.
 */
final class Progress {
  private record Audited(String decision, String disclosureId) {}

  private final Map<String, String> published = new LinkedHashMap<>();
  private final Map<String, List<Audited>> audits = new HashMap<>();
  private final Set<String> printedDeliveries = new HashSet<>();
  private final Set<String> printedDeadLetters = new HashSet<>();

  static String source(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }

  synchronized void published(String source, String description) {
    published.put(source, description);
    notifyAll();
  }

  synchronized void audited(String source, String decision, String disclosureId) {
    audits.computeIfAbsent(source, s -> new ArrayList<>()).add(new Audited(decision, disclosureId));
    notifyAll();
  }

  synchronized void delivered(String disclosureId) {
    printedDeliveries.add(disclosureId);
    notifyAll();
  }

  synchronized void deadLettered(String source) {
    printedDeadLetters.add(source);
    notifyAll();
  }

  /**
   * Waits until all that was published is audited and shown; false if {@code timeoutMillis} passed
   * first.
   */
  synchronized boolean awaitSettled(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!missing().isEmpty()) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** What is still missing, one line each; empty when everything published is settled. */
  synchronized List<String> missing() {
    List<String> missing = new ArrayList<>();
    published.forEach(
        (source, description) -> {
          List<Audited> decisions = audits.get(source);
          if (decisions == null) {
            missing.add("not yet audited by the hub: " + description + " (" + source + ")");
            return;
          }
          for (Audited audited : decisions) {
            if (audited.decision.equals("DISCLOSED")
                && !printedDeliveries.contains(audited.disclosureId)) {
              missing.add(
                  "disclosed but not yet received: "
                      + description
                      + " (disclosure "
                      + audited.disclosureId
                      + ")");
            } else if (audited.decision.equals("REJECTED")
                && !printedDeadLetters.contains(source)) {
              missing.add(
                  "rejected but not yet seen in hub.deadletter: "
                      + description
                      + " ("
                      + source
                      + ")");
            }
          }
        });
    return missing;
  }

  /**
   * {@code 15 published: 13 deliveries, 24 withheld, 1 dead-lettered}, counting this demo's events
   * only.
   */
  synchronized String summary() {
    Map<String, Integer> counts = new HashMap<>();
    published
        .keySet()
        .forEach(
            source ->
                audits
                    .getOrDefault(source, List.of())
                    .forEach(audited -> counts.merge(audited.decision, 1, Integer::sum)));
    return published.size()
        + " published; the hub decided "
        + counts.getOrDefault("DISCLOSED", 0)
        + " disclosures, "
        + counts.getOrDefault("WITHHELD", 0)
        + " withheld, "
        + counts.getOrDefault("REJECTED", 0)
        + " rejected";
  }
}
