package dev.omem.service;

import dev.omem.index.IndexDamage;
import dev.omem.index.IndexStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index section of {@code omem doctor}: whether every index file's checksum held, which files
 * were damaged and how, and what was done about it.
 */
final class IndexReport {
  private IndexReport() {}

  /** {@code index_check} ("ok" or "damaged"), {@code index_damage}, {@code index_repair}. */
  static Map<String, Object> of(IndexStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index_check", s.damage().isEmpty() ? "ok" : "damaged");
    if (!s.damage().isEmpty()) {
      out.put("index_damage", s.damage().stream().map(IndexDamage::toString).toList());
    }
    String repair =
        switch (s.phase()) {
          case HEALTHY ->
              s.rebuilds() == 0
                  ? "none needed"
                  : "rebuilt from the store (" + s.reason() + "); searches use it again";
          case CHECKING, REBUILDING ->
              s.describe() + ", continuing in the background; searches answer from the store";
          case FAILED -> s.describe();
        };
    out.put("index_repair", repair);
    return out;
  }

  /** The section when the check itself could not run: said, never thrown. */
  static Map<String, Object> failed(RuntimeException e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index_check", "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    return out;
  }
}
