package nl.covenanthub.hub.disclosure;

import java.util.List;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.audit.AuditChain;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Reads every partner outbox in batches, each batch in one Kafka transaction started by the
 * listener container: the inbox records, the audit records, the chain heads and the consumed
 * offsets commit together or not at all. Each record goes through the Camel route {@link
 * OutboxRoute}.
 */
@Component
public class OutboxListener {
  public static final String ID = "outbox";

  private final ProducerTemplate camel;
  private final Endpoint route;
  private final AuditChain chain;
  private final ViewCodec views;

  public OutboxListener(ProducerTemplate camel, AuditChain chain, ViewCodec views) {
    this.camel = camel;
    this.route = camel.getCamelContext().getEndpoint(OutboxRoute.ENDPOINT);
    this.chain = chain;
    this.views = views;
  }

  // idIsGroup = false: the consumer group is spring.kafka.consumer.group-id (covenant-hub, which
  // the ACLs name), not the listener id.
  @KafkaListener(
      id = ID,
      idIsGroup = false,
      topicPattern = Topics.OUTBOX_PATTERN,
      batch = "true",
      autoStartup = "false")
  public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED) {
              chain.afterCommit();
              views.afterCommit();
            } else {
              chain.afterRollback();
              views.afterRollback();
            }
          }
        });
    for (ConsumerRecord<String, byte[]> record : records) {
      Exchange exchange = camel.send(route, e -> e.getIn().setBody(record));
      if (exchange.getException() != null) {
        throw new IllegalStateException(
            "outbox record "
                + record.topic()
                + "-"
                + record.partition()
                + "@"
                + record.offset()
                + " failed; the batch is rolled back and retried",
            exchange.getException());
      }
    }
    chain.writeHeads();
  }
}
