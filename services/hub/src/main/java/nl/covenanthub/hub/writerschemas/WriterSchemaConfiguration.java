package nl.covenanthub.hub.writerschemas;

import java.util.ArrayList;
import java.util.List;
import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.ErasureRequest;
import nl.covenanthub.events.MatchQuery;
import nl.covenanthub.events.WithdrawalAcknowledgement;
import nl.covenanthub.events.WriterSchemas;
import org.apache.avro.Schema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Partners' writer schemas: what the hub decodes their events with, read from {@code
 * hub.writer-schemas} before the first batch.
 */
@Configuration(proxyBeanMethods = false)
class WriterSchemaConfiguration {

  @Bean
  WriterSchemas writerSchemas(EventCatalog catalog) {
    // The covenants' event types, and what partners send the hub about what follows a disclosure.
    List<Schema> schemas = new ArrayList<>(catalog.avroSchemas());
    schemas.add(WithdrawalAcknowledgement.getClassSchema());
    schemas.add(ErasureRequest.getClassSchema());
    schemas.add(MatchQuery.getClassSchema());
    return new WriterSchemas(schemas);
  }

  @Bean
  WriterSchemaTopic writerSchemaTopic(
      WriterSchemas schemas,
      ConsumerFactory<Object, Object> consumers,
      KafkaTemplate<String, byte[]> kafka,
      KafkaAdmin admin,
      WriterSchemaProperties properties) {
    return new WriterSchemaTopic(schemas, consumers, kafka, admin, properties);
  }
}
