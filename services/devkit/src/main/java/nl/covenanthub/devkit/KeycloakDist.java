package nl.covenanthub.devkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keycloak server distribution: the {@code org.keycloak:keycloak-quarkus-dist} tar.gz that
 * Maven resolved when the devkit was built, extracted once per work directory.
 */
final class KeycloakDist {
  /**
   * Overrides the archive's location (a path to keycloak-quarkus-dist-VERSION.tar.gz); else the
   * build's.
   */
  static final String ARCHIVE_PROPERTY = "covenanthub.keycloak.dist";

  private static final Pattern FILE_NAME = Pattern.compile("keycloak-quarkus-dist-(.+)\\.tar\\.gz");

  private final Path archive;
  private final String version;

  private KeycloakDist(Path archive, String version) {
    this.archive = archive;
    this.version = version;
  }

  /** The archive Maven resolved at build time (or the one the system property names). */
  static KeycloakDist resolved() {
    String location = System.getProperty(ARCHIVE_PROPERTY);
    if (location == null || location.isBlank()) {
      location = buildProperties().getProperty("archive", "");
    }
    if (location.isBlank() || location.startsWith("@")) {
      throw new IllegalStateException(
          "the devkit does not know where the Keycloak distribution is: build it with "
              + "Maven (mvn -pl services/devkit package), which resolves org.keycloak:keycloak-quarkus-dist, or set -D"
              + ARCHIVE_PROPERTY
              + "=<path to keycloak-quarkus-dist-VERSION.tar.gz>");
    }
    Path archive = Path.of(location);
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException(
          "the Keycloak distribution "
              + archive
              + " is missing (was the local Maven "
              + "repository cleaned?): build services/devkit again (mvn -pl services/devkit package) to resolve it");
    }
    Matcher name = FILE_NAME.matcher(archive.getFileName().toString());
    if (!name.matches()) {
      throw new IllegalStateException(
          archive + " is not named keycloak-quarkus-dist-VERSION.tar.gz");
    }
    return new KeycloakDist(archive, name.group(1));
  }

  String version() {
    return version;
  }

  /**
   * The distribution's home in {@code workDir} ({@code keycloak-VERSION}), extracted with {@code
   * tar} if it is not there yet. Extraction goes to a temporary directory first, so a
   * half-extracted home is never used, and holds a lock, so two JVMs sharing a work directory do
   * not extract at the same time.
   */
  Path extractInto(Path workDir) {
    Path home = workDir.resolve("keycloak-" + version);
    if (Files.isExecutable(home.resolve("bin/kc.sh"))) {
      return home;
    }
    try (FileChannel lockFile =
            FileChannel.open(
                workDir.resolve(".extract.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (Files.isExecutable(home.resolve("bin/kc.sh"))) {
        return home;
      }
      Path staging = workDir.resolve(".extracting");
      Directories.deleteTree(staging);
      Files.createDirectories(staging);
      System.out.println(
          "[keycloak] extracting Keycloak " + version + " into " + home + " (once)…");
      Process tar =
          new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", staging.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(tar.getInputStream().readAllBytes());
      if (tar.waitFor() != 0) {
        throw new IllegalStateException("extracting " + archive + " failed: " + output.strip());
      }
      Path extracted = staging.resolve(home.getFileName());
      if (!Files.isExecutable(extracted.resolve("bin/kc.sh"))) {
        throw new IllegalStateException(archive + " holds no " + home.getFileName() + "/bin/kc.sh");
      }
      Directories.deleteTree(home);
      Files.move(extracted, home);
      Directories.deleteTree(staging);
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the Keycloak distribution into " + workDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while extracting Keycloak", e);
    }
  }

  private static Properties buildProperties() {
    Properties properties = new Properties();
    try (InputStream in = KeycloakDist.class.getResourceAsStream("keycloak-dist.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /**
   * {@code kc.sh start-dev} of the distribution at {@code home}: on 127.0.0.1 only, the issuer
   * pinned to {@code http://localhost:<port>}, an in-memory database, the realms of {@code
   * data/import} imported.
   */
  static ProcessBuilder startDev(Path home, int httpPort) {
    ProcessBuilder command =
        new ProcessBuilder(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-port=" + httpPort,
                "--http-host=127.0.0.1",
                "--hostname=http://localhost:" + httpPort,
                "--db=dev-mem",
                "--import-realm")
            .directory(home.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = command.environment();
    // A developer's own Keycloak settings would change this Keycloak; the JVM is the one running
    // this code.
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("KC_")
                    || name.startsWith("JAVA_OPTS") && !name.equals("JAVA_OPTS_KC_HEAP"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", Keycloak.DEMO_ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", Keycloak.DEMO_ADMIN_PASSWORD);
    return command;
  }
}
