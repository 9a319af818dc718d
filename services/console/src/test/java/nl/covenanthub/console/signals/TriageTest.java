package nl.covenanthub.console.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import nl.covenanthub.devkit.Keycloak;
import nl.covenanthub.events.RiskLevel;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Triage and the werkbestand's API: who may read it (real Keycloak tokens), that every read is
 * logged, merging, an administrative outcome, and the removal of dismissed signals after the
 * documented period.
 */
class TriageTest extends AsTheIntegralSafetyOfficer {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @LocalServerPort int port;
  @Autowired Intake intake;
  @Autowired Triage triage;
  @Autowired DismissedSignals dismissed;
  @Autowired SignalSettings settings;

  @Test
  void theApiIsTheIntegralSafetyOfficersAloneAndEveryReadIsLogged() {
    String reference = reference(intake.receive(report("API-test")));

    assertThat(get("/api/signals", null).statusCode()).as("no token").isEqualTo(401);
    for (String user : List.of("fg", "beheerder", "operator")) {
      assertThat(get("/api/signals", token(user)).statusCode()).as(user).isEqualTo(403);
      assertThat(get("/api/signals/" + reference, token(user)).statusCode())
          .as(user)
          .isEqualTo(403);
    }
    assertThat(SignalViews.of(db, "fg", reference)).as("a refused read is no read").isZero();

    HttpResponse<String> list = get("/api/signals", token("ivb"));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains(reference).doesNotContain("API-test");
    HttpResponse<String> one = get("/api/signals/" + reference, token("ivb"));
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.body()).contains("API-test");
    assertThat(SignalViews.of(db, "ivb", reference)).as("the read of the signal").isEqualTo(1);
    assertThat(get("/api/signals/NP-0000-00000", token("ivb")).statusCode()).isEqualTo(404);
  }

  @Test
  void aDuplicateBecomesPartOfTheOtherAndItsReporterAddsToThatOne() {
    String first = reference(intake.receive(report("Eerste melding")));
    String secondCode = intake.receive(report("Dezelfde loods"));
    String second = reference(secondCode);

    triage.merge(second, first);

    assertThat(triage.view(second).orElseThrow().status()).isEqualTo(SignalStatus.MERGED);
    assertThat(triage.view(second).orElseThrow().mergedInto()).isEqualTo(first);
    assertThat(triage.view(first).orElseThrow().merged()).containsExactly(second);
    assertThat(triage.workList())
        .extracting(Signal.Summary::reference)
        .contains(first)
        .doesNotContain(second);
    assertThat(intake.add(secondCode, "Nog iets")).isTrue();
    assertThat(triage.view(first).orElseThrow().additions())
        .extracting(Signal.Addition::text)
        .as("added to the signal it is part of")
        .containsExactly("Nog iets");
    assertThatThrownBy(() -> triage.merge(first, first)).isInstanceOf(Triage.Refused.class);
    assertThatThrownBy(() -> triage.merge(second, first))
        .as("only a new signal is merged")
        .isInstanceOf(Triage.Refused.class);
    assertThatThrownBy(() -> triage.enrich(first, null, "1234"))
        .as("a KvK number has eight digits")
        .isInstanceOf(Triage.Refused.class);
  }

  @Test
  void anAdministrativeOutcomeIsRecordedOnTheItem() {
    String reference = reference(intake.receive(report("Bestuurlijk")));
    assertThatThrownBy(() -> triage.administrative(reference, "Sluiting pand"))
        .as("only an agenda item gets an outcome")
        .isInstanceOf(Triage.Refused.class);
    triage.agenda(reference, null, RiskLevel.MIDDEN);

    triage.administrative(reference, "Bestuurlijke waarschuwing en controle ODR");

    Signal signal = triage.view(reference).orElseThrow();
    assertThat(signal.status()).isEqualTo(SignalStatus.ADMINISTRATIVE);
    assertThat(signal.outcomeNote()).isEqualTo("Bestuurlijke waarschuwing en controle ODR");
  }

  @Test
  void aDismissedSignalIsRemovedOnceItsPeriodHasPassed() {
    String reference = reference(intake.receive(report("Afwijzen")));
    String kept = reference(intake.receive(report("Blijft")));
    assertThatThrownBy(() -> triage.dismiss(reference, null))
        .as("a reason is needed")
        .isInstanceOf(Triage.Refused.class);
    triage.dismiss(reference, "Geen aanwijzing voor ondermijning");

    Period period = settings.dismissedKeptFor();
    clock.set(clock.instant().atOffset(ZoneOffset.UTC).plus(period).minusDays(1).toInstant());
    dismissed.removeExpired();
    assertThat(triage.view(reference)).as("within the period").isPresent();

    clock.set(clock.instant().plus(Duration.ofDays(2)));
    dismissed.removeExpired();
    assertThat(triage.view(reference)).as("past the period").isEmpty();
    assertThat(triage.view(kept)).as("a signal not dismissed stays").isPresent();
  }

  private static Report report(String description) {
    return new Report(
        "PAND", null, null, null, "Wamel", null, null, null, description, null, null, null);
  }

  private static String token(String user) {
    return Keycloak.shared().userToken(user, "demo");
  }

  private HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
