package nl.covenanthub.hub;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Partner topic names: the partner id is part of the name, which is what ACLs bind to. */
public final class Topics {
  /** Every partner outbox; the hub subscribes by pattern so a new partner needs no restart. */
  public static final String OUTBOX_PATTERN = "partner\\.[a-z0-9-]+\\.outbox";

  private static final Pattern OUTBOX = Pattern.compile("partner\\.([a-z0-9-]+)\\.outbox");

  /** Asked once per record, of a handful of topic names. */
  private static final Map<String, Optional<String>> OWNERS = new ConcurrentHashMap<>();

  private Topics() {}

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
