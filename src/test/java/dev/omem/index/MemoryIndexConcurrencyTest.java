package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches running at once right after a write all see it. (Found by the MCP-over-HTTP end-to-end
 * test: of several concurrent searches after concurrent stores, only the first reopened the reader
 * and the others searched the old one and found nothing.)
 */
class MemoryIndexConcurrencyTest {
  private static final int ROUNDS = 40;
  private static final int SEARCHERS = 8;

  @TempDir Path dir;

  @Test
  void concurrentSearchesAfterAWriteAllSeeIt() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SEARCHERS);
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      MemoryFilter filter = MemoryFilter.activeOf("t");
      // Enough documents that a reopen takes a moment.
      for (int i = 0; i < 200; i++) {
        index.upsert(stored("filler text number " + i + " about gadgets"), "m");
      }
      index.markApplied(200);
      assertEquals(200, index.count());
      for (int round = 0; round < ROUNDS; round++) {
        // Letters only: the analyzer also indexes "zorblax1" as "zorblax" and "1".
        String word = "zorblax" + (char) ('a' + round % 26) + (char) ('a' + round / 26);
        Memory m = memory("the codename " + word + " belongs to round " + round);
        index.upsert(new StoredMemory(m, null, null), "m");
        index.markApplied(201 + round);
        CyclicBarrier start = new CyclicBarrier(SEARCHERS);
        List<Future<List<IndexHit>>> searches = new ArrayList<>();
        for (int s = 0; s < SEARCHERS; s++) {
          searches.add(
              pool.submit(
                  () -> {
                    start.await();
                    return index.searchText(word, filter, 5);
                  }));
        }
        for (Future<List<IndexHit>> f : searches) {
          List<IndexHit> hits = f.get();
          assertEquals(1, hits.size(), "round " + round + ": a search missed the new memory");
          assertEquals(m.id(), hits.get(0).id());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static StoredMemory stored(String content) {
    return new StoredMemory(memory(content), null, null);
  }

  private static Memory memory(String content) {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    return Memory.builder()
        .id(UUID.randomUUID().toString())
        .tenantId("t")
        .spaceId("personal/t")
        .content(content)
        .category(Category.ENTITIES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .tags(List.of())
        .scope("global")
        .version(1)
        .createdAt(t)
        .updatedAt(t)
        .build();
  }
}
