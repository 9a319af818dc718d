package nl.covenanthub.devkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout this code runs from: where the realm file, the broker template and the ACLs are. */
public final class Repository {
  /** Overrides the search from the working directory up. */
  public static final String ROOT_PROPERTY = "covenanthub.repo";

  static final String MARKER = "infra/keycloak/covenant-hub-realm.json";

  private Repository() {}

  /**
   * The first directory from the working directory up that holds {@value #MARKER}, or the one
   * {@code -Dcovenanthub.repo} names.
   */
  public static Path root() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no "
            + MARKER
            + " in "
            + start
            + " or above; run from the repository or set -D"
            + ROOT_PROPERTY);
  }
}
