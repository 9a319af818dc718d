package nl.covenanthub.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import nl.covenanthub.events.Address;
import nl.covenanthub.events.CaseSignal;
import nl.covenanthub.events.CaseStatus;
import nl.covenanthub.events.CaseStatusChange;
import nl.covenanthub.events.Concern;
import nl.covenanthub.events.Contact;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.ErasureScope;
import nl.covenanthub.events.RiskLevel;
import nl.covenanthub.events.SingleObjectEncoding;
import nl.covenanthub.events.Subject;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady stream of realistic events from the partners, each logged in as itself: the police's
 * signals of confused behaviour and cannabis farms, Veilig Thuis's reports, and now and then the
 * withdrawal of a case published before (its sender found it was a mistake) or a request to erase
 * one (its subject objected), which every recipient of the case must be told of. The recipients
 * read their inboxes, each as itself, and acknowledge about half of the notices they get. An event
 * counts as published once the broker acknowledged it; those are what the verdict holds the hub to.
 */
final class Traffic implements AutoCloseable {
  /** A published record: where it is, and its event id (null for hostile input). */
  record Published(String topic, int partition, long offset, String eventId) {}

  private static final List<Scenario> SCENARIOS =
      List.of(
          new Scenario("politie", "zorg-en-veiligheid", Concern.VERWARD_GEDRAG),
          new Scenario("politie", "aanpak-ondermijning", Concern.HENNEPTEELT),
          new Scenario("veilig-thuis", "huiselijk-geweld", Concern.HUISELIJK_GEWELD),
          new Scenario("lzn", "huiselijk-geweld", Concern.HUISELIJK_GEWELD));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BSNS = List.of("999990019", "999991772", "999993653");

  /** One event in this many withdraws, or asks erasure of, a case published before. */
  private static final int END_ONE_IN = 10;

  /**
   * Of those, one in this many is an erasure request (scope CASE), the others withdrawals. Each
   * case is ended once, so that what its recipients must be told does not depend on what they
   * acknowledged before.
   */
  private static final int ERASE_ONE_IN = 3;

  /** A recipient acknowledges one notice in this many; the others stay open. */
  private static final int ACKNOWLEDGE_ONE_IN = 2;

  private record Scenario(String sender, String purpose, Concern concern) {}

  /**
   * A withdrawal or an erasure request the broker took, and the signal of the case it is about:
   * each recipient of the signal must be told by one notice from the request's record.
   */
  record NoticeRequest(Published request, Published signal) {}

  private final Map<String, KafkaProducer<String, byte[]>> producers = new ConcurrentHashMap<>();
  private final Map<String, Published> published = new ConcurrentHashMap<>();

  /** Signals not ended yet, oldest first. */
  private final Deque<Sent> endable = new ConcurrentLinkedDeque<>();

  private final List<NoticeRequest> withdrawals = new CopyOnWriteArrayList<>();
  private final List<NoticeRequest> erasures = new CopyOnWriteArrayList<>();
  private final List<Published> acknowledgements = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Map<String, Object>> logins;
  private final HttpPartner overHttp;
  private final Random random;
  private final Random recipientsRandom;
  private final double perSecond;
  private final Thread thread;
  private final Thread recipients;

  /**
   * @param overHttp the partner whose signals go to the hubs' HTTP API instead of its outbox
   */
  Traffic(
      Map<String, Map<String, Object>> logins, HttpPartner overHttp, double perSecond, long seed) {
    this.logins = Map.copyOf(logins);
    this.overHttp = overHttp;
    this.random = new Random(seed);
    this.recipientsRandom = new Random(random.nextLong());
    this.perSecond = perSecond;
    logins.forEach((partner, login) -> producers.put(partner, producer(login)));
    this.thread = new Thread(this::run, "chaos-traffic");
    this.recipients = new Thread(this::acknowledge, "chaos-recipients");
  }

  static KafkaProducer<String, byte[]> producer(Map<String, Object> login) {
    Map<String, Object> config = new java.util.HashMap<>(login);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Through a broker restart: a send is retried for up to 5 minutes before it fails.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  void start() {
    thread.start();
    recipients.start();
  }

  /** Stops sending and waits until every send has been answered. */
  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(Duration.ofMinutes(6).toMillis());
      recipients.join(Duration.ofMinutes(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producers.values().forEach(KafkaProducer::flush);
    producers.values().forEach(KafkaProducer::close);
  }

  /** The valid events the broker acknowledged, by event id. */
  Map<String, Published> published() {
    return Map.copyOf(published);
  }

  /** The withdrawals the broker acknowledged. */
  List<NoticeRequest> withdrawals() {
    return List.copyOf(withdrawals);
  }

  /** The erasure requests the broker acknowledged. */
  List<NoticeRequest> erasures() {
    return List.copyOf(erasures);
  }

  /** The acknowledgements of notices the broker took. */
  List<Published> acknowledgements() {
    return List.copyOf(acknowledgements);
  }

  /** A signal the broker took, with what its withdrawal needs. */
  private record Sent(CaseSignal signal, Published at) {}

  private void run() {
    long intervalNanos = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    while (running.get()) {
      Sent earlier = random.nextInt(END_ONE_IN) == 0 ? caseToEnd() : null;
      if (earlier != null && random.nextInt(ERASE_ONE_IN) == 0) {
        ErasureRequest erasure = erasure(earlier.signal());
        send(
            erasure.getSender(),
            erasure.getCaseReference(),
            erasure.getEventId(),
            SingleObjectEncoding.bytes(erasure),
            at -> erasures.add(new NoticeRequest(at, earlier.at())));
      } else if (earlier != null) {
        CaseStatusChange withdrawal = withdrawal(earlier.signal());
        send(
            withdrawal.getSender(),
            withdrawal.getCaseReference(),
            withdrawal.getEventId(),
            SingleObjectEncoding.bytes(withdrawal),
            at -> withdrawals.add(new NoticeRequest(at, earlier.at())));
      } else {
        CaseSignal signal = signal(SCENARIOS.get(random.nextInt(SCENARIOS.size())));
        if (signal.getSender().equals(overHttp.partner())) {
          // Not ended later: its place on the outbox is the hub's to choose.
          overHttp.publish("CaseSignal", json(signal));
        } else {
          send(
              signal.getSender(),
              signal.getCaseReference(),
              signal.getEventId(),
              SingleObjectEncoding.bytes(signal),
              at -> endable.add(new Sent(signal, at)));
        }
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * The newest signal half the time, so that some cases end seconds after they were disclosed
   * (maybe by the other hub, while the one that ends them was down), the oldest otherwise.
   */
  private Sent caseToEnd() {
    return random.nextBoolean() ? endable.pollLast() : endable.pollFirst();
  }

  /**
   * Sends an event on its sender's outbox, keyed by its case (so a withdrawal follows its signal in
   * one partition); {@code then} gets where the broker put it.
   */
  private void send(
      String sender, String caseReference, String eventId, byte[] bytes, Consumer<Published> then) {
    String topic = "partner." + sender + ".outbox";
    producers
        .get(sender)
        .send(
            new ProducerRecord<>(topic, caseReference, bytes),
            (metadata, error) -> {
              if (error == null) {
                Published at =
                    new Published(topic, metadata.partition(), metadata.offset(), eventId);
                published.put(eventId, at);
                then.accept(at);
              }
            });
  }

  /**
   * The recipients: each reads its own inbox as itself and acknowledges some of the notices it gets
   * (of a withdrawal or an erasure request), quoting the notice's id (its {@code disclosure-id})
   * under a case reference of its own.
   */
  private void acknowledge() {
    Map<String, KafkaConsumer<String, byte[]>> inboxes = new HashMap<>();
    try {
      logins.forEach((partner, login) -> inboxes.put(partner, inboxReader(partner, login)));
      while (running.get()) {
        inboxes.forEach(
            (partner, inbox) -> {
              for (ConsumerRecord<String, byte[]> record : poll(inbox)) {
                if (Verdict.WITHDRAWAL_NOTICE.equals(header(record, "event-type"))
                    && recipientsRandom.nextInt(ACKNOWLEDGE_ONE_IN) == 0) {
                  WithdrawalAcknowledgement ack =
                      WithdrawalAcknowledgement.newBuilder()
                          .setEventId(UUID.randomUUID().toString())
                          .setSender(partner)
                          .setCaseReference("CHAOS-" + partner + "-" + UUID.randomUUID())
                          .setPurpose(String.valueOf(header(record, "purpose")))
                          .setOccurredAt(Instant.now())
                          .setNoticeId(header(record, "disclosure-id"))
                          .build();
                  send(
                      partner,
                      ack.getCaseReference(),
                      ack.getEventId(),
                      SingleObjectEncoding.bytes(ack),
                      acknowledgements::add);
                }
              }
            });
      }
    } finally {
      inboxes.values().forEach(KafkaConsumer::close);
    }
  }

  private static KafkaConsumer<String, byte[]> inboxReader(
      String partner, Map<String, Object> login) {
    Map<String, Object> config = new HashMap<>(login);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, partner + ".chaos");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of("partner." + partner + ".inbox"));
    return consumer;
  }

  /** What came; nothing while the broker is away (it is restarted on purpose). */
  private static Iterable<ConsumerRecord<String, byte[]>> poll(
      KafkaConsumer<String, byte[]> inbox) {
    try {
      return inbox.poll(Duration.ofMillis(100));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static CaseStatusChange withdrawal(CaseSignal signal) {
    return CaseStatusChange.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(signal.getSender())
        .setCaseReference(signal.getCaseReference())
        .setOccurredAt(Instant.now())
        .setPurpose(signal.getPurpose())
        .setSubject(signal.getSubject())
        .setStatus(CaseStatus.WITHDRAWN)
        .setReason("Melding ten onrechte gedaan.")
        .setContact(signal.getContact())
        .build();
  }

  /** The signal as a partner posts it: plain JSON, as in docs/examples/. */
  private static ObjectNode json(CaseSignal signal) {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventId", signal.getEventId());
    event.put("caseReference", signal.getCaseReference());
    event.put("occurredAt", signal.getOccurredAt().toString());
    event.put("purpose", signal.getPurpose());
    Subject subject = signal.getSubject();
    ObjectNode person = event.putObject("subject");
    person.put("bsn", subject.getBsn());
    person.put("name", subject.getName());
    person.put("birthDate", subject.getBirthDate().toString());
    Address address = subject.getAddress();
    person
        .putObject("address")
        .put("street", address.getStreet())
        .put("houseNumber", address.getHouseNumber())
        .put("postcode", address.getPostcode())
        .put("city", address.getCity());
    signal.getConcerns().forEach(c -> event.withArray("concerns").add(c.name()));
    event.put("riskLevel", signal.getRiskLevel().name());
    event.put("narrative", signal.getNarrative());
    event
        .putObject("contact")
        .put("name", signal.getContact().getName())
        .put("organisation", signal.getContact().getOrganisation());
    return event;
  }

  private static ErasureRequest erasure(CaseSignal signal) {
    return ErasureRequest.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(signal.getSender())
        .setCaseReference(signal.getCaseReference())
        .setPurpose(signal.getPurpose())
        .setOccurredAt(Instant.now())
        .setScope(ErasureScope.CASE)
        .build();
  }

  private CaseSignal signal(Scenario scenario) {
    return CaseSignal.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setSender(scenario.sender())
        .setCaseReference("CHAOS-" + UUID.randomUUID())
        .setOccurredAt(Instant.now())
        .setPurpose(scenario.purpose())
        .setSubject(
            Subject.newBuilder()
                .setBsn(BSNS.get(random.nextInt(BSNS.size())))
                .setName("J. de Vries")
                .setBirthDate(LocalDate.of(1971, 4, 12))
                .setAddress(
                    Address.newBuilder()
                        .setStreet("Dorpsstraat")
                        .setHouseNumber("14")
                        .setPostcode("6658 AB")
                        .setCity("Beneden-Leeuwen")
                        .build())
                .build())
        .setConcerns(List.of(scenario.concern()))
        .setRiskLevel(random.nextBoolean() ? RiskLevel.HOOG : RiskLevel.MIDDEN)
        .setNarrative("Buren melden geschreeuw.")
        .setContact(Contact.newBuilder().setName("R. Jansen").setOrganisation("Politie").build())
        .build();
  }
}
