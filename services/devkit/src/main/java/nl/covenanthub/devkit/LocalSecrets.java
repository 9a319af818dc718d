package nl.covenanthub.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * Secrets of the local stack (a database password, a signing key), made once and kept in files only
 * their owner may read (0600), so they survive restarts and nobody else on the machine reads them.
 */
public final class LocalSecrets {
  private LocalSecrets() {}

  /** The secret in {@code file}; if there is none yet, {@code make}'s, written owner-only first. */
  public static String readOrCreate(Path file, Supplier<String> make) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String secret = make.get();
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".new");
      Files.deleteIfExists(temporary);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            temporary,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(temporary);
      }
      Files.writeString(temporary, secret, StandardCharsets.UTF_8);
      Files.move(temporary, file);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep a secret in " + file, e);
    }
  }
}
