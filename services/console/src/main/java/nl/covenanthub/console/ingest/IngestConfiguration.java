package nl.covenanthub.console.ingest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How the ingest meets a failure (the database is down, say): it retries the batch, never skips it.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

  /**
   * Pauses between attempts to store a failed batch (AuditIngest), growing from 0.2 s to 30 s,
   * without end: skipping it would lose audit records from the index. Unreadable records do not
   * fail a batch; they are recorded in ingest_problem.
   */
  @Bean
  BackOff ingestRetries() {
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(30_000);
    return backOff;
  }

  /** The listener's own failures (none expected: decoding records its problems) are retried too. */
  @Bean
  CommonErrorHandler ingestErrorHandler(BackOff ingestRetries) {
    return new DefaultErrorHandler(ingestRetries);
  }
}
