package nl.covenanthub.console;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Consumers that read what they are assigned and nothing else: no group, no commits, only what the
 * hub committed (read_committed), and never a topic created by asking for it.
 */
public final class GrouplessConsumers {
  private GrouplessConsumers() {}

  public static KafkaConsumer<String, byte[]> of(KafkaProperties kafka) {
    Properties props = new Properties();
    props.putAll(kafka.buildConsumerProperties());
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    // They read what is there and stop, often at the end of a partition, where a fetch would wait
    // fetch.max.wait.ms (0.5 s) for records that are not coming before the next seek is served:
    // the integrity check's anchoring took 4 s for 12 chains with the default.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
