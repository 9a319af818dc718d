package nl.covenanthub.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import nl.covenanthub.devkit.Keycloak;

/**
 * Keycloak with the demo realm (devkit's {@link Keycloak}): an in-memory database, so every start
 * imports it anew.
 */
final class KeycloakService implements Service {
  private final LocalSettings settings;
  private volatile Keycloak keycloak;

  KeycloakService(LocalSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return "keycloak";
  }

  @Override
  public void start() {
    keycloak =
        Keycloak.start(
                settings.keycloakDir(), settings.realmFile(), settings.ports().keycloak(), log())
            .stoppedByCaller(); // the stack stops it last, after the services that use it
  }

  @Override
  public void stop() {
    if (keycloak != null) {
      keycloak.stop();
    }
  }

  @Override
  public boolean isRunning() {
    return keycloak != null && keycloak.process().isAlive();
  }

  @Override
  public Optional<Long> pid() {
    return isRunning() ? Optional.of(keycloak.process().pid()) : Optional.empty();
  }

  @Override
  public Path log() {
    return settings.log("keycloak");
  }

  @Override
  public String address() {
    return "http://localhost:"
        + settings.ports().keycloak()
        + "/admin (admin/admin: local demo only), issuer "
        + settings.issuer();
  }

  @Override
  public List<Integer> ports() {
    return List.of(settings.ports().keycloak());
  }
}
