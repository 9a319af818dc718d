package nl.covenanthub.hub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.hub.covenants.ActiveCovenants;
import nl.covenanthub.hub.covenants.CovenantFeed;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * New versions of the care covenant, published to {@code hub.covenants} as the console does: the
 * same rules (so the benchmark's output per event stays the same) with a new version number.
 */
final class CovenantSwitches implements AutoCloseable {
  private static final String FILE = "zorg-en-veiligheid.yaml";

  private final KafkaProducer<String, byte[]> producer;
  private final String text;
  private final ActiveCovenants active;
  private int version = 1;

  CovenantSwitches(String brokers, Path covenants, ConfigurableApplicationContext hub)
      throws IOException {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    this.text = Files.readString(covenants.resolve(FILE));
    if (!text.contains("\nversion: 1\n")) {
      throw new IllegalStateException(FILE + " is not at version 1");
    }
    this.active = hub.getBean(ActiveCovenants.class);
  }

  int next() {
    return ++version;
  }

  /** Publishes version {@code n} and waits for the broker's acknowledgement. */
  void publish(int n) {
    String yaml = text.replace("\nversion: 1\n", "\nversion: " + n + "\n");
    try {
      LoadedCovenant loaded = CovenantLoader.load(FILE, yaml.getBytes(StandardCharsets.UTF_8));
      ProducerRecord<String, byte[]> record =
          new ProducerRecord<>(
              CovenantFeed.TOPIC, loaded.id(), yaml.getBytes(StandardCharsets.UTF_8));
      record.headers().add(ActiveCovenants.VERSION_HEADER, bytes(Integer.toString(n)));
      record.headers().add(ActiveCovenants.HASH_HEADER, bytes(loaded.contentHash()));
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (CovenantException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish v" + n, e);
    }
  }

  /** Fails unless the hub enforces version {@code n} within a minute. */
  void awaitInForce(int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (active.current().covenants().stream().noneMatch(c -> c.version() == n)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the hub did not switch to v" + n + ": " + active.refusals());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
