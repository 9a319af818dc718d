package nl.covenanthub.hub.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nl.covenanthub.covenant.CovenantException;
import nl.covenanthub.covenant.CovenantLoader;
import nl.covenanthub.covenant.LoadedCovenant;
import nl.covenanthub.covenant.Party;

/**
 * Writes the Kafka ACLs of the covenants' parties to a file, and the same as Strimzi KafkaUsers to
 * the Helm chart: {@code bin/kafka-acls}, or {@code AclsCommand [--covenants DIR] [--out FILE]
 * [--strimzi FILE] [--check]}. With {@code --check} it writes nothing and exits 1 when either file
 * is not what the covenants give.
 */
public final class AclsCommand {
  private AclsCommand() {}

  public static void main(String[] args) throws IOException {
    Path covenants = Path.of("covenants");
    Path out = Path.of("infra/kafka/acls.yaml");
    Path strimzi = Path.of(STRIMZI_USERS);
    boolean check = false;
    for (Iterator<String> it = List.of(args).iterator(); it.hasNext(); ) {
      String arg = it.next();
      switch (arg) {
        case "--covenants" -> covenants = Path.of(value(arg, it));
        case "--out" -> out = Path.of(value(arg, it));
        case "--strimzi" -> strimzi = Path.of(value(arg, it));
        case "--check" -> check = true;
        default -> usage("unknown option " + arg);
      }
    }
    Set<String> parties;
    try {
      parties = parties(covenants);
    } catch (CovenantException e) {
      e.problems().forEach(System.err::println);
      System.exit(1);
      return;
    }
    String acls = AclYaml.render(KafkaAcls.forPartners(parties), KafkaAcls.quotas(parties));
    String users = StrimziUsers.render(KafkaAcls.forPartners(parties), KafkaAcls.quotas(parties));
    if (check) {
      boolean current = isCurrent(out, acls) & isCurrent(strimzi, users);
      System.exit(current ? 0 : 1);
    }
    write(out, acls);
    write(strimzi, users);
    System.err.println(
        "wrote " + out + " and " + strimzi + " for partners " + String.join(", ", parties));
  }

  /** The chart's KafkaUsers, with the same ACLs and quotas as the ACL file. */
  public static final String STRIMZI_USERS = "infra/deploy/covenant-hub/templates/kafka-users.yaml";

  /** The chart's KafkaUsers of the parties of the covenants in {@code dir}. */
  public static String generateStrimziUsers(Path dir) throws IOException, CovenantException {
    Set<String> parties = parties(dir);
    return StrimziUsers.render(KafkaAcls.forPartners(parties), KafkaAcls.quotas(parties));
  }

  private static boolean isCurrent(Path file, String content) throws IOException {
    boolean current =
        Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content);
    System.err.println(current ? file + " is current" : file + " is stale: run bin/kafka-acls");
    return current;
  }

  private static void write(Path file, String content) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** The ACL file of the parties of the covenants in {@code dir}. */
  public static String generate(Path dir) throws IOException, CovenantException {
    return AclYaml.render(KafkaAcls.forPartners(parties(dir)), KafkaAcls.quotas(parties(dir)));
  }

  /**
   * Every party of every covenant file in {@code dir}, read without keys or a clock: the same
   * partners the hub creates topics for ({@code CovenantSet.partners()}), whatever the date.
   */
  public static Set<String> parties(Path dir) throws IOException, CovenantException {
    Set<String> parties = new TreeSet<>();
    for (Path file : CovenantLoader.filesIn(dir)) {
      LoadedCovenant covenant = CovenantLoader.load(file);
      covenant.parties().stream().map(Party::id).forEach(parties::add);
    }
    return parties;
  }

  private static String value(String option, Iterator<String> it) {
    if (!it.hasNext()) {
      usage(option + " needs a value");
    }
    return it.next();
  }

  private static void usage(String problem) {
    System.err.println("kafka-acls: " + problem);
    System.err.println(
        "usage: kafka-acls [--covenants DIR] [--out FILE] [--strimzi FILE] [--check]");
    System.exit(2);
  }
}
