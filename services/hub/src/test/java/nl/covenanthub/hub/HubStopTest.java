package nl.covenanthub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A hub that stops leaves none of its Kafka clients behind: an admin client or consumer left open
 * goes on trying to reach its broker, with a thread of its own, for as long as the JVM lives.
 */
@EmbeddedKafka(
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class HubStopTest {

  @Test
  void aStoppedHubLeavesNoKafkaClientThreadBehind(EmbeddedKafkaBroker broker) {
    Set<Long> before = kafkaClientThreads();
    try (ConfigurableApplicationContext hub =
        new SpringApplicationBuilder(HubApplication.class)
            .run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--hub.covenants=../../covenants",
                "--server.port=0",
                // Webhook delivery too, with its own clients.
                "--hub.webhooks.allow-local=true",
                "--hub.webhooks.endpoints[veilig-thuis].url=http://127.0.0.1:9/webhook",
                "--hub.webhooks.endpoints[veilig-thuis].secrets="
                    + WebhookDeliveryTest.OLD_SECRET)) {
      assertThat(kafkaClientThreads()).as("the running hub's clients").isNotEmpty();
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(names(kafkaClientThreads(), before))
                    .as("Kafka client threads the stopped hub left")
                    .isEmpty());
  }

  /** The ids of the live threads of Kafka clients (admin, producer, consumer): not the broker's. */
  private static Set<Long> kafkaClientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(HubStopTest::isKafkaClient)
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  private static boolean isKafkaClient(Thread thread) {
    String name = thread.getName();
    return thread.isAlive()
        && (name.startsWith("kafka-admin-client-thread")
            || name.startsWith("kafka-producer-network-thread")
            || name.startsWith("kafka-coordinator-heartbeat-thread")
            || name.startsWith("consumer_background_thread"));
  }

  /** The names of the threads in {@code now} that were not in {@code before}. */
  private static Set<String> names(Set<Long> now, Set<Long> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> now.contains(t.getId()) && !before.contains(t.getId()))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }
}
