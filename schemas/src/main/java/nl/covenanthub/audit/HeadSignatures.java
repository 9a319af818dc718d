package nl.covenanthub.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * Audit chain heads signed by the hub (Ed25519): the hub signs each head it publishes on {@code
 * hub.audit.chain} (headers {@value #SIGNATURE_HEADER} and {@value #KEY_ID_HEADER}); whoever
 * verifies the audit outside the hub (the console) holds only the public key. So someone who can
 * rewrite the console's database, and re-hash a chain's tail, still cannot make it match a head the
 * hub signed.
 *
 * <p>Keys are base64: the private key PKCS#8, the public key X.509 (what the JDK's {@code
 * getEncoded()} gives). A key id is the first 8 bytes (hex) of the public key's SHA-256, so a
 * verifier can hold an old and a new key while the hub's key is rotated.
 */
public final class HeadSignatures {
  public static final String SIGNATURE_HEADER = "head-signature";
  public static final String KEY_ID_HEADER = "head-key-id";

  /** A LOCAL DEMO key pair, public in this repository: never for real data. */
  public static final String DEMO_PRIVATE_KEY =
      "MC4CAQAwBQYDK2VwBCIEIGmY6B/8nnyymKPUYECW2DynqCEVPsT8TpafCw5cLdIG";

  public static final String DEMO_PUBLIC_KEY =
      "MCowBQYDK2VwAyEAv/0PSebG8ijwfuixqYYE/L0Cf50zTXL2dtJlQgDCwAY=";

  private static final String ALGORITHM = "Ed25519";

  private HeadSignatures() {}

  /** What is signed: the chain, the position and the hash of its last record. */
  static byte[] message(ChainHead head) {
    return (head.getChainId() + "\n" + head.getSequence() + "\n" + head.getHash())
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signs heads with a private key. Bouncy Castle's Ed25519, not the JDK's: the hub signs a head
   * for every chain of every transaction, and the JDK 17 provider takes about 15 times as long per
   * signature. Ed25519 signatures are deterministic, so both give the same bytes, and a verifier
   * may use either (the console verifies with the JDK).
   */
  public static final class Signer {
    private final Ed25519PrivateKeyParameters key;
    private final String keyId;

    private Signer(Ed25519PrivateKeyParameters key, String keyId) {
      this.key = key;
      this.keyId = keyId;
    }

    /** The signer of {@code privateKey} (base64 PKCS#8), whose public key is {@code publicKey}. */
    public static Signer of(String privateKey, String publicKey) {
      Ed25519PrivateKeyParameters key;
      try {
        if (!(PrivateKeyFactory.createKey(Base64.getDecoder().decode(privateKey))
            instanceof Ed25519PrivateKeyParameters ed25519)) {
          throw new IllegalArgumentException("another kind of key");
        }
        key = ed25519;
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "not an Ed25519 private key (base64 PKCS#8): " + e.getClass().getSimpleName());
      }
      Signer signer = new Signer(key, HeadSignatures.keyId(publicKey(publicKey)));
      ChainHead probe = new ChainHead("probe", 0L, "");
      if (!Verifier.of(List.of(publicKey)).verify(probe, signer.keyId, signer.sign(probe))) {
        throw new IllegalArgumentException("the private and the public key are not one pair");
      }
      return signer;
    }

    public String keyId() {
      return keyId;
    }

    public byte[] sign(ChainHead head) {
      byte[] message = message(head);
      Ed25519Signer signature = new Ed25519Signer();
      signature.init(true, key);
      signature.update(message, 0, message.length);
      return signature.generateSignature();
    }
  }

  /** Verifies heads against the public keys it knows, by key id. */
  public static final class Verifier {
    private final Map<String, PublicKey> keys;

    private Verifier(Map<String, PublicKey> keys) {
      this.keys = Map.copyOf(keys);
    }

    /** A verifier of these public keys (base64 X.509). */
    public static Verifier of(Collection<String> publicKeys) {
      Map<String, PublicKey> keys = new LinkedHashMap<>();
      for (String encoded : publicKeys) {
        PublicKey key = publicKey(encoded);
        keys.put(keyId(key), key);
      }
      return new Verifier(keys);
    }

    /** Whether {@code signature} is a signature of {@code head} by the key {@code keyId}. */
    public boolean verify(ChainHead head, String keyId, byte[] signature) {
      PublicKey key = keyId == null ? null : keys.get(keyId);
      if (key == null || signature == null) {
        return false;
      }
      try {
        Signature verifier = Signature.getInstance(ALGORITHM);
        verifier.initVerify(key);
        verifier.update(message(head));
        return verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }

  static PublicKey publicKey(String encoded) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key (base64 X.509): " + e.getClass().getSimpleName());
    }
  }

  static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
