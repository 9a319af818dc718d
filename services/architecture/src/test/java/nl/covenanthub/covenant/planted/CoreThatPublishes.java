package nl.covenanthub.covenant.planted;

/** A planted violation (test only): the core reaching for Kafka and for the hub. */
public class CoreThatPublishes {
  Object producer = org.apache.kafka.clients.producer.ProducerRecord.class;
  Object hub = new nl.covenanthub.hub.planted.RouteThatDecides();
}
