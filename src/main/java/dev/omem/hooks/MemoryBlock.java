package dev.omem.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The block omem injects into an agent's context, {@code <omem-memories>…</omem-memories>}
 * (DESIGN.md decision 7): memories are quoted data from earlier sessions, one JSON string per line,
 * never instructions. Also what the transcript reader strips again, so that captured turns never
 * hold omem's own injections and memories never echo themselves.
 */
public final class MemoryBlock {
  public static final String OPEN = "<omem-memories>";
  public static final String CLOSE = "</omem-memories>";

  /** A whole block, or an unclosed one to the end of the text (a client may cut long context). */
  private static final Pattern BLOCK =
      Pattern.compile("<omem-memories>.*?(?:</omem-memories>|\\z)", Pattern.DOTALL);

  /** The block's own tags inside a memory: removed, so a memory cannot close the block early. */
  private static final Pattern TAG =
      Pattern.compile("</?\\s*omem-memories\\s*>", Pattern.CASE_INSENSITIVE);

  private static final ObjectMapper JSON = new ObjectMapper();

  private MemoryBlock() {}

  /** {@code text} without omem's injected blocks. */
  public static String strip(String text) {
    if (text == null || !text.contains(OPEN)) {
      return text;
    }
    return BLOCK.matcher(text).replaceAll("");
  }

  /**
   * A memory as one quoted line: whitespace collapsed, at most {@code maxChars} characters of it
   * (cut at a word, with "…"), written as a JSON string so that quotes and newlines inside it stay
   * data.
   */
  static String quote(String content, int maxChars) {
    String t = TAG.matcher(content).replaceAll("").replaceAll("\\s+", " ").strip();
    if (t.length() > maxChars) {
      int cut = t.lastIndexOf(' ', maxChars - 1);
      t = t.substring(0, cut > maxChars / 2 ? cut : maxChars - 1).stripTrailing() + "…";
    }
    try {
      return JSON.writeValueAsString(t);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always serialises", e);
    }
  }

  /**
   * The key a memory's content is remembered by when it was shown to a session (profile facts come
   * without ids): a hash of the content, whitespace collapsed.
   */
  static String contentKey(String content) {
    String t = content.replaceAll("\\s+", " ").strip();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(t.getBytes(StandardCharsets.UTF_8));
      return "c:" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The key a memory is remembered by when it was shown to a session. */
  static String idKey(String id) {
    return "m:" + id;
  }
}
