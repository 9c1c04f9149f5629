package dev.omem.domain;

import java.util.Locale;

/** Lifecycle state. Only {@link #ACTIVE} memories appear in search unless asked for. */
public enum MemoryState {
  ACTIVE,
  ARCHIVED,
  DELETED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MemoryState fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
