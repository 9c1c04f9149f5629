package dev.omem.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 of a memory's normalised text: equal hashes mean the same statement. */
public final class ContentHash {
  private ContentHash() {}

  /** Lower case, whitespace collapsed, trailing punctuation dropped; then SHA-256 hex. */
  public static String of(String content) {
    String norm =
        content.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replaceAll("[.!\\s]+$", "").trim();
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(norm.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
