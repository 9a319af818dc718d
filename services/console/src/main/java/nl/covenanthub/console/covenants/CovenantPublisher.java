package nl.covenanthub.console.covenants;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
 * that revoked as headers, and the administration trail's head (which the hub ignores: an anchor
 * the console checks its trail against). The hub takes it between two transactions
 * (docs/covenant-admin.md).
 */
@Component
public class CovenantPublisher {
  public static final String TOPIC = "hub.covenants";

  /** The administration trail's head when the record was published: its seq and hash. */
  public static final String TRAIL_SEQ_HEADER = "admin-trail-seq";

  public static final String TRAIL_HASH_HEADER = "admin-trail-hash";

  private final KafkaTemplate<String, String> kafka;

  public CovenantPublisher(KafkaTemplate<String, String> kafka) {
    this.kafka = kafka;
  }

  /**
   * Sends and waits for the broker's acknowledgement; throws when it does not come. {@code trail}:
   * the administration trail's head, published with it as an anchor outside the console's database.
   */
  public void publish(
      StoredVersion version, Set<String> revokedBy, Optional<CovenantStore.TrailAnchor> trail) {
    // Partition 0, named: the hub reads that one partition, even where a broker that auto-creates
    // topics gave hub.covenants more.
    ProducerRecord<String, String> record =
        new ProducerRecord<>(TOPIC, 0, version.covenantId(), version.yaml());
    header(record, "covenant-version", Integer.toString(version.version()));
    header(record, "content-hash", version.contentHash());
    version.effectiveFrom().ifPresent(at -> header(record, "effective-from", at.toString()));
    header(record, "revoked-by", String.join(",", revokedBy.stream().sorted().toList()));
    trail.ifPresent(
        head -> {
          header(record, TRAIL_SEQ_HEADER, Long.toString(head.seq()));
          header(record, TRAIL_HASH_HEADER, head.hash());
        });
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
