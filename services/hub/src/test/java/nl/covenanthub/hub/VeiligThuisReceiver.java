package nl.covenanthub.hub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import nl.covenanthub.events.CaseSignal;

/**
 * WireMock standing in for Veilig Thuis's registration system, which takes its inbox by webhook.
 */
final class VeiligThuisReceiver {
  static final String HOOK = "/hooks/veilig-thuis";
  final WireMockServer server = new WireMockServer(options().dynamicPort());

  VeiligThuisReceiver() {
    server.start();
  }

  /** For {@code hub.webhooks.endpoints[veilig-thuis].url}. */
  String url() {
    return server.baseUrl() + HOOK;
  }

  /** Veilig Thuis answers {@code status} to the deliveries of this event. */
  void answer(CaseSignal signal, int status) {
    server.stubFor(
        post(urlEqualTo(HOOK))
            .withRequestBody(containing(signal.getEventId()))
            .willReturn(aResponse().withStatus(status)));
  }

  List<LoggedRequest> deliveriesOf(CaseSignal signal) {
    return server.findAll(
        postRequestedFor(urlEqualTo(HOOK)).withRequestBody(containing(signal.getEventId())));
  }

  void stop() {
    server.stop();
  }
}
