package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a memory is about; the six categories of ourmem's Memory JSON. */
public enum Category {
  PROFILE,
  PREFERENCES,
  ENTITIES,
  EVENTS,
  CASES,
  PATTERNS;

  /** The lower-case name used on the wire and in the store. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name, case-insensitively; empty when it names no category. */
  public static Optional<Category> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    String t = s.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.name().equals(t)).findFirst();
  }

  /** The category a wire name names, or null when it names none (a newer server's). */
  @JsonCreator
  static Category ofWire(String s) {
    return parse(s).orElse(null);
  }

  /** The accepted names, for error messages and schemas. */
  public static String names() {
    return Arrays.stream(values()).map(Category::wire).collect(Collectors.joining(", "));
  }

  /** Profile and preference facts hold everywhere, so they default to the global scope. */
  public boolean isGlobalByDefault() {
    return this == PROFILE || this == PREFERENCES;
  }
}
