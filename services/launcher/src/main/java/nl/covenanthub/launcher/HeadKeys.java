package nl.covenanthub.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import nl.covenanthub.devkit.LocalSecrets;

/**
 * The key pair with which the local hubs sign the audit chain heads they publish: made once per
 * state directory ({@code keys/head-signing.key}, owner-only, and {@code keys/head-signing.pub}),
 * so that the console verifies against a key no database user of it holds.
 */
record HeadKeys(String privateKey, String publicKey) {
  static HeadKeys of(Path stateDir) {
    Path privateFile = stateDir.resolve("keys/head-signing.key");
    Path publicFile = stateDir.resolve("keys/head-signing.pub");
    if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
      KeyPair pair = generate();
      try {
        Files.deleteIfExists(privateFile);
        Files.deleteIfExists(publicFile);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      LocalSecrets.readOrCreate(privateFile, () -> encode(pair.getPrivate().getEncoded()));
      LocalSecrets.readOrCreate(publicFile, () -> encode(pair.getPublic().getEncoded()));
    }
    return new HeadKeys(
        LocalSecrets.readOrCreate(privateFile, () -> ""),
        LocalSecrets.readOrCreate(publicFile, () -> ""));
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
    }
  }

  private static String encode(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }
}
