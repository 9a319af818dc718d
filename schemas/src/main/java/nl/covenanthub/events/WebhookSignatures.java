package nl.covenanthub.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures as the Standard Webhooks specification defines them: HMAC-SHA256 over {@code
 * <webhook-id>.<webhook-timestamp>.<body>} with the endpoint's secret ({@code whsec_} and the key
 * in base64), sent as {@code v1,<base64 signature>}; several, space-separated, while a secret is
 * rotated. The hub signs with it; a receiver verifies with it (or any Standard Webhooks library).
 */
public final class WebhookSignatures {
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** How far a timestamp may be from the receiver's clock (the specification's suggestion). */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String PREFIX = "whsec_";

  private WebhookSignatures() {}

  /** The {@code webhook-signature} value: one {@code v1,...} per secret, space-separated. */
  public static String sign(String id, long timestamp, byte[] body, List<String> secrets) {
    List<String> signatures = new ArrayList<>();
    for (String secret : secrets) {
      signatures.add("v1," + Base64.getEncoder().encodeToString(mac(secret, id, timestamp, body)));
    }
    return String.join(" ", signatures);
  }

  /**
   * Whether the headers sign {@code body} with one of {@code secrets}, and the timestamp is within
   * {@link #TOLERANCE} of {@code now} (so a captured request cannot be replayed later).
   */
  public static boolean verify(
      String id,
      String timestamp,
      String signatureHeader,
      byte[] body,
      List<String> secrets,
      Instant now) {
    if (id == null || timestamp == null || signatureHeader == null) {
      return false;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
      return false;
    }
    for (String secret : secrets) {
      byte[] expected = mac(secret, id, seconds, body);
      for (String signature : signatureHeader.split(" ")) {
        int comma = signature.indexOf(',');
        if (comma > 0 && signature.substring(0, comma).equals("v1")) {
          byte[] given;
          try {
            given = Base64.getDecoder().decode(signature.substring(comma + 1));
          } catch (IllegalArgumentException e) {
            continue;
          }
          if (MessageDigest.isEqual(expected, given)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A new random secret in the {@code whsec_} form (24 bytes, as the specification suggests). */
  public static String newSecret() {
    byte[] key = new byte[24];
    new java.security.SecureRandom().nextBytes(key);
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  private static byte[] mac(String secret, String id, long timestamp, byte[] body) {
    String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
