package nl.covenanthub.console.covenants;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.console.covenants.CovenantStore.StoredVersion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes a covenant's active version to {@code hub.covenants} (compacted, keyed by covenant id):
 * the exact YAML text as the value, its version, canonical hash, effective time and the parties
 * that revoked as headers. The hub takes it between two transactions (docs/covenant-admin.md).
 */
@Component
public class CovenantPublisher {
  public static final String TOPIC = "hub.covenants";

  private final KafkaTemplate<String, String> kafka;

  public CovenantPublisher(KafkaTemplate<String, String> kafka) {
    this.kafka = kafka;
  }

  /** Sends and waits for the broker's acknowledgement; throws when it does not come. */
  public void publish(StoredVersion version, Set<String> revokedBy) {
    // Partition 0, named: the hub reads that one partition, even where a broker that auto-creates
    // topics gave hub.covenants more.
    ProducerRecord<String, String> record =
        new ProducerRecord<>(TOPIC, 0, version.covenantId(), version.yaml());
    header(record, "covenant-version", Integer.toString(version.version()));
    header(record, "content-hash", version.contentHash());
    version.effectiveFrom().ifPresent(at -> header(record, "effective-from", at.toString()));
    header(record, "revoked-by", String.join(",", revokedBy.stream().sorted().toList()));
    try {
      kafka.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "hub.covenants did not take covenant " + version.covenantId() + " v" + version.version(),
          e);
    }
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
