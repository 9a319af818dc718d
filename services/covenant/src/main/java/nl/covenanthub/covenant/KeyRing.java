package nl.covenanthub.covenant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where pseudonymisation keys come from. Covenants name a key by reference ({@code subject-key});
 * the key itself never appears in a covenant, a log or an audit record.
 */
@FunctionalInterface
public interface KeyRing {

  /** The key named {@code ref}, or empty if it is not configured. */
  Optional<byte[]> key(String ref);

  /**
   * Keys from the environment: {@code COVENANT_KEY_<REF>} holds the key in base64 (ref upper-cased,
   * dashes as underscores), or {@code COVENANT_KEYS_DIR} names a directory with one file per ref
   * holding the base64 key (as a Kubernetes secret volume does).
   */
  static KeyRing fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static KeyRing fromEnvironment(Map<String, String> env) {
    return ref -> {
      String variable = "COVENANT_KEY_" + ref.toUpperCase(Locale.ROOT).replace('-', '_');
      if (env.containsKey(variable)) {
        return Optional.of(decode(env.get(variable), variable));
      }
      String dir = env.get("COVENANT_KEYS_DIR");
      if (dir != null) {
        Path file = Path.of(dir, ref);
        if (Files.isRegularFile(file)) {
          try {
            return Optional.of(decode(Files.readString(file), file.toString()));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
          }
        }
      }
      return Optional.empty();
    };
  }

  /** Fixed keys, for tests and tools. */
  static KeyRing of(Map<String, byte[]> keys) {
    Map<String, byte[]> copy = Map.copyOf(keys);
    return ref -> Optional.ofNullable(copy.get(ref));
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
