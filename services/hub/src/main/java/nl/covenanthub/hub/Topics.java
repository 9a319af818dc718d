package nl.covenanthub.hub;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Partner topic names (the partner id is part of the name, which is what ACLs bind to), and how the
 * hub's compacted topics that delete keys are made.
 */
public final class Topics {
  /** Every partner outbox; the hub subscribes by pattern so a new partner needs no restart. */
  public static final String OUTBOX_PATTERN = "partner\\.[a-z0-9-]+\\.outbox";

  private static final Pattern OUTBOX = Pattern.compile("partner\\.([a-z0-9-]+)\\.outbox");

  /** Asked once per record, of a handful of topic names. */
  private static final Map<String, Optional<String>> OWNERS = new ConcurrentHashMap<>();

  /** Kafka's lag and segment time of {@link #compactedForgettingSoon}: a day. */
  private static final String A_DAY_MS = "86400000";

  private Topics() {}

  /**
   * One partition, compacted, for facts that are deleted (a tombstone) when the hub is done with
   * them: what is deleted leaves the broker's disk within about a day, whatever share of the log is
   * dirty (segments roll daily, {@code max.compaction.lag.ms} a day); the tombstone follows a day
   * later ({@code delete.retention.ms}).
   */
  public static TopicBuilder compactedForgettingSoon(String name) {
    return TopicBuilder.name(name)
        .partitions(1)
        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
        .config(TopicConfig.SEGMENT_MS_CONFIG, A_DAY_MS)
        .config(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, A_DAY_MS);
  }

  public static String outbox(String partner) {
    return "partner." + partner + ".outbox";
  }

  public static String inbox(String partner) {
    return "partner." + partner + ".inbox";
  }

  /**
   * The partner that owns an outbox topic: only it may write there, so it is the authenticated
   * sender.
   */
  public static Optional<String> outboxOwner(String topic) {
    return OWNERS.computeIfAbsent(
        topic,
        t -> {
          Matcher m = OUTBOX.matcher(t);
          return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        });
  }
}
