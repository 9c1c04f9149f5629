package dev.omem.index;

import java.util.List;

/**
 * What the index is doing, for search traces, health and {@code omem doctor}.
 *
 * @param percent how much of a running rebuild is done (100 when none runs)
 * @param damage what the last check that failed found since the index opened (empty if none)
 * @param reason why the index was last checked or rebuilt; null if never
 * @param rebuilds rebuilds from the store since the index opened
 */
public record IndexStatus(
    Phase phase, int percent, List<IndexDamage> damage, String reason, int rebuilds) {

  public enum Phase {
    /** Lucene answers searches and takes writes. */
    HEALTHY,
    /** A read or write failed; the checksums are being verified. The store answers meanwhile. */
    CHECKING,
    /** The index is rebuilt from the store's rows and vectors. The store answers meanwhile. */
    REBUILDING,
    /** The rebuild failed (disk full, no permission); it is tried again. The store answers. */
    FAILED
  }

  public IndexStatus {
    damage = List.copyOf(damage);
  }

  /** "ok", "rebuilding, 40%", "checking after a failure" or "unavailable, …" */
  public String describe() {
    return switch (phase) {
      case HEALTHY -> "ok";
      case CHECKING -> "checking the index after a failure";
      case REBUILDING -> "rebuilding, " + percent + "%";
      case FAILED -> "index unavailable (" + reason + "); rebuilding again soon";
    };
  }
}
