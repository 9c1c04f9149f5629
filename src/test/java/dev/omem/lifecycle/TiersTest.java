package dev.omem.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TiersTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Memory memory(MemoryType type, Tier tier, double importance, long accesses) {
    return Memory.builder()
        .id("m")
        .tenantId("t")
        .spaceId("s")
        .content("c")
        .category(Category.PREFERENCES)
        .memoryType(type)
        .state(MemoryState.ACTIVE)
        .tier(tier)
        .importance(importance)
        .confidence(0.5)
        .accessCount(accesses)
        .lastAccessedAt(accesses == 0 ? null : T0)
        .scope("global")
        .version(1)
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  static Instant days(double d) {
    return T0.plus(Duration.ofMillis((long) (d * 86_400_000)));
  }

  @Test
  void promotionFollowsOurmemsThresholds() {
    assertEquals(
        Tier.PERIPHERAL, Tiers.next(memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 2), T0));
    assertEquals(Tier.WORKING, Tiers.next(memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 3), T0));
    assertEquals(Tier.WORKING, Tiers.next(memory(MemoryType.SESSION, Tier.WORKING, 0.5, 20), T0));
    assertEquals(Tier.WORKING, Tiers.next(memory(MemoryType.SESSION, Tier.WORKING, 0.8, 9), T0));
    assertEquals(Tier.CORE, Tiers.next(memory(MemoryType.SESSION, Tier.WORKING, 0.8, 10), T0));
  }

  @Test
  void demotionFollowsTheCompositeAndNeverDropsAPinnedMemoryToPeripheral() {
    Memory working = memory(MemoryType.SESSION, Tier.WORKING, 0.5, 3);
    assertEquals(Tier.WORKING, Tiers.next(working, days(60)));
    assertEquals(Tier.PERIPHERAL, Tiers.next(working, days(120)));
    assertEquals(
        Tier.WORKING, Tiers.next(memory(MemoryType.PINNED, Tier.WORKING, 0.5, 3), days(1000)));
    Memory core = memory(MemoryType.PINNED, Tier.CORE, 0.8, 10);
    assertEquals(Tier.CORE, Tiers.next(core, days(200)));
    assertEquals(Tier.WORKING, Tiers.next(core, days(500)));
  }

  @Test
  void aDemotedMemoryDoesNotClimbBackOnOldAccesses() {
    Memory demoted = memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 3);
    assertEquals(Tier.PERIPHERAL, Tiers.next(demoted, days(120)));
  }

  @Test
  void compositeIsOurmemsWeightingAndTheFloorBoundsItFromBelow() {
    Memory m = memory(MemoryType.SESSION, Tier.CORE, 0.8, 10);
    assertEquals(0.4 + 0.3 + 0.3 * 0.8 * 0.5, Decay.composite(m, T0), 1e-9);
    assertEquals(0.9, Decay.floored(m, T0), 1e-9);
    assertEquals(0, Decay.frequency(0));
    assertEquals(1, Decay.frequency(10));
    assertTrue(Decay.frequency(3) > 0.5 && Decay.frequency(3) < 0.6);
  }
}
