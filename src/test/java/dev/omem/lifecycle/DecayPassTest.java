package dev.omem.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecayPassTest {
  @Test
  void expiredMemoriesAreArchivedWithAStepSayingSo() {
    var expired =
        TiersTest.memory(MemoryType.SESSION, Tier.WORKING, 0.5, 0).toBuilder()
            .id("gone")
            .expiresAt(TiersTest.days(1))
            .build();
    DecayPass.Plan plan = DecayPass.plan(List.of(expired), TiersTest.days(1));

    assertEquals(1, plan.examined());
    assertEquals(1, plan.archived());
    assertEquals(Map.of("active->archived", 1L), plan.transitions());
    DecayPass.Change c = plan.changes().get(0);
    assertEquals(MemoryState.ARCHIVED, c.memory().state());
    assertEquals(Tier.WORKING, c.memory().tier(), "archiving keeps the tier");
    assertEquals(TiersTest.days(1), c.memory().updatedAt());
    assertEquals(HistoryEntry.Action.ARCHIVED, c.step().action());
    assertEquals("decay", c.step().source());
    assertEquals("expired", c.step().note());
  }

  @Test
  void tierMovesAreCountedByDirectionAndNamed() {
    var promoted =
        TiersTest.memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 3).toBuilder().id("up").build();
    var unchanged =
        TiersTest.memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 1).toBuilder()
            .id("same")
            .build();
    var notYetExpired =
        TiersTest.memory(MemoryType.SESSION, Tier.PERIPHERAL, 0.5, 1).toBuilder()
            .id("later")
            .expiresAt(TiersTest.days(2))
            .build();
    DecayPass.Plan plan = DecayPass.plan(List.of(promoted, unchanged, notYetExpired), TiersTest.T0);

    assertEquals(3, plan.examined());
    assertEquals(1, plan.promoted());
    assertEquals(0, plan.demoted());
    assertEquals(0, plan.archived());
    assertEquals(Map.of("peripheral->working", 1L), plan.transitions());
    assertEquals(1, plan.changes().size(), "only what moves is written");
    DecayPass.Change c = plan.changes().get(0);
    assertEquals("up", c.memory().id());
    assertEquals(Tier.WORKING, c.memory().tier());
    assertEquals(HistoryEntry.Action.TIER_CHANGED, c.step().action());
    assertEquals("peripheral -> working", c.step().note());
  }

  @Test
  void aLongUnusedWorkingMemoryIsDemoted() {
    var stale =
        TiersTest.memory(MemoryType.SESSION, Tier.WORKING, 0.1, 0).toBuilder().id("old").build();
    DecayPass.Plan plan = DecayPass.plan(List.of(stale), TiersTest.days(365));

    assertEquals(0, plan.promoted());
    assertEquals(1, plan.demoted());
    assertEquals(Map.of("working->peripheral", 1L), plan.transitions());
  }
}
