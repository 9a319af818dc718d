package nl.covenanthub.covenant;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Keyed pseudonyms bound to what they are for. A configured master key (named by reference, e.g.
 * {@code subject-key}) is never used itself: HKDF-SHA256 (RFC 5869) derives one key per use, so
 *
 * <ul>
 *   <li>each (covenant, recipient, purpose) gets its own pseudonym of a person, and recipients
 *       cannot link what they received under different covenants or purposes, or with each other,
 *       unless a covenant names a shared scope on purpose ({@link #forSharedScope});
 *   <li>the audit names the data subject with a key of its own ({@link #forAuditSubject}), which no
 *       recipient holds pseudonyms of;
 *   <li>inbox record keys have a key of their own ({@link #forRecordKeys}).
 * </ul>
 *
 * <p>A pseudonym is {@code <key id>.<HMAC-SHA256, base64url>}. The key id (8 characters) names the
 * version of the master key, so that a key can be rotated: pseudonyms made with the previous key
 * keep their key id and stay resolvable for as long as that key is still configured beside the new
 * one (see {@link KeyRing}). The same value, use and key always give the same pseudonym; without
 * the derived key the value cannot be recovered or found by trying all BSNs.
 */
public final class Pseudonymiser {
  private static final String ALGORITHM = "HmacSHA256";

  /** A public, fixed HKDF salt (RFC 5869 allows one); the master key is the secret. */
  private static final byte[] SALT =
      "covenant-hub pseudonyms, 2026".getBytes(StandardCharsets.US_ASCII);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String keyRef;
  private final String keyId;
  private final SecretKeySpec key;
  // Mac instances are not thread-safe; one per thread avoids both locking and a per-call
  // getInstance.
  private final ThreadLocal<Mac> macs;

  private Pseudonymiser(String keyRef, byte[] master, String use) {
    this.keyRef = keyRef;
    this.keyId = keyId(master);
    this.key = new SecretKeySpec(derive(master, use, 32), ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /** The pseudonyms {@code recipient} gets under {@code covenantId} for {@code purpose}. */
  public static Pseudonymiser forRecipient(
      String ref, KeyRing keys, String covenantId, String recipient, String purpose) {
    return new Pseudonymiser(
        ref, current(ref, keys), use("recipient", covenantId, recipient, purpose));
  }

  /**
   * The pseudonyms every recipient of a covenant's rules that name {@code scope} gets alike: a
   * deliberate link between recipients, which the covenant must give a basis for.
   */
  public static Pseudonymiser forSharedScope(
      String ref, KeyRing keys, String covenantId, String scope) {
    return new Pseudonymiser(ref, current(ref, keys), use("shared", covenantId, scope));
  }

  /** The audit's pseudonym of the data subject, with the current key. */
  public static Pseudonymiser forAuditSubject(String ref, KeyRing keys) {
    return new Pseudonymiser(ref, current(ref, keys), use("audit-subject"));
  }

  /**
   * The audit's pseudonym of the data subject under every configured version of the key, the
   * current one first: what the console searches by, so that records made before a rotation are
   * still found.
   */
  public static List<Pseudonymiser> forAuditSubjectEveryVersion(String ref, KeyRing keys) {
    List<Pseudonymiser> versions = new ArrayList<>();
    for (byte[] master : configured(ref, keys)) {
      versions.add(new Pseudonymiser(ref, master, use("audit-subject")));
    }
    return versions;
  }

  /**
   * The matching pseudonym of a data subject (hit/no-hit): a key of its own, which neither the
   * audit nor any recipient has, so only the hub can compute it or link it to anything.
   */
  public static Pseudonymiser forMatching(String ref, KeyRing keys) {
    return new Pseudonymiser(ref, current(ref, keys), use("matching"));
  }

  /** Keys of inbox records (one case's records stay in order; its reference is not shown). */
  public static Pseudonymiser forRecordKeys(String ref, KeyRing keys) {
    return new Pseudonymiser(ref, current(ref, keys), use("record-key"));
  }

  public String keyRef() {
    return keyRef;
  }

  /** The version of the master key this pseudonymiser's key is derived from. */
  public String keyId() {
    return keyId;
  }

  public String pseudonym(String value) {
    byte[] digest = macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    return keyId + "." + BASE64URL.encodeToString(digest);
  }

  /** The HKDF info: what the key is for, parts separated by a byte no identifier holds. */
  private static String use(String... parts) {
    return "covenant-hub/pseudonym/v1\u0000" + String.join("\u0000", parts);
  }

  private static byte[] derive(byte[] master, String info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(master, SALT, info.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  /** Public, and names the key without revealing it or any pseudonym made with it. */
  static String keyId(byte[] master) {
    return BASE64URL.encodeToString(derive(master, use("key-id"), 6));
  }

  private static byte[] current(String ref, KeyRing keys) {
    return configured(ref, keys).get(0);
  }

  private static List<byte[]> configured(String ref, KeyRing keys) {
    List<byte[]> versions = keys.versions(ref);
    if (versions.isEmpty()) {
      throw new IllegalStateException(
          "pseudonymisation key '"
              + ref
              + "' is not configured (set COVENANT_KEY_"
              + ref.toUpperCase(Locale.ROOT).replace('-', '_')
              + " or COVENANT_KEYS_DIR)");
    }
    return versions;
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unusable pseudonymisation key '" + keyRef + "'", e);
    }
  }
}
