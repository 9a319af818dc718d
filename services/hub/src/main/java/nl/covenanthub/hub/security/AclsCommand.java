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
 * Writes the Kafka ACLs of the covenants' parties to a file: {@code bin/kafka-acls}, or {@code
 * AclsCommand [--covenants DIR] [--out FILE] [--check]}. With {@code --check} it writes nothing and
 * exits 1 when the file is not what the covenants give.
 */
public final class AclsCommand {
  private AclsCommand() {}

  public static void main(String[] args) throws IOException {
    Path covenants = Path.of("covenants");
    Path out = Path.of("infra/kafka/acls.yaml");
    boolean check = false;
    for (Iterator<String> it = List.of(args).iterator(); it.hasNext(); ) {
      String arg = it.next();
      switch (arg) {
        case "--covenants" -> covenants = Path.of(value(arg, it));
        case "--out" -> out = Path.of(value(arg, it));
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
    if (check) {
      boolean current =
          Files.isRegularFile(out) && Files.readString(out, StandardCharsets.UTF_8).equals(acls);
      System.err.println(current ? out + " is current" : out + " is stale: run bin/kafka-acls");
      System.exit(current ? 0 : 1);
    }
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, acls, StandardCharsets.UTF_8);
    System.err.println("wrote " + out + " for partners " + String.join(", ", parties));
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
    System.err.println("usage: kafka-acls [--covenants DIR] [--out FILE] [--check]");
    System.exit(2);
  }
}
