package nl.covenanthub.console.signals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Receipt codes: 128 random bits in base32 (RFC 4648), in groups of four, e.g. {@code
 * K7QF-2MZA-...}. Stored only as a SHA-256 hash: with 128 random bits nobody can find a code from
 * its hash by trying, so a slow password hash adds nothing.
 */
final class ReceiptCodes {
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ReceiptCodes() {}

  /** A new code, as the reporter sees it. */
  static String next() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    String code = base32(bits);
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < code.length(); i += 4) {
      if (i > 0) {
        grouped.append('-');
      }
      grouped.append(code, i, Math.min(i + 4, code.length()));
    }
    return grouped.toString();
  }

  /** The hash a code is stored and found by; spaces, dashes and case do not matter. */
  static String hash(String code) {
    String normal = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(normal.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String base32(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
