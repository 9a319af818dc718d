package nl.covenanthub.console;

import java.util.function.Function;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * A groupless consumer ({@link GrouplessConsumers}) kept between uses, because a new one costs a
 * connection and metadata each time. One user at a time (a consumer is not thread-safe); after a
 * failure it is closed, and the next use makes a new one.
 */
public final class KeptConsumer implements AutoCloseable {
  private final KafkaProperties kafka;
  private KafkaConsumer<String, byte[]> consumer;

  public KeptConsumer(KafkaProperties kafka) {
    this.kafka = kafka;
  }

  public synchronized <T> T use(Function<KafkaConsumer<String, byte[]>, T> work) {
    if (consumer == null) {
      consumer = GrouplessConsumers.of(kafka);
    }
    try {
      return work.apply(consumer);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    if (consumer != null) {
      consumer.close();
      consumer = null;
    }
  }
}
