package nl.covenanthub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nl.covenanthub.covenant.CovenantSet;
import nl.covenanthub.covenant.Decision;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.covenant.KeyRing;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's script says the truth about the covenants in covenants/, and shows what it means to
 * show.
 */
class ScenariosTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
  private static final Set<String> TEST_BSNS = Set.of("999990019", "999991772", "999993653");
  private static CovenantSet covenants;

  @BeforeAll
  static void loadCovenants() throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of("../../covenants"))) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    KeyRing keys =
        KeyRing.of(Map.of("subject-key", "test-only-subject-key-not-a-secret!".getBytes()));
    covenants = CovenantSet.load(files, EventCatalog.standard(), keys, CLOCK);
  }

  private static List<Scenario> oneRound() {
    Scenarios scenarios = new Scenarios(CLOCK, 11873);
    List<Scenario> round = new ArrayList<>();
    for (int i = 0; i < scenarios.roundLength(); i++) {
      round.add(scenarios.next());
    }
    return round;
  }

  @Test
  void eachEventGoesToExactlyThePartnersItSays() {
    for (Scenario scenario : oneRound()) {
      Set<String> disclosedTo = new TreeSet<>();
      String sender = scenario.field("sender");
      if (sender.equals(scenario.publisher())) {
        for (String recipient : covenants.recipients(sender, scenario.field("purpose"))) {
          Decision decision =
              covenants.decide(
                  sender, recipient, scenario.field("purpose"), scenario.event(), CLOCK.instant());
          if (decision.disclosed()) {
            disclosedTo.add(recipient);
          }
        }
      }
      assertThat(disclosedTo)
          .as(scenario.publisher() + " " + scenario.describe())
          .isEqualTo(new TreeSet<>(scenario.receivers()));
    }
  }

  @Test
  void oneRoundShowsEveryPartnerReceivingAWithheldEventAndASpoofedSender() {
    List<Scenario> round = oneRound();
    Set<String> receivers = new HashSet<>();
    round.forEach(s -> receivers.addAll(s.receivers()));
    assertThat(receivers).containsExactlyInAnyOrderElementsOf(DemoPartners.PARTNERS);
    assertThat(round)
        .anyMatch(s -> s.receivers().isEmpty() && s.publisher().equals(s.field("sender")));
    assertThat(round).anyMatch(s -> !s.publisher().equals(s.field("sender")));
    assertThat(round).extracting(Scenario::publisher).containsAll(DemoPartners.PUBLISHERS);
    // The first five already show a delivery to every partner and the dead letter, for a quick
    // check.
    Set<String> early = new HashSet<>();
    round.subList(0, 5).forEach(s -> early.addAll(s.receivers()));
    assertThat(early).containsExactlyInAnyOrderElementsOf(DemoPartners.PARTNERS);
    assertThat(round.subList(0, 5)).anyMatch(s -> !s.publisher().equals(s.field("sender")));
  }

  @Test
  void eventsAreSingleObjectEncodedAsTheHubReadsThem() throws IOException {
    EventCatalog catalog = EventCatalog.standard();
    for (Scenario scenario : oneRound()) {
      BinaryMessageDecoder<GenericData.Record> decoder =
          new BinaryMessageDecoder<>(
              GenericData.get(), catalog.eventType(scenario.eventType()).orElseThrow().avro());
      GenericData.Record decoded = decoder.decode(scenario.bytes());
      assertThat(decoded.get("eventId").toString()).isEqualTo(scenario.field("eventId"));
      assertThat(scenario.key()).isEqualTo(scenario.field("caseReference"));
    }
  }

  @Test
  void onlyTestBsnsAndNewIdsEveryRound() {
    Scenarios scenarios = new Scenarios(CLOCK, 11873);
    Set<String> eventIds = new HashSet<>();
    Set<String> firstRoundCases = new HashSet<>();
    Pattern bsn = Pattern.compile("\\b\\d{9}\\b");
    for (int i = 0; i < 2 * scenarios.roundLength(); i++) {
      Scenario scenario = scenarios.next();
      assertThat(eventIds.add(scenario.field("eventId"))).isTrue();
      if (i < scenarios.roundLength()) {
        firstRoundCases.add(scenario.key());
      } else {
        assertThat(firstRoundCases).doesNotContain(scenario.key());
      }
      Matcher numbers = bsn.matcher(scenario.event().toString());
      while (numbers.find()) {
        assertThat(TEST_BSNS).contains(numbers.group());
      }
    }
  }
}
