package dev.omem.lifecycle;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import java.time.Instant;

/**
 * Promotion and demotion between peripheral, working and core, one step per pass.
 *
 * <ul>
 *   <li>Promotion (ourmem's rules): peripheral → working at ≥ {@value #WORKING_ACCESSES} accesses;
 *       working → core at ≥ {@value #CORE_ACCESSES} accesses with importance ≥ {@value
 *       #CORE_IMPORTANCE}. It also needs the composite (computed as in the new tier) to be at least
 *       that tier's keep threshold, or a memory demoted for disuse would climb back at the next
 *       pass on its old accesses; a fresh access lifts it again.
 *   <li>Demotion (omem's own numbers: ourmem's reference gives floors, not demotion rules, and its
 *       floors bound the score from below, see {@link Decay#floored}): one step down when the raw
 *       composite falls below the tier's keep threshold, core {@value #KEEP_CORE}, working {@value
 *       #KEEP_WORKING}. With default confidence 0.5, a working memory of 3 accesses at importance
 *       0.5 drops after about 90 days unused; a core memory of 10 accesses at importance 0.8 after
 *       about a year. Peripheral is the bottom: decay alone never archives.
 *   <li>Pinned memories (explicitly stored ones) are never demoted below working: once one has
 *       proved useful it stays out of the fast-fading tier.
 * </ul>
 */
public final class Tiers {
  private Tiers() {}

  public static final int WORKING_ACCESSES = 3;
  public static final int CORE_ACCESSES = 10;
  public static final double CORE_IMPORTANCE = 0.8;
  public static final double KEEP_CORE = 0.6;
  public static final double KEEP_WORKING = 0.4;

  /** The tier {@code m} should have at {@code now}: its own, or one step up or down. */
  public static Tier next(Memory m, Instant now) {
    switch (m.tier()) {
      case PERIPHERAL -> {
        if (m.accessCount() >= WORKING_ACCESSES && keeps(m.withTier(Tier.WORKING), now)) {
          return Tier.WORKING;
        }
        return Tier.PERIPHERAL;
      }
      case WORKING -> {
        if (m.accessCount() >= CORE_ACCESSES
            && m.importance() >= CORE_IMPORTANCE
            && keeps(m.withTier(Tier.CORE), now)) {
          return Tier.CORE;
        }
        if (!keeps(m, now) && m.memoryType() != MemoryType.PINNED) {
          return Tier.PERIPHERAL;
        }
        return Tier.WORKING;
      }
      case CORE -> {
        return keeps(m, now) ? Tier.CORE : Tier.WORKING;
      }
    }
    throw new IllegalStateException("unknown tier " + m.tier());
  }

  /** Whether {@code m}'s composite is at least its tier's keep threshold. */
  static boolean keeps(Memory m, Instant now) {
    double keep =
        switch (m.tier()) {
          case CORE -> KEEP_CORE;
          case WORKING -> KEEP_WORKING;
          case PERIPHERAL -> 0;
        };
    return Decay.composite(m, now) >= keep;
  }
}
