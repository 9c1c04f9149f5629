package dev.omem.domain;

import java.util.Locale;

/** How a memory came to be: stored on purpose, extracted, or a raw session turn. */
public enum MemoryType {
  PINNED,
  INSIGHT,
  SESSION;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MemoryType fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
