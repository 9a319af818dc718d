package nl.covenanthub.hub.planted;

import nl.covenanthub.covenant.CovenantSet;

/** A planted violation (test only): a route that decides by itself and reads the rules. */
public class RouteThatDecides {
  Object rules = nl.covenanthub.covenant.Treatment.class;

  Object decide(CovenantSet covenants) {
    return covenants.decide("politie", "lzn", "zorg-en-veiligheid", null, java.time.Instant.EPOCH);
  }
}
