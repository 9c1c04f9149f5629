package dev.omem.portable;

import dev.omem.domain.OmemException;
import java.util.Locale;

/**
 * How a Markdown file becomes memories: one per bullet or paragraph ({@code atomic}, also what
 * {@code auto} means), one per section ({@code section}), or one for the whole file ({@code
 * document}).
 */
public enum Strategy {
  AUTO,
  ATOMIC,
  SECTION,
  DOCUMENT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The strategy named {@code s}; null or blank is {@code auto}. */
  public static Strategy parse(String s) {
    if (s == null || s.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw OmemException.invalid(
          "unknown strategy '" + s + "'; use auto, atomic, section or document");
    }
  }
}
