package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The ACLs of an {@code acls.yaml} (as the hub's {@code AclYaml} writes {@code
 * infra/kafka/acls.yaml}): a list under {@code acls}, each entry with {@code principal}, {@code
 * operation}, {@code resource}, {@code pattern} and {@code name}, and optionally {@code host}
 * (default {@code *}) and {@code permission} (default ALLOW).
 */
public final class AclFile {
  private static final List<String> REQUIRED =
      List.of("principal", "operation", "resource", "pattern", "name");

  private AclFile() {}

  /** A client quota of a user (a principal's name): quota keys as Kafka names them, and values. */
  public record ClientQuota(String user, Map<String, Double> values) {
    public ClientQuota {
      values = Map.copyOf(values);
    }
  }

  /** The file's quotas ({@code quotas}: user, producer_byte_rate, …); none if it has none. */
  public static List<ClientQuota> quotas(Path file) {
    Object entries = document(file).get("quotas");
    if (entries == null) {
      return List.of();
    }
    if (!(entries instanceof List<?> list)) {
      throw new IllegalArgumentException(file + ": 'quotas' is not a list");
    }
    List<ClientQuota> quotas = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file + ": quotas[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> entry)
          || !(entry.get("user") instanceof String user)) {
        throw new IllegalArgumentException(where + ": no user");
      }
      Map<String, Double> values = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : entry.entrySet()) {
        if (!"user".equals(e.getKey())) {
          if (!(e.getValue() instanceof Number number)) {
            throw new IllegalArgumentException(where + ": " + e.getKey() + " is not a number");
          }
          values.put(e.getKey().toString(), number.doubleValue());
        }
      }
      quotas.add(new ClientQuota(user, values));
    }
    return quotas;
  }

  /**
   * The file's ACLs, in order; an entry that is not one specific ACL is refused with its position.
   */
  public static List<AclBinding> read(Path file) {
    if (!(document(file).get("acls") instanceof List<?> entries)) {
      throw new IllegalArgumentException(file + ": no list 'acls'");
    }
    List<AclBinding> acls = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = file + ": acls[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException(where + ": not a mapping");
      }
      acls.add(binding(entry, where));
    }
    return acls;
  }

  private static Map<?, ?> document(Path file) {
    Object document;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ACLs " + file, e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(file + ": not YAML: " + e.getMessage(), e);
    }
    if (!(document instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException(file + ": no list 'acls'");
    }
    return top;
  }

  private static AclBinding binding(Map<?, ?> entry, String where) {
    for (String field : REQUIRED) {
      if (!(entry.get(field) instanceof String)) {
        throw new IllegalArgumentException(where + ": no " + field);
      }
    }
    AclOperation operation = AclOperation.fromString(text(entry, "operation", null));
    ResourceType resource = ResourceType.fromString(text(entry, "resource", null));
    PatternType pattern = PatternType.fromString(text(entry, "pattern", null));
    AclPermissionType permission = AclPermissionType.fromString(text(entry, "permission", "ALLOW"));
    if (operation.isUnknown()
        || operation == AclOperation.ANY
        || resource.isUnknown()
        || resource == ResourceType.ANY
        || !pattern.isSpecific()
        || permission.isUnknown()
        || permission == AclPermissionType.ANY) {
      throw new IllegalArgumentException(where + ": not a specific ACL: " + entry);
    }
    return new AclBinding(
        new ResourcePattern(resource, text(entry, "name", null), pattern),
        new AccessControlEntry(
            text(entry, "principal", null), text(entry, "host", "*"), operation, permission));
  }

  private static String text(Map<?, ?> entry, String field, String otherwise) {
    Object value = entry.get(field);
    return value == null ? otherwise : value.toString();
  }
}
