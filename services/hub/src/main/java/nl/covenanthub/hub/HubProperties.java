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
 * @param outboxThreads consumer threads per partner outbox on this instance, each with its own
 *     Kafka transactions: one per partition is the most that helps (a thread given no partition
 *     waits); while one thread waits for its commit, another decides
 * @param maxAttempts how often an outbox record is tried before it is dead-lettered as
 *     PROCESSING_FAILED (its batch is rolled back and redelivered in between)
 * @param instanceId this instance's stable name (e.g. its pod name): with it, its consumers are
 *     static members of the group ({@code group.instance.id}), so a restart is not a rebalance
 * @param deadLetterRetention how long hub.deadletter keeps what it holds
 * @param auditRetention how long hub.audit keeps its records; none (the default): for ever. Set it
 *     longer than the console's retention, or the console can no longer be rebuilt from it
 * @param headSigningKey the hub's Ed25519 private key (base64 PKCS#8) that signs the audit chain
 *     heads it publishes; empty: a public LOCAL DEMO key, never for real data
 * @param headPublicKey its public key (base64 X.509), which verifiers (the console) get
 * @param duplicateWindow how many of an outbox partition's last records an event id is looked up
 *     in, to refuse a partner's retry as DUPLICATE; 0 turns that off
 * @param http the partners' HTTP API
 * @param webhooks the partners that receive their inbox by webhook
 */
@ConfigurationProperties("hub")
public record HubProperties(
    @DefaultValue("covenants") String covenants,
    @DefaultValue("256KB") DataSize maxEventSize,
    @DefaultValue("subject-key") String subjectKey,
    @DefaultValue("3") int topicPartitions,
    @DefaultValue("3") int outboxThreads,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("") String instanceId,
    @DefaultValue("14d") java.time.Duration deadLetterRetention,
    java.time.Duration auditRetention,
    @DefaultValue("10000") int duplicateWindow,
    @DefaultValue("") String headSigningKey,
    @DefaultValue("") String headPublicKey,
    @DefaultValue Topics topics,
    @DefaultValue Http http,
    @DefaultValue Webhooks webhooks) {

  public HubProperties {
    if (deadLetterRetention.isNegative() || deadLetterRetention.isZero()) {
      throw new IllegalArgumentException("hub.dead-letter-retention must be positive");
    }
    if (auditRetention != null && (auditRetention.isNegative() || auditRetention.isZero())) {
      throw new IllegalArgumentException(
          "hub.audit-retention must be positive; leave it out to keep hub.audit for ever");
    }
  }

  /**
   * Delivery of partners' inboxes as signed HTTPS POSTs (Standard Webhooks).
   *
   * @param endpoints per partner id: where to POST and with which secrets
   * @param schedule the wait before each attempt: its length is the retry budget (default Svix's:
   *     at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)
   * @param timeout how long one attempt may take
   * @param allowLocal the LOCAL profile only: plain http and loopback addresses are allowed
   * @param failuresToOpen the share (percent) of failed attempts of a partner's last ten that opens
   *     its circuit breaker
   * @param openFor how long an open circuit breaker sends nothing before it tries again
   */
  public record Webhooks(
      java.util.Map<String, Endpoint> endpoints,
      @DefaultValue("0s,5s,5m,30m,2h,5h,10h,10h") java.util.List<java.time.Duration> schedule,
      @DefaultValue("10s") java.time.Duration timeout,
      @DefaultValue("false") boolean allowLocal,
      @DefaultValue("50") int failuresToOpen,
      @DefaultValue("30s") java.time.Duration openFor) {
    public Webhooks {
      // None configured: no partner receives by webhook.
      endpoints = endpoints == null ? java.util.Map.of() : java.util.Map.copyOf(endpoints);
    }
  }

  /**
   * @param url where the partner receives
   * @param secrets its signing secrets ({@code whsec_...}); two while one is rotated: both sign
   */
  public record Endpoint(String url, java.util.List<String> secrets) {}

  /**
   * The partners' HTTP API.
   *
   * @param requestsPerPeriod how many requests one partner may make per {@code period} (429 beyond)
   * @param period the period the rate is counted over
   * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered: a retry within it
   *     gets the first answer
   * @param pullsAtOnce how many inbox pulls one partner may have running on an instance (429
   *     beyond): each holds a request thread and a Kafka consumer while it waits
   */
  public record Http(
      @DefaultValue("50") int requestsPerPeriod,
      @DefaultValue("1s") java.time.Duration period,
      @DefaultValue("24h") java.time.Duration idempotencyWindow,
      @DefaultValue("2") int pullsAtOnce) {}

  /** Topic names; partner topics are {@code partner.<id>.outbox} and {@code partner.<id>.inbox}. */
  public record Topics(
      @DefaultValue("hub.audit") String audit,
      @DefaultValue("hub.audit.chain") String auditChain,
      @DefaultValue("hub.deadletter") String deadLetter) {}
}
