package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory a local Keycloak runs from: the extracted distribution, the realm to import, a lock
 * so that only one JVM runs a Keycloak from it, and the pids of the running one so that a later
 * start can stop a Keycloak whose JVM was killed.
 */
final class KeycloakWorkDir implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final FileChannel lockFile;

  private KeycloakWorkDir(Path dir, FileChannel lockFile) {
    this.dir = dir;
    this.lockFile = lockFile;
  }

  /**
   * Takes {@code dir} for this JVM; {@link WorkDirInUse} if another JVM runs a Keycloak from it.
   */
  static KeycloakWorkDir lock(Path dir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              dir.resolve(".running.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (tryLock(channel) == null) {
        throw new WorkDirInUse(
            "another Keycloak runs from "
                + dir
                + " (pids in "
                + dir.resolve("keycloak.pid")
                + "); stop it or use another work directory");
      }
      return new KeycloakWorkDir(dir, channel);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  /**
   * The distribution's home, extracted if needed, with a Keycloak left running from it stopped and
   * {@code realm} as the only realm it imports.
   */
  Path prepare(KeycloakDist dist, Path realm) throws IOException {
    Path home = dist.extractInto(dir);
    stopLeftovers(home);
    Path importDir = home.resolve("data/import");
    Files.createDirectories(importDir);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(importDir, "*.json")) {
      for (Path file : old) {
        Files.delete(file);
      }
    }
    Files.copy(realm, importDir.resolve(Keycloak.REALM + "-realm.json"));
    return home;
  }

  /** Notes the pids of the running Keycloak (kc.sh and the JVM it starts). */
  void writePids(ChildProcess process) {
    List<String> pids = new ArrayList<>();
    process.tree().forEach(p -> pids.add(String.valueOf(p.pid())));
    try {
      Files.write(pidFile(), pids);
    } catch (IOException ignored) {
      // only a hint for the next start
    }
  }

  /** Forgets the pids and releases the lock. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException ignored) {
      // only a hint for the next start
    }
    closeQuietly(lockFile);
  }

  private Path pidFile() {
    return dir.resolve("keycloak.pid");
  }

  /**
   * A Keycloak left running from {@code home} by a JVM that was killed: stopped, since it holds the
   * port.
   */
  private void stopLeftovers(Path home) throws IOException {
    if (!Files.exists(pidFile())) {
      return;
    }
    List<ProcessHandle> leftovers = new ArrayList<>();
    for (String line : Files.readAllLines(pidFile())) {
      try {
        ProcessHandle.of(Long.parseLong(line.strip()))
            .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
            .ifPresent(leftovers::add);
      } catch (NumberFormatException ignored) {
        // not a pid
      }
    }
    if (!leftovers.isEmpty()) {
      System.out.println(
          "[keycloak] stopping a Keycloak left running from " + home + " (pids " + leftovers + ")");
      leftovers.forEach(ProcessHandle::destroy);
      if (!ChildProcess.awaitExit(leftovers, STOP_TIMEOUT)) {
        leftovers.forEach(ProcessHandle::destroyForcibly);
        ChildProcess.awaitExit(leftovers, Duration.ofSeconds(10));
      }
    }
    Files.deleteIfExists(pidFile());
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by this JVM
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close(); // releases the lock
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** The work directory's Keycloak is already running (another JVM holds its lock). */
  static final class WorkDirInUse extends IllegalStateException {
    WorkDirInUse(String message) {
      super(message);
    }
  }
}
