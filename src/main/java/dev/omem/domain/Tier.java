package dev.omem.domain;

import java.util.Locale;

/** Decay tier: core memories fade slowest, peripheral ones fastest. */
public enum Tier {
  CORE,
  WORKING,
  PERIPHERAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
