package nl.covenanthub.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.devkit.AclFile;
import nl.covenanthub.devkit.KafkaBroker;

/**
 * The Kafka broker (devkit's {@link KafkaBroker}): one KRaft node where clients log in with tokens
 * of the realm and the ACLs of {@code infra/kafka/acls.yaml} hold each to its own topics. Its data
 * stays in {@code .local/kafka}.
 */
final class BrokerService implements Service {
  private final LocalSettings settings;
  private volatile KafkaBroker broker;

  BrokerService(LocalSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "broker";
  }

  @Override
  public void start() {
    Ports ports = settings.ports();
    broker =
        KafkaBroker.in(settings.kafkaDir())
            .oauth(settings.issuer(), settings.jwksUri(), settings.tokenEndpoint())
            .ports(ports.kafka(), ports.kafkaInternal(), ports.kafkaController())
            .log(log())
            .acls(AclFile.read(settings.aclFile()))
            .quotas(AclFile.quotas(settings.aclFile()))
            .start();
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  @Override
  public boolean isRunning() {
    return broker != null && broker.isAlive();
  }

  @Override
  public Optional<Long> pid() {
    return isRunning() ? Optional.of(broker.process().pid()) : Optional.empty();
  }

  @Override
  public Path log() {
    return settings.log("kafka");
  }

  @Override
  public String address() {
    return "clients (OAUTHBEARER, ACLs of infra/kafka/acls.yaml) on localhost:"
        + settings.ports().kafka()
        + ", the super user on localhost:"
        + settings.ports().kafkaInternal()
        + ", data in "
        + settings.shown(settings.kafkaDir().resolve("data"));
  }

  @Override
  public List<Integer> ports() {
    Ports ports = settings.ports();
    return List.of(ports.kafka(), ports.kafkaController(), ports.kafkaInternal());
  }
}
