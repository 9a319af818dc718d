package nl.covenanthub.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import nl.covenanthub.audit.HeadSignatures;
import nl.covenanthub.devkit.Await;
import nl.covenanthub.devkit.Directories;
import nl.covenanthub.devkit.KafkaBroker;
import nl.covenanthub.devkit.KafkaClients;
import nl.covenanthub.devkit.Repository;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/chaos}: the hub's promises under failure and attack. Runs the real pieces as separate
 * processes (Keycloak, the broker, two hub instances, the console with its PostgreSQL) under a
 * steady stream of partner events; meanwhile kills a hub instance at random moments (kill -9, then
 * starts it again), restarts the broker, stops and starts the console's PostgreSQL, and lets a
 * hostile partner send garbage, truncated Avro, a record of just under the broker's limit and
 * spoofed senders. Then it reads everything back with read_committed consumers and prints one line;
 * exit 0 only when nothing was lost, doubled or unaudited, no chain broke and the console holds
 * every audit record.
 */
@Command(
    name = "chaos",
    usageHelpAutoWidth = true,
    description =
        "Faults and attacks against the local stack; prints what held (docs/reliability.md).")
public final class Chaos implements Callable<Integer> {
  private static final List<String> PARTNERS = List.of("lzn", "politie", "veilig-thuis", "riec");
  private static final Duration SETTLE = Duration.ofMinutes(4);

  /** The partner that publishes over HTTP instead of Kafka. */
  private static final String HTTP_PARTNER = "lzn";

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;

  @Option(
      names = "--kills",
      defaultValue = "10",
      description = "hub instances killed (${DEFAULT-VALUE})")
  int kills;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "partner events per second (${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--seed", description = "for the random moments and events (default: the time)")
  Long seed;

  @Option(
      names = "--state-dir",
      description = "where its stack keeps data and logs, wiped first (default: .local/chaos)")
  Path stateDir;

  @Option(
      names = "--port-base",
      defaultValue = "19000",
      description =
          "its ports: keycloak +180, broker +92 to +94, hubs +80 and +82, console +181, postgres +33 (${DEFAULT-VALUE})")
  int portBase;

  private final Say say = new Say(Repository.root(), "chaos");

  public static void main(String[] args) {
    System.exit(new CommandLine(new Chaos()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Path root = Repository.root();
    Path state = (stateDir != null ? stateDir : root.resolve(".local/chaos")).toAbsolutePath();
    Directories.deleteTree(state);
    System.setProperty("hub-local.logs", state.resolve("logs").toString());
    long theSeed = seed != null ? seed : System.currentTimeMillis();
    Random random = new Random(theSeed);
    Ports ports =
        new Ports(
            portBase + 180,
            portBase + 92,
            portBase + 80,
            portBase + 181,
            portBase + 33,
            portBase + 90);
    LocalSettings settings =
        new LocalSettings(
            root, state, ports, 2, false, 0, false, List.of(), root.resolve("covenants"), Map.of());
    LocalStack local = new LocalStack(settings, say);
    Stack stack = local.stack();
    stack.requireFreePorts();
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "chaos-stop"));
    say.line("chaos (seed " + theSeed + "): starting the stack in " + say.relative(state) + "…");
    stack.startAll();
    KafkaClients.allowOAuthUrls(settings.tokenEndpoint());

    Map<String, Map<String, Object>> logins = new HashMap<>();
    for (String partner : PARTNERS) {
      logins.put(
          partner,
          KafkaClients.oauth(
              settings.kafkaBootstrap(),
              settings.tokenEndpoint(),
              partner,
              settings.secret(LocalSettings.partnerSecretVariable(partner), partner)));
    }
    int killed = 0;
    // The municipality's system speaks HTTPS: lzn publishes its signals to the hubs' API.
    List<URI> hubs =
        List.of(
            URI.create("http://localhost:" + ports.hub(1)),
            URI.create("http://localhost:" + ports.hub(2)));
    try (HttpPartner overHttp =
            new HttpPartner(
                HTTP_PARTNER,
                settings.secret(LocalSettings.partnerSecretVariable(HTTP_PARTNER), HTTP_PARTNER),
                settings.tokenEndpoint(),
                hubs);
        Traffic traffic = new Traffic(logins, overHttp, rate, random.nextLong());
        HostilePartner hostile = new HostilePartner("lzn", logins.get("lzn"), random.nextLong())) {
      traffic.start();
      say.line(
          "traffic: "
              + rate
              + " events/s from "
              + String.join(", ", PARTNERS)
              + " ("
              + HTTP_PARTNER
              + "'s signals over HTTP, to either hub)");
      hostile.attack();
      for (int kill = 1; kill <= kills; kill++) {
        Await.sleep(Duration.ofMillis(1_000 + random.nextInt(4_000)));
        String hub = random.nextBoolean() ? "hub" : "hub-2";
        stack.kill(hub);
        killed++;
        Await.sleep(Duration.ofMillis(random.nextInt(2_000)));
        stack.start(hub);
        if (kill == Math.max(1, kills / 3)) {
          say.line("restarting the broker");
          stack.stop("broker");
          stack.start("broker");
          hostile.attack();
        }
        if (kill == Math.max(1, 2 * kills / 3)) {
          say.line("stopping and starting the console's PostgreSQL");
          stack.stop("postgres");
          Await.sleep(Duration.ofSeconds(5));
          stack.start("postgres");
          hostile.attack();
        }
      }
      hostile.attack();
      traffic.close();
      overHttp.close(); // every request answered, or given up on
      Map<String, Traffic.Published> valid = traffic.published();
      List<Traffic.Published> refused = hostile.sent();
      List<Traffic.NoticeRequest> noticeRequests = new ArrayList<>(traffic.withdrawals());
      noticeRequests.addAll(traffic.erasures());
      Verdict.Sent sent =
          new Verdict.Sent(
              valid.values(),
              refused,
              noticeRequests,
              traffic.acknowledgements(),
              overHttp.accepted(),
              overHttp.notAccepted());
      say.line(
          "faults done ("
              + killed
              + " kills); "
              + valid.size()
              + " events on Kafka, "
              + sent.acceptedOverHttp().size()
              + " over HTTP ("
              + overHttp.retries()
              + " requests sent again after no answer, a 409 or a 5xx, "
              + overHttp.replays()
              + " of them answered as a replay; "
              + sent.refusedOverHttp().size()
              + " not accepted) and "
              + refused.size()
              + " hostile records published; waiting for the hub and the console to settle…");
      Map<String, Object> superUser =
          KafkaClients.superUser(
              "localhost:" + ports.kafkaInternal(),
              KafkaBroker.ADMIN_USER,
              KafkaBroker.DEMO_ADMIN_PASSWORD);
      Verdict.Observed observed = settle(superUser, sent);
      String jdbcUrl = "jdbc:postgresql://localhost:" + ports.postgres() + "/postgres";
      String password = ((PostgresService) stack.service("postgres").orElseThrow()).password();
      java.util.Set<String> indexed = awaitIndexed(jdbcUrl, password, observed.audit().size());
      HeadSignatures.Verifier verifier =
          HeadSignatures.Verifier.of(List.of(HeadKeys.of(settings.stateDir()).publicKey()));
      Verdict verdict = Verdict.of(observed, sent, indexed, verifier, killed);
      say.line(
          traffic.withdrawals().size()
              + " of the events withdrew a case and "
              + traffic.erasures().size()
              + " asked erasure of one; "
              + observed.audit().stream()
                  .filter(a -> Verdict.WITHDRAWAL_NOTICE.equals(a.getEventType()))
                  .count()
              + " notices disclosed; "
              + traffic.acknowledgements().size()
              + " of them acknowledged");
      Verdict.brokenChains(observed.audit(), observed.heads(), verifier)
          .forEach((chain, why) -> say.line("chain " + chain + " broken: " + why));
      say.line("done in " + Say.since(started));
      System.out.println(verdict.line());
      return verdict.holds() ? 0 : 1;
    } finally {
      stack.close();
    }
  }

  /**
   * Reads back until every published record is decided and the audit stopped growing, or {@link
   * #SETTLE} has passed. Some of it is written after its event was decided (the match notices, by
   * the matching listener), and a read takes the audit before the chain heads: so the read kept is
   * one whose audit the next read found unchanged, which brackets its heads.
   */
  private Verdict.Observed settle(Map<String, Object> superUser, Verdict.Sent sent) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Verdict.Observed observed = Verdict.Observed.read(superUser, PARTNERS);
    Verdict.Observed before = null;
    while ((!observed.decidedAll(sent)
            || before == null
            || before.audit().size() != observed.audit().size())
        && System.nanoTime() < deadline) {
      Await.sleep(Duration.ofSeconds(5));
      before = observed;
      observed = Verdict.Observed.read(superUser, PARTNERS);
    }
    return before != null && before.audit().size() == observed.audit().size() ? before : observed;
  }

  /**
   * Until the console's index holds as many records as the audit, or {@link #SETTLE} has passed.
   */
  private java.util.Set<String> awaitIndexed(String jdbcUrl, String password, int audited)
      throws java.sql.SQLException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    java.util.Set<String> indexed = Verdict.indexed(jdbcUrl, password);
    while (indexed.size() < audited && System.nanoTime() < deadline) {
      Await.sleep(Duration.ofSeconds(5));
      indexed = Verdict.indexed(jdbcUrl, password);
    }
    return indexed;
  }
}
