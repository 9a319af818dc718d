package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading acls.yaml with a YAML parser: what it accepts, its defaults, and what it refuses. */
class AclFileTest {
  @TempDir Path dir;

  @Test
  void readsEachEntryWithItsDefaultsForHostAndPermission() throws Exception {
    Path file =
        write(
            """
            acls:
              # a comment, and a quoted name with a comma
              - {principal: "User:lzn", operation: WRITE, resource: TOPIC, pattern: LITERAL, name: "partner.lzn.outbox"}
              - principal: "User:x"
                operation: READ
                resource: GROUP
                pattern: PREFIXED
                name: "a,b"
                host: 10.0.0.1
                permission: DENY
            """);

    assertThat(AclFile.read(file))
        .containsExactly(
            new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "partner.lzn.outbox", PatternType.LITERAL),
                new AccessControlEntry(
                    "User:lzn", "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
            new AclBinding(
                new ResourcePattern(ResourceType.GROUP, "a,b", PatternType.PREFIXED),
                new AccessControlEntry(
                    "User:x", "10.0.0.1", AclOperation.READ, AclPermissionType.DENY)));
  }

  @Test
  void theRepositorysAclsAreReadable() {
    assertThat(AclFile.read(Repository.root().resolve("infra/kafka/acls.yaml")))
        .as("the generated ACLs")
        .isNotEmpty();
  }

  @Test
  void refusesWhatIsNotOneSpecificAcl() throws Exception {
    assertThatThrownBy(
            () -> AclFile.read(write("acls:\n  - {principal: \"User:x\", operation: READ}\n")))
        .hasMessageContaining("acls[0]: no resource");
    assertThatThrownBy(
            () ->
                AclFile.read(
                    write(
                        "acls:\n  - {principal: \"User:x\", operation: ANY, resource: TOPIC,"
                            + " pattern: LITERAL, name: t}\n")))
        .hasMessageContaining("acls[0]: not a specific ACL");
    assertThatThrownBy(
            () ->
                AclFile.read(
                    write(
                        "acls:\n  - {principal: \"User:x\", operation: READ, resource: TOPIC,"
                            + " pattern: MATCH, name: t}\n")))
        .hasMessageContaining("not a specific ACL");
    assertThatThrownBy(() -> AclFile.read(write("topics: []\n")))
        .hasMessageContaining("no list 'acls'");
    assertThatThrownBy(() -> AclFile.read(write("acls: [\n"))).hasMessageContaining("not YAML");
  }

  private Path write(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "acls", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
