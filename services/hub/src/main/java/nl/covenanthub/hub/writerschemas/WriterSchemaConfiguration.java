package nl.covenanthub.hub.writerschemas;

import nl.covenanthub.covenant.EventCatalog;
import nl.covenanthub.events.WriterSchemas;
import nl.covenanthub.hub.PartnerEventTypes;
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
    return new WriterSchemas(PartnerEventTypes.of(catalog));
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
