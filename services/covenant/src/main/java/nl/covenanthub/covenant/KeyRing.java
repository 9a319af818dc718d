package nl.covenanthub.covenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where pseudonymisation master keys come from. Covenants name a key by reference ({@code
 * subject-key}); the key itself never appears in a covenant, a log or an audit record.
 *
 * <p>A reference may hold several versions of its key, the current one first: while a key is
 * rotated, the previous one stays configured after the new one, so that pseudonyms made with it can
 * still be resolved (the console searches by both); new pseudonyms use only the current key.
 */
@FunctionalInterface
public interface KeyRing {

  /** The versions of the key named {@code ref}, the current one first; empty if not configured. */
  List<byte[]> versions(String ref);

  /** The current key named {@code ref}, or empty if it is not configured. */
  default Optional<byte[]> key(String ref) {
    List<byte[]> versions = versions(ref);
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(0));
  }

  /**
   * Keys from the environment: {@code COVENANT_KEY_<REF>} holds the key in base64 (ref upper-cased,
   * dashes as underscores), or {@code COVENANT_KEYS_DIR} names a directory with one file per ref
   * holding the base64 key (as a Kubernetes secret volume does). Several versions are separated by
   * commas, the current one first.
   */
  static KeyRing fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static KeyRing fromEnvironment(Map<String, String> env) {
    return ref -> {
      String variable = "COVENANT_KEY_" + ref.toUpperCase(Locale.ROOT).replace('-', '_');
      if (env.containsKey(variable)) {
        return decodeVersions(env.get(variable), variable);
      }
      String dir = env.get("COVENANT_KEYS_DIR");
      if (dir != null) {
        Path file = Path.of(dir, ref);
        if (Files.isRegularFile(file)) {
          try {
            return decodeVersions(Files.readString(file), file.toString());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
          }
        }
      }
      return List.of();
    };
  }

  /** Fixed keys, one version each, for tests and tools. */
  static KeyRing of(Map<String, byte[]> keys) {
    Map<String, byte[]> copy = Map.copyOf(keys);
    return ref -> copy.containsKey(ref) ? List.of(copy.get(ref)) : List.of();
  }

  /** Fixed keys with their versions, the current one first, for tests and tools. */
  static KeyRing ofVersions(Map<String, List<byte[]>> keys) {
    Map<String, List<byte[]>> copy = Map.copyOf(keys);
    return ref -> copy.getOrDefault(ref, List.of());
  }

  private static List<byte[]> decodeVersions(String versions, String source) {
    List<byte[]> keys = new ArrayList<>();
    for (String version : versions.split(",")) {
      keys.add(decode(version, source));
    }
    return List.copyOf(keys);
  }

  private static byte[] decode(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key in " + source + " is not base64", e);
    }
    if (key.length < 32) {
      throw new IllegalArgumentException("key in " + source + " is shorter than 32 bytes");
    }
    return key;
  }
}
