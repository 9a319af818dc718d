package nl.covenanthub.console.planted;

/** A planted violation (test only): the console writing to Kafka. */
public class ConsoleThatWrites {
  Object producer = org.apache.kafka.clients.producer.KafkaProducer.class;
}
