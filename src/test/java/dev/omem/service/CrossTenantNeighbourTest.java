package dev.omem.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session 16's attacker's review: a tenant of a team server stores a changed version of another
 * tenant's fact. The neighbour check that decides supersession answers from the index's unread
 * writes right after a store and from a per-segment filter cache after a reopen; neither may let
 * one tenant's store see, supersede or archive another's memory. Real store (SQLite, Lucene, the
 * ONNX model); the same change by the owner does supersede (the check is live).
 */
class CrossTenantNeighbourTest {
  private static final String V15 = "We use PostgreSQL 14 for the orders database";
  private static final String V16 = "We use PostgreSQL 16 for the orders database";
  private static final String V17 = "We use PostgreSQL 17 for the orders database";

  @TempDir Path home;
  private final Caller alice = new Caller("tenant-alice", null, "claude-code", "s-a");
  private final Caller mallory = new Caller("tenant-mallory", null, "claude-code", "s-m");

  @Test
  void anotherTenantsChangedFactNeverSupersedesMine() {
    try (LocalMemoryService svc =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
      Memory mine = svc.store(alice, StoreRequest.of(V15));
      // At once: alice's write is still unread by the index's reader.
      Memory theirs = svc.store(mallory, StoreRequest.of(V16));
      assertNotEquals(mine.id(), theirs.id());
      assertUntouched(svc, mine);
      // After a reopen: the neighbour filter now comes from the per-segment cache.
      svc.search(alice, SearchRequest.of("orders database"));
      svc.search(mallory, SearchRequest.of("orders database"));
      svc.store(mallory, StoreRequest.of(V17));
      assertUntouched(svc, mine);
      assertTrue(
          svc.search(mallory, SearchRequest.of("orders database")).results().stream()
              .noneMatch(r -> r.memory().id().equals(mine.id())),
          "mallory's search never shows alice's memory");

      // The owner's own change does supersede: the check is live.
      Memory changed = svc.store(alice, StoreRequest.of(V16));
      assertEquals(changed.id(), row(svc, mine.id()).supersededBy(), "alice's own change");
    }
  }

  private static void assertUntouched(LocalMemoryService svc, Memory mine) {
    Memory now = row(svc, mine.id());
    assertEquals(MemoryState.ACTIVE, now.state(), now.toString());
    assertNull(now.supersededBy(), now.toString());
    assertEquals(V15, now.content());
  }

  /** Alice's row, read with a list (a get would confirm it). */
  private static Memory row(LocalMemoryService svc, String id) {
    for (String state : java.util.List.of("active", "archived")) {
      for (Memory m :
          svc.list(
                  new Caller("tenant-alice", null, "claude-code", "reader"),
                  ListRequest.builder().limit(50).offset(0).state(state).build())
              .memories()) {
        if (m.id().equals(id)) {
          return m;
        }
      }
    }
    throw new AssertionError("no memory " + id);
  }
}
