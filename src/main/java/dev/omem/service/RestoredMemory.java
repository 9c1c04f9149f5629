package dev.omem.service;

import dev.omem.domain.Memory;
import java.time.Instant;

/**
 * What a restore believes of a memory's numbers (an omem file's, {@link Importer}; a backup's row,
 * {@link StoreRestore#embedAndScreen}): no more than a write through the service could have given
 * it. A doctored file otherwise buys a memory the first place for every query it is a candidate for
 * (importance 10⁶ multiplies its score), or freshness for ever (a time after the restore reads as
 * "used just now" to decay and as the latest to every recency order). The text's vector and flag
 * are computed again elsewhere; a memory's confirmation is kept, as an import of items stores them
 * confirmed too: a restore is the user storing them on purpose.
 */
final class RestoredMemory {
  private RestoredMemory() {}

  /**
   * {@code m} with importance and confidence in [0, 1], no time after {@code now}, no count < 0.
   */
  static Memory believable(Memory m, Instant now) {
    Memory b =
        m.toBuilder()
            .importance(unit(m.importance(), 0.5))
            .confidence(unit(m.confidence(), 0.5))
            .accessCount(Math.max(0, m.accessCount()))
            .lastAccessedAt(notAfter(m.lastAccessedAt(), now))
            .invalidatedAt(notAfter(m.invalidatedAt(), now))
            .createdAt(notAfter(m.createdAt(), now))
            .updatedAt(notAfter(m.updatedAt(), now))
            .build();
    return b.equals(m) ? m : b;
  }

  /** {@code v} within [0, 1]; NaN (no number at all) is the service's default. */
  private static double unit(double v, double dflt) {
    return Double.isNaN(v) ? dflt : Math.max(0, Math.min(1, v));
  }

  private static Instant notAfter(Instant t, Instant now) {
    return t != null && t.isAfter(now) ? now : t;
  }
}
