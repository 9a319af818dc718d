package nl.covenanthub.hub.writerschemas;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Partners' writer schemas ({@code hub.writer-schemas.*}).
 *
 * @param maxPerPartner how many writer schemas one partner may register: every hub instance keeps
 *     them all in memory, so a partner cannot grow that without bound
 * @param maxSize the largest schema text a partner may post
 * @param readTimeout how long reading {@code hub.writer-schemas} to its end may take before the hub
 *     gives up (an event then waits for its batch to be retried; a request is answered 503)
 */
@ConfigurationProperties("hub.writer-schemas")
public record WriterSchemaProperties(
    @DefaultValue("100") int maxPerPartner,
    @DefaultValue("64KB") DataSize maxSize,
    @DefaultValue("10s") Duration readTimeout) {}
