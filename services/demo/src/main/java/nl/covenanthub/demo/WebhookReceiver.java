package nl.covenanthub.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import nl.covenanthub.events.WebhookSignatures;

/**
 * A partner's system that receives its inbox by webhook, as the demo's Veilig Thuis does: a small
 * HTTP server on this machine that verifies each request's Standard Webhooks signature (refusing
 * what does not verify with 401), answers 204 and prints what arrived. The body is not shown: the
 * inbox reader prints the same view from Kafka.
 */
final class WebhookReceiver implements AutoCloseable {
  static final int MAX_BODY = 1024 * 1024;

  private final HttpServer server;

  WebhookReceiver(String partner, int port, List<String> secrets, Console console)
      throws IOException {
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.createContext(
        "/hooks/" + partner,
        exchange -> {
          try (exchange) {
            receive(partner, secrets, console, exchange);
          }
        });
  }

  private static void receive(
      String partner, List<String> secrets, Console console, HttpExchange exchange)
      throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY);
    }
    String id = exchange.getRequestHeaders().getFirst(WebhookSignatures.ID_HEADER);
    boolean verified =
        WebhookSignatures.verify(
            id,
            exchange.getRequestHeaders().getFirst(WebhookSignatures.TIMESTAMP_HEADER),
            exchange.getRequestHeaders().getFirst(WebhookSignatures.SIGNATURE_HEADER),
            body,
            secrets,
            Clock.systemUTC().instant());
    if (!verified) {
      console.say(partner, "⇐ webhook refused: its signature does not verify");
      exchange.sendResponseHeaders(401, -1);
      return;
    }
    console.say(partner, "⇐ webhook " + id + " (" + body.length + " bytes), signature verified");
    exchange.sendResponseHeaders(204, -1);
  }

  void start() {
    server.start();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
