package nl.covenanthub.hub.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;

/**
 * ACL bindings as {@code infra/kafka/acls.yaml}: one line per binding, grouped by principal,
 * aligned to be read as a table. Every binding is ALLOW from any host; the broker denies the rest.
 * The launchers read the file back (devkit's {@code KafkaBroker}) and apply it on the admin
 * listener.
 */
public final class AclYaml {
  private AclYaml() {}

  public static String render(List<AclBinding> acls, List<KafkaAcls.Quota> quotas) {
    StringBuilder out =
        new StringBuilder()
            .append(
                "# Kafka ACLs and quotas of Covenant Hub: GENERATED from the parties of the covenants in covenants/; do not edit.\n")
            .append(
                "# Regenerate with bin/kafka-acls after a covenant gains or loses a party: a test fails while this file\n")
            .append(
                "# differs from what the covenants give. Each entry ALLOWs one operation from any host; the broker\n")
            .append(
                "# denies everything else (allow.everyone.if.no.acl.found=false). See docs/security.md, \"Kafka\".\n")
            .append("acls:\n");
    Map<String, List<AclBinding>> byPrincipal = new LinkedHashMap<>();
    for (AclBinding acl : acls) {
      if (acl.entry().permissionType() != AclPermissionType.ALLOW
          || !"*".equals(acl.entry().host())) {
        throw new IllegalArgumentException("only ALLOW from any host is written: " + acl);
      }
      byPrincipal.computeIfAbsent(acl.entry().principal(), p -> new ArrayList<>()).add(acl);
    }
    int principalWidth = width(acls, a -> quoted(a.entry().principal()));
    int operationWidth = width(acls, a -> a.entry().operation().name());
    int resourceWidth = width(acls, a -> a.pattern().resourceType().name());
    int patternWidth = width(acls, a -> a.pattern().patternType().name());
    byPrincipal.forEach(
        (principal, bindings) -> {
          out.append("  # ")
              .append(principal)
              .append(", ")
              .append(describe(principal))
              .append('\n');
          for (AclBinding acl : bindings) {
            out.append("  - {principal: ")
                .append(pad(quoted(principal) + ",", principalWidth + 1))
                .append(" operation: ")
                .append(pad(acl.entry().operation().name() + ",", operationWidth + 1))
                .append(" resource: ")
                .append(pad(acl.pattern().resourceType().name() + ",", resourceWidth + 1))
                .append(" pattern: ")
                .append(pad(acl.pattern().patternType().name() + ",", patternWidth + 1))
                .append(" name: ")
                .append(quoted(acl.pattern().name()))
                .append("}\n");
          }
        });
    out.append(
            "# Client quotas per partner (the broker throttles beyond them): bytes per second produced\n")
        .append("# and consumed, and the share of the broker's request time.\n")
        .append("quotas:\n");
    for (KafkaAcls.Quota quota : quotas) {
      out.append("  - {user: ")
          .append(quoted(quota.user()))
          .append(", producer_byte_rate: ")
          .append(quota.producerByteRate())
          .append(", consumer_byte_rate: ")
          .append(quota.consumerByteRate())
          .append(", request_percentage: ")
          .append(quota.requestPercentage())
          .append("}\n");
    }
    return out.toString();
  }

  static String describe(String principal) {
    if (principal.equals(KafkaAcls.principal(KafkaAcls.HUB))) {
      return "the hub: reads every outbox (and writes what partners publish over HTTP), writes every inbox"
          + " (and reads it for partners that pull over HTTP), the audit and the dead letters, transactionally";
    }
    if (principal.equals(KafkaAcls.principal(KafkaAcls.CONSOLE))) {
      return "the console: reads the audit and the chain heads, publishes approved covenant versions,"
          + " reads the outboxes for the impact preview, writes the case table's signals to lzn's outbox";
    }
    if (principal.equals(KafkaAcls.principal(KafkaAcls.OPERATOR))) {
      return "operators: read the dead letters";
    }
    String id = principal.substring("User:".length());
    return "a partner: writes only its own outbox, reads only its own inbox, consumer groups '"
        + id
        + ".*'";
  }

  private static int width(List<AclBinding> acls, Function<AclBinding, String> column) {
    return acls.stream().map(column).mapToInt(String::length).max().orElse(0);
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
