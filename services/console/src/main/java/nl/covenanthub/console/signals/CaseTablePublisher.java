package nl.covenanthub.console.signals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Company;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Publishes the case table's agenda items and their outcomes on the municipality's outbox ({@code
 * partner.lzn.outbox}), as a partner system does: Avro single-object encoding, keyed by the
 * signal's reference. The hub then decides, under the undermining covenant, what each partner
 * receives. The reporter is never in the event: the contact is the municipality's officer, and the
 * narrative is the officer's summary, not the report's text.
 */
@Component
public class CaseTablePublisher {
  /** The municipality's local information hub, the party that brings signals to the table. */
  public static final String PARTY = "lzn";

  public static final String TOPIC = "partner." + PARTY + ".outbox";
  public static final String PURPOSE = "aanpak-ondermijning";

  private final KafkaTemplate<String, byte[]> kafka;
  private final SignalSettings settings;

  /** The console's own producer settings (its login included), writing bytes. */
  CaseTablePublisher(ProducerFactory<String, String> console, SignalSettings settings) {
    this.kafka =
        new KafkaTemplate<>(
            new DefaultKafkaProducerFactory<>(
                console.getConfigurationProperties(),
                new StringSerializer(),
                new ByteArraySerializer()));
    this.settings = settings;
  }

  /** The signal on the case table's agenda, with the officer's summary and risk. */
  void agenda(Signal signal, String summary, RiskLevel risk, Instant at) {
    CaseSignal event =
        CaseSignal.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setSender(PARTY)
            .setCaseReference(signal.reference())
            .setOccurredAt(at)
            .setPurpose(PURPOSE)
            .setSubject(subject(signal))
            .setConcerns(List.copyOf(signal.kind().concerns()))
            .setRiskLevel(risk)
            .setNarrative(summary)
            .setCompany(company(signal))
            .setContact(contact())
            .build();
    send(signal.reference(), event);
  }

  /** What the table decided: escalated to a RIEC case, or withdrawn. */
  void status(Signal signal, CaseStatus status, String riecCase, Instant at) {
    CaseStatusChange event =
        CaseStatusChange.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setSender(PARTY)
            .setCaseReference(signal.reference())
            .setOccurredAt(at)
            .setPurpose(PURPOSE)
            .setSubject(subject(signal))
            .setStatus(status)
            .setEscalatedTo(riecCase)
            .setContact(contact())
            .build();
    send(signal.reference(), event);
  }

  private void send(String key, SpecificRecord event) {
    try {
      kafka
          .send(new ProducerRecord<>(TOPIC, key, SingleObjectEncoding.bytes(event)))
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing signal " + key, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(TOPIC + " did not take signal " + key, e);
    }
  }

  /** The premises, not a person: the form asks no one's name. */
  private static Subject subject(Signal signal) {
    return Subject.newBuilder().setAddress(address(signal)).build();
  }

  private static Address address(Signal signal) {
    return Address.newBuilder()
        .setStreet(signal.street())
        .setHouseNumber(signal.houseNumber())
        .setPostcode(signal.postcode())
        .setCity(signal.city() != null ? signal.city() : signal.area())
        .build();
  }

  private static Company company(Signal signal) {
    if (signal.companyName() == null && signal.kvkNumber() == null) {
      return null;
    }
    return Company.newBuilder()
        .setKvkNumber(signal.kvkNumber() == null ? "onbekend" : signal.kvkNumber())
        .setName(signal.companyName() == null ? "onbekend" : signal.companyName())
        .build();
  }

  private Contact contact() {
    return Contact.newBuilder()
        .setName(settings.contactName())
        .setOrganisation(settings.contactOrganisation())
        .setEmail(settings.contactEmail())
        .build();
  }
}
