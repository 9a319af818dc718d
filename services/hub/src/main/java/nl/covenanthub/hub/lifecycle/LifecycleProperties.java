package nl.covenanthub.hub.lifecycle;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What follows a disclosure ({@code hub.lifecycle.*}).
 *
 * @param acknowledgeWithin how long a recipient has to acknowledge a withdrawal notice before it is
 *     overdue
 */
@ConfigurationProperties("hub.lifecycle")
public record LifecycleProperties(@DefaultValue("14d") Duration acknowledgeWithin) {}
