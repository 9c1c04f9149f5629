package dev.omem.store;

import java.util.Locale;
import java.util.Optional;

/** Sort keys of {@code GET /v1/memories} and {@code memory_list}, as ourmem names them. */
public enum ListSort {
  CREATED_AT("created_at"),
  UPDATED_AT("updated_at"),
  IMPORTANCE("importance"),
  ACCESS_COUNT("access_count");

  private final String column;

  ListSort(String column) {
    this.column = column;
  }

  String column() {
    return column;
  }

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
