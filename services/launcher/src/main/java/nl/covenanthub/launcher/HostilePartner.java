package nl.covenanthub.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A partner that attacks from its own outbox: garbage, truncated Avro, a valid event padded with
 * headers to just under the broker's 1 MB, and events that name another partner as sender. Each
 * must end dead-lettered and audited, and none may hold anyone up.
 */
final class HostilePartner implements AutoCloseable {
  private final String partner;
  private final KafkaProducer<String, byte[]> producer;
  private final Random random;
  private final List<Traffic.Published> sent = new CopyOnWriteArrayList<>();

  HostilePartner(String partner, Map<String, Object> login, long seed) {
    this.partner = partner;
    this.producer = Traffic.producer(login);
    this.random = new Random(seed);
  }

  /** One round of every kind of hostile input. */
  void attack() {
    String topic = "partner." + partner + ".outbox";
    byte[] valid = SingleObjectEncoding.bytes(event(partner));
    send(
        new ProducerRecord<>(topic, "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8)));
    send(new ProducerRecord<>(topic, "truncated", Arrays.copyOf(valid, 12 + random.nextInt(20))));
    ProducerRecord<String, byte[]> padded = new ProducerRecord<>(topic, "padded", valid);
    for (int i = 0; i < 10; i++) {
      padded.headers().add("padding-" + i, new byte[100_000]);
    }
    send(padded);
    send(new ProducerRecord<>(topic, "spoofed", SingleObjectEncoding.bytes(event("politie"))));
  }

  /** What it sent and the broker took. */
  List<Traffic.Published> sent() {
    return List.copyOf(sent);
  }

  private void send(ProducerRecord<String, byte[]> record) {
    try {
      RecordMetadata metadata = producer.send(record).get();
      sent.add(
          new Traffic.Published(record.topic(), metadata.partition(), metadata.offset(), null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // the broker refused it (during its restart, say): nothing to hold the hub to
    }
  }

  private static CaseSignal event(String claimedSender) {
    return CaseSignal.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(claimedSender)
        .setCaseReference("HOSTILE-" + UUID.randomUUID())
        .setOccurredAt(Instant.now())
        .setPurpose("zorg-en-veiligheid")
        .setSubject(Subject.newBuilder().setBsn("999990019").setName("X").build())
        .setConcerns(List.of(Concern.VERWARD_GEDRAG))
        .setRiskLevel(RiskLevel.MIDDEN)
        .setContact(Contact.newBuilder().setName("X").setOrganisation("X").build())
        .build();
  }

  @Override
  public void close() {
    producer.close();
  }
}
