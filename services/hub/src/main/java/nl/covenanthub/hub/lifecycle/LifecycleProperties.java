package nl.covenanthub.hub.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What follows a disclosure ({@code hub.lifecycle.*}).
 *
 * @param acknowledgeWithin how long a recipient has to acknowledge a withdrawal notice before it is
 *     overdue
 * @param sweepEvery how often the hub looks for disclosures whose retention ended
 * @param inboxRetention how long an inbox topic keeps a record: the longest a partner may be away
 *     before it must have read it (transport, not storage); the hub sets it on every inbox topic
 *     and on the webhooks' parked topics, also on those that exist
 */
@ConfigurationProperties("hub.lifecycle")
public record LifecycleProperties(
    @DefaultValue("14d") Duration acknowledgeWithin,
    @DefaultValue("1h") Duration sweepEvery,
    @DefaultValue("7d") Duration inboxRetention) {}
