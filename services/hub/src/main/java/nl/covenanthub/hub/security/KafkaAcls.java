package nl.covenanthub.hub.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import nl.covenanthub.events.InboxViews;
import nl.covenanthub.hub.Topics;
import nl.covenanthub.hub.lifecycle.DisclosureIndex;
import nl.covenanthub.hub.lifecycle.HubTopicContainers;
import nl.covenanthub.hub.lifecycle.RetentionEnds;
import nl.covenanthub.hub.matching.Matchmaker;
import nl.covenanthub.hub.writerschemas.WriterSchemaTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs that follow from the covenants' parties: a pure function from partner ids to
 * bindings, with the broker denying everything else ({@code allow.everyone.if.no.acl.found=false}).
 *
 * <p>A partner authenticates as {@code User:<id>} (its Keycloak client id, the token's {@code
 * azp}). It may write only its own outbox, read only its own inbox, and use consumer groups named
 * {@code <id>.*}. Because only {@code User:<id>} can write {@code partner.<id>.outbox}, the hub
 * takes the sender from the topic: the topic is the authenticated principal.
 *
 * <p>The hub ({@code User:covenant-hub}) reads every outbox (and writes there the events a partner
 * publishes over HTTP, authenticated by its own token), writes every inbox (and reads it for a
 * partner that pulls it over HTTP, acknowledging in the group {@code <id>.http-pull}), the audit,
 * the audit chain heads (which it also reads back) and the dead letters, consumes as group {@code
 * covenant-hub}, writes transactionally under the transactional-id prefix {@code covenant-hub-},
 * reads and writes the partners' writer schemas ({@code hub.writer-schemas}, which partners
 * register over HTTP, never on Kafka), and may create exactly these topics (its {@code KafkaAdmin}
 * creates them at start; where operators create the topics, drop the CREATE entries and set {@code
 * spring.kafka.admin.auto-create=false}). It gets no prefixed DESCRIBE on {@code partner.}: its
 * pattern subscription sees exactly the outboxes it may read, so an outbox created without its ACLs
 * is not assigned to the hub (where it would fail every poll) but simply not seen.
 *
 * <p>The console ({@code User:covenant-console}) reads the audit and the published chain heads with
 * groups named {@code covenant-console*}, publishes approved covenant versions to {@code
 * hub.covenants} and reads (without a group) the outboxes, whose latest events the impact preview
 * of a proposed version replays, decoded with the partners' writer schemas ({@code
 * hub.writer-schemas}). It also writes the outbox of the municipality's information hub ({@value
 * #CASE_TABLE_PARTY}) and no other: the case table's agenda items and their outcomes, which the
 * integral-safety officer puts there in the console (docs/niet-pluis.md); the hub decides about
 * them as about any event of that party. Operators ({@code User:covenant-operator}) read the dead
 * letters, with groups named {@code covenant-operator*}; nobody else may.
 *
 * <p>Every partner also gets quotas ({@link #quotas}): one partner's burst is throttled by the
 * broker before it can crowd out the others or grow the audit without bound.
 */
public final class KafkaAcls {
  /** The hub's Keycloak client id, hence its principal. */
  public static final String HUB = "covenant-hub";

  /** The console's Keycloak client id, hence its principal. */
  public static final String CONSOLE = "covenant-console";

  /**
   * The party whose outbox the console writes: the municipality's local information hub, which
   * brings the case table's 'niet-pluis' signals to the partners (docs/niet-pluis.md).
   */
  public static final String CASE_TABLE_PARTY = "lzn";

  /**
   * The operators' Keycloak client id for Kafka (reading the dead letters), hence its principal.
   */
  public static final String OPERATOR = "covenant-operator";

  /**
   * A partner's quotas: bytes per second it may produce and consume, and its share of request time.
   */
  public static final long PARTNER_PRODUCER_BYTE_RATE = 1024 * 1024;

  public static final long PARTNER_CONSUMER_BYTE_RATE = 4 * 1024 * 1024;
  public static final double PARTNER_REQUEST_PERCENTAGE = 50;

  /** The broker's own super user on the internal listeners; never a Keycloak client. */
  public static final String ADMIN = "admin";

  /** The hub's consumer group ({@code spring.kafka.consumer.group-id}). */
  public static final String HUB_GROUP = "covenant-hub";

  /**
   * Start of every transactional id of the hub ({@code
   * spring.kafka.producer.transaction-id-prefix}).
   */
  public static final String HUB_TRANSACTIONAL_ID_PREFIX = "covenant-hub-";

  public static final String AUDIT = "hub.audit";
  public static final String AUDIT_CHAIN = "hub.audit.chain";
  public static final String DEAD_LETTER = "hub.deadletter";
  public static final String COVENANTS = "hub.covenants";
  public static final String IDEMPOTENCY = "hub.idempotency";

  public static final String WEBHOOK_DELIVERIES = "hub.webhook-deliveries";

  /** The consumer groups of webhook delivery, one per partner, start with this. */
  public static final String WEBHOOK_GROUP_PREFIX = "covenant-hub-webhook-";

  /** A partner's parked webhook deliveries. */
  public static String webhookParked(String partner) {
    return "partner." + partner + ".webhook-parked";
  }

  /** The group, after the partner id, whose offsets are what a partner pulling over HTTP acked. */
  public static final String HTTP_PULL_GROUP_SUFFIX = ".http-pull";

  /**
   * As in {@link Topics#OUTBOX_PATTERN}; no dots, so that group prefix {@code <id>.} is one
   * partner's only.
   */
  private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9-]+");

  private static final Set<String> RESERVED = Set.of(HUB, CONSOLE, OPERATOR, ADMIN, "ANONYMOUS");

  private KafkaAcls() {}

  /**
   * Every binding for these partners, the hub and the console, in a stable order: partners by id,
   * then the hub, then the console.
   *
   * @throws IllegalArgumentException if a partner id is not a valid topic part or is a service's
   *     principal
   */
  public static List<AclBinding> forPartners(Collection<String> partners) {
    Set<String> sorted = new TreeSet<>(partners);
    for (String partner : sorted) {
      if (!PARTNER_ID.matcher(partner).matches()) {
        throw new IllegalArgumentException(
            "partner id '" + partner + "' is not of lower-case letters, digits and '-'");
      }
      if (RESERVED.contains(partner)) {
        throw new IllegalArgumentException(
            "partner id '" + partner + "' is the principal of a service, not of a partner");
      }
    }
    List<AclBinding> acls = new ArrayList<>();
    for (String partner : sorted) {
      acls.addAll(partner(partner));
    }
    acls.addAll(hub(sorted));
    acls.addAll(console(sorted));
    acls.addAll(operator());
    return List.copyOf(acls);
  }

  /** A client quota of one principal ({@code user} is its name: the client id). */
  public record Quota(
      String user, long producerByteRate, long consumerByteRate, double requestPercentage) {}

  /** The quotas of these partners, by id; the hub, the console and operators are not throttled. */
  public static List<Quota> quotas(Collection<String> partners) {
    return new TreeSet<>(partners)
        .stream()
            .map(
                p ->
                    new Quota(
                        p,
                        PARTNER_PRODUCER_BYTE_RATE,
                        PARTNER_CONSUMER_BYTE_RATE,
                        PARTNER_REQUEST_PERCENTAGE))
            .toList();
  }

  /**
   * A partner: its own outbox (write), its own inbox (read), the view schemas (read), its own
   * consumer groups.
   */
  static List<AclBinding> partner(String id) {
    String user = principal(id);
    return List.of(
        allow(user, AclOperation.WRITE, topic(Topics.outbox(id))),
        allow(user, AclOperation.DESCRIBE, topic(Topics.outbox(id))),
        allow(user, AclOperation.READ, topic(Topics.inbox(id))),
        allow(user, AclOperation.DESCRIBE, topic(Topics.inbox(id))),
        allow(user, AclOperation.READ, topic(InboxViews.SCHEMAS_TOPIC)),
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(ResourceType.GROUP, id + ".", PatternType.PREFIXED)));
  }

  static List<AclBinding> hub(Collection<String> partners) {
    String user = principal(HUB);
    List<AclBinding> acls = new ArrayList<>();
    for (String partner : partners) {
      acls.add(allow(user, AclOperation.READ, topic(Topics.outbox(partner))));
      // On the partner's behalf, for an event it published over HTTP (its token says who it is).
      acls.add(allow(user, AclOperation.WRITE, topic(Topics.outbox(partner))));
      acls.add(allow(user, AclOperation.CREATE, topic(Topics.outbox(partner))));
      acls.add(allow(user, AclOperation.WRITE, topic(Topics.inbox(partner))));
      acls.add(allow(user, AclOperation.CREATE, topic(Topics.inbox(partner))));
      // For the partner that pulls its inbox over HTTP (its token says who it is), acknowledging in
      // the group <partner>.http-pull.
      acls.add(allow(user, AclOperation.READ, topic(Topics.inbox(partner))));
      acls.add(
          allow(
              user,
              AclOperation.READ,
              new ResourcePattern(
                  ResourceType.GROUP, partner + HTTP_PULL_GROUP_SUFFIX, PatternType.LITERAL)));
      // Webhook deliveries that failed for good, for an operator to replay (WebhookDelivery).
      acls.add(allow(user, AclOperation.READ, topic(webhookParked(partner))));
      acls.add(allow(user, AclOperation.WRITE, topic(webhookParked(partner))));
      acls.add(allow(user, AclOperation.CREATE, topic(webhookParked(partner))));
    }
    acls.add(allow(user, AclOperation.WRITE, topic(AUDIT)));
    // Read back only to find a chain's head when it is nowhere else (AuditLog).
    acls.add(allow(user, AclOperation.READ, topic(AUDIT)));
    acls.add(allow(user, AclOperation.CREATE, topic(AUDIT)));
    acls.addAll(readWriteCreate(user, AUDIT_CHAIN));
    acls.add(allow(user, AclOperation.WRITE, topic(DEAD_LETTER)));
    acls.add(allow(user, AclOperation.CREATE, topic(DEAD_LETTER)));
    acls.add(allow(user, AclOperation.WRITE, topic(InboxViews.SCHEMAS_TOPIC)));
    // Read back to turn inbox records into JSON for partners over HTTP (pull, webhooks).
    acls.add(allow(user, AclOperation.READ, topic(InboxViews.SCHEMAS_TOPIC)));
    acls.add(allow(user, AclOperation.CREATE, topic(InboxViews.SCHEMAS_TOPIC)));
    // The partners' HTTP idempotency keys, written with their events and followed
    // (IdempotencyKeys).
    acls.addAll(readWriteCreate(user, IDEMPOTENCY));
    // The disclosure index (DisclosureIndex): written with the decisions, followed by every
    // instance.
    acls.addAll(readWriteCreate(user, DisclosureIndex.TOPIC));
    // Match candidates (Matchmaker): written with the decisions, read back in order, in a group of
    // their own (HubTopicContainers).
    acls.addAll(readInOwnGroup(user, Matchmaker.TOPIC));
    // Retention triggers (RetentionEnds): swept, then read like an outbox, in a group of their own.
    acls.addAll(readInOwnGroup(user, RetentionEnds.TOPIC));
    // Webhook delivery states (WebhookDelivery): written and followed by every instance.
    acls.addAll(readWriteCreate(user, WEBHOOK_DELIVERIES));
    acls.add(
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(ResourceType.GROUP, WEBHOOK_GROUP_PREFIX, PatternType.PREFIXED)));
    // The covenant versions the console publishes, followed from the beginning (CovenantFeed).
    acls.add(allow(user, AclOperation.READ, topic(COVENANTS)));
    acls.add(allow(user, AclOperation.CREATE, topic(COVENANTS)));
    // Partners' writer schemas: registered through the hub's HTTP API, read back by every instance.
    acls.addAll(readWriteCreate(user, WriterSchemaTopic.TOPIC));
    acls.add(
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(ResourceType.GROUP, HUB_GROUP, PatternType.LITERAL)));
    ResourcePattern transactionalIds =
        new ResourcePattern(
            ResourceType.TRANSACTIONAL_ID, HUB_TRANSACTIONAL_ID_PREFIX, PatternType.PREFIXED);
    acls.add(allow(user, AclOperation.WRITE, transactionalIds));
    acls.add(allow(user, AclOperation.DESCRIBE, transactionalIds));
    acls.addAll(settingsOfCreated(user, acls, partners));
    return acls;
  }

  /**
   * Of every topic the hub may create, it may read the settings, and change them where it sets any
   * (all but the partners' outboxes): what it configures (retention above all) follows its
   * configuration also where the topic exists (spring.kafka.admin.modify-topic-configs).
   */
  private static List<AclBinding> settingsOfCreated(
      String user, List<AclBinding> acls, Collection<String> partners) {
    Set<String> outboxes = new TreeSet<>();
    partners.forEach(p -> outboxes.add(Topics.outbox(p)));
    List<AclBinding> settings = new ArrayList<>();
    for (AclBinding binding : acls) {
      if (binding.entry().operation() == AclOperation.CREATE
          && binding.pattern().resourceType() == ResourceType.TOPIC) {
        settings.add(allow(user, AclOperation.DESCRIBE_CONFIGS, binding.pattern()));
        if (!outboxes.contains(binding.pattern().name())) {
          settings.add(allow(user, AclOperation.ALTER_CONFIGS, binding.pattern()));
        }
      }
    }
    return settings;
  }

  static List<AclBinding> console(Collection<String> partners) {
    String user = principal(CONSOLE);
    List<AclBinding> acls = new ArrayList<>();
    acls.add(allow(user, AclOperation.READ, topic(AUDIT)));
    acls.add(
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(ResourceType.GROUP, CONSOLE, PatternType.PREFIXED)));
    acls.add(allow(user, AclOperation.READ, topic(AUDIT_CHAIN)));
    acls.add(allow(user, AclOperation.WRITE, topic(COVENANTS)));
    // Read back: the administration trail's heads published with the versions are its anchors.
    acls.add(allow(user, AclOperation.READ, topic(COVENANTS)));
    // The impact preview decodes the outboxes' events as the hub does, with the partners' writer
    // schemas.
    acls.add(allow(user, AclOperation.READ, topic(WriterSchemaTopic.TOPIC)));
    // The withdrawal notices and their acknowledgements, for the privacy officer's page.
    acls.add(allow(user, AclOperation.READ, topic(DisclosureIndex.TOPIC)));
    // The impact preview replays the latest events of each outbox (never an inbox), without a
    // consumer group: read in memory, never stored or shown unmasked (docs/covenant-admin.md).
    for (String partner : partners) {
      acls.add(allow(user, AclOperation.READ, topic(Topics.outbox(partner))));
      acls.add(allow(user, AclOperation.DESCRIBE, topic(Topics.outbox(partner))));
    }
    // The case table's signals and outcomes, as the municipality's information hub.
    if (partners.contains(CASE_TABLE_PARTY)) {
      acls.add(allow(user, AclOperation.WRITE, topic(Topics.outbox(CASE_TABLE_PARTY))));
    }
    return acls;
  }

  /** Operators: the dead letters, to look at what was refused (docs/hub.md, "Dead letters"). */
  static List<AclBinding> operator() {
    String user = principal(OPERATOR);
    return List.of(
        allow(user, AclOperation.READ, topic(DEAD_LETTER)),
        allow(user, AclOperation.DESCRIBE, topic(DEAD_LETTER)),
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(ResourceType.GROUP, OPERATOR, PatternType.PREFIXED)));
  }

  /** The principal a client id authenticates as ({@code sasl.oauthbearer.sub.claim.name=azp}). */
  public static String principal(String clientId) {
    return "User:" + clientId;
  }

  /** A hub topic the hub writes and reads back: read, write, create, in that order. */
  private static List<AclBinding> readWriteCreate(String user, String topic) {
    return List.of(
        allow(user, AclOperation.READ, topic(topic)),
        allow(user, AclOperation.WRITE, topic(topic)),
        allow(user, AclOperation.CREATE, topic(topic)));
  }

  /**
   * A hub topic read back like an outbox, in a consumer group of its own (HubTopicContainers): the
   * group, then read, write, create.
   */
  private static List<AclBinding> readInOwnGroup(String user, String topic) {
    List<AclBinding> acls = new ArrayList<>();
    acls.add(
        allow(
            user,
            AclOperation.READ,
            new ResourcePattern(
                ResourceType.GROUP, HubTopicContainers.groupOf(topic), PatternType.LITERAL)));
    acls.addAll(readWriteCreate(user, topic));
    return acls;
  }

  private static ResourcePattern topic(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
  }

  private static AclBinding allow(
      String principal, AclOperation operation, ResourcePattern resource) {
    return new AclBinding(
        resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }
}
