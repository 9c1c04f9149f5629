package dev.omem.store;

import java.util.Locale;
import java.util.Optional;

/** Sort keys of {@code GET /v1/memories} and {@code memory_list}, as ourmem names them. */
public enum ListSort {
  CREATED_AT,
  UPDATED_AT,
  IMPORTANCE,
  ACCESS_COUNT;

  public static Optional<ListSort> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(s.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
