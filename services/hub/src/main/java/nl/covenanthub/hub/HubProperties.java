package nl.covenanthub.hub;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The hub's settings ({@code hub.*}).
 *
 * @param covenants directory of covenant YAML files to enforce (a plain path: relative to the
 *     working directory)
 * @param maxEventSize larger outbox records are dead-lettered unread
 * @param subjectKey reference of the pseudonymisation key for audit subjects and inbox keys
 * @param topicPartitions partitions of the partner topics and hub.audit when the hub creates them
 */
@ConfigurationProperties("hub")
public record HubProperties(
    @DefaultValue("covenants") String covenants,
    @DefaultValue("256KB") DataSize maxEventSize,
    @DefaultValue("subject-key") String subjectKey,
    @DefaultValue("3") int topicPartitions,
    @DefaultValue Topics topics) {

  /** Topic names; partner topics are {@code partner.<id>.outbox} and {@code partner.<id>.inbox}. */
  public record Topics(
      @DefaultValue("hub.audit") String audit,
      @DefaultValue("hub.audit.chain") String auditChain,
      @DefaultValue("hub.deadletter") String deadLetter) {}
}
