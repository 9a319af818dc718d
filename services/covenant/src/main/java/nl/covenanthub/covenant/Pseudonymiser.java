package nl.covenanthub.covenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms: HMAC-SHA256 of the value, base64url. The same value and key always give the
 * same pseudonym, so records about one person can be linked; without the key the value cannot be
 * recovered or guessed by trying all BSNs.
 */
public final class Pseudonymiser {
  private static final String ALGORITHM = "HmacSHA256";

  private final String keyRef;
  private final SecretKeySpec key;
  // Mac instances are not thread-safe; one per thread avoids both locking and a per-call
  // getInstance.
  private final ThreadLocal<Mac> macs;

  private Pseudonymiser(String keyRef, byte[] key) {
    this.keyRef = keyRef;
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * The pseudonymiser for key {@code ref}; fails with a clear message if the key is not configured.
   */
  public static Pseudonymiser of(String ref, KeyRing keys) {
    byte[] key =
        keys.key(ref)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "pseudonymisation key '"
                            + ref
                            + "' is not configured (set COVENANT_KEY_"
                            + ref.toUpperCase(java.util.Locale.ROOT).replace('-', '_')
                            + " or COVENANT_KEYS_DIR)"));
    return new Pseudonymiser(ref, key);
  }

  public String keyRef() {
    return keyRef;
  }

  public String pseudonym(String value) {
    byte[] digest = macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("unusable pseudonymisation key '" + keyRef + "'", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}
