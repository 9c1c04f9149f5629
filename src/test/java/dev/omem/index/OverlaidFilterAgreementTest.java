package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.store.StoredMemory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Since session 15 every search answers the writes the reader does not show yet from memory, with a
 * filter applied in Java ({@link UnreadWrites#anyMatches}) beside the Lucene filter the reader's
 * documents go through ({@link LuceneFilters}). The two must select the same memories: otherwise
 * another tenant's, another project's or a forgotten memory shows in a search until the next
 * reopen, and vanishes after it. Each filter is asked before and after the reopen; the answers must
 * be the same.
 */
class OverlaidFilterAgreementTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final String[] TENANTS = {"alice", "bob"};
  private static final String[] SCOPES = {"global", "project:a", "project:b"};
  private static final String[] TAGS = {"db", "ci", "ui"};
  private static final String[] AGENTS = {"claude", "cursor"};
  private static final String[] SOURCES = {"store", "ingest"};

  @TempDir Path dir;

  @Test
  void unreadWritesPassTheSameFiltersAsTheReadersDocuments() throws Exception {
    TestVectors vectors = new TestVectors(16, 3);
    Random random = new Random(5);
    List<MemoryFilter> filters = filters();
    try (MemoryIndex index = MemoryIndex.open(dir)) {
      index.markApplied(1);
      index.refresh(); // an empty reader: every memory below is an unread write
      for (int i = 0; i < 60; i++) {
        index.upsert(varied(vectors, random, i), "m");
      }
      index.markApplied(2);
      float[] probe = TestVectors.unit(vectors.randomVector());
      List<Set<String>> unread = new ArrayList<>();
      for (MemoryFilter f : filters) {
        unread.add(ids(index.searchVector(probe, List.of(f), 100)));
        unread.add(ids(index.searchText("fact db ci ui", f, 100)));
      }
      assertTrue(index.unreadWritesKept() > 0, "the searches above must not have reopened");

      index.refresh();
      assertEquals(0, index.unreadWritesKept());
      int i = 0;
      for (MemoryFilter f : filters) {
        assertEquals(
            unread.get(i++), ids(index.searchVector(probe, List.of(f), 100)), "vector: " + f);
        assertEquals(unread.get(i++), ids(index.searchText("fact db ci ui", f, 100)), "text: " + f);
      }
      // The filters are not vacuous: alice's search never holds bob's memories, and some
      // filters select part of a tenant's memories only.
      Set<String> alice = unread.get(0);
      Set<String> bob = unread.get(2);
      assertFalse(alice.isEmpty());
      assertFalse(bob.isEmpty());
      assertTrue(alice.stream().noneMatch(bob::contains));
    }
  }

  /** A tenant's whole partition first, then each field narrowed on its own and together. */
  private static List<MemoryFilter> filters() {
    List<MemoryFilter> out = new ArrayList<>();
    for (String tenant : TENANTS) {
      out.add(MemoryFilter.activeOf(tenant));
    }
    out.add(MemoryFilter.builder("alice").scopes(Set.of("project:a", "global")).build());
    out.add(MemoryFilter.builder("alice").tags(List.of("db")).build());
    out.add(MemoryFilter.builder("alice").tags(List.of("db", "ci")).build());
    out.add(MemoryFilter.builder("alice").categories(Set.of(Category.PREFERENCES)).build());
    out.add(
        MemoryFilter.builder("alice")
            .states(Set.of(MemoryState.ACTIVE, MemoryState.ARCHIVED))
            .build());
    out.add(MemoryFilter.builder("bob").states(Set.of(MemoryState.DELETED)).build());
    out.add(MemoryFilter.builder("alice").memoryType(MemoryType.INSIGHT).build());
    out.add(MemoryFilter.builder("alice").source("ingest").build());
    out.add(MemoryFilter.builder("bob").agentId("cursor").build());
    out.add(MemoryFilter.builder("alice").createdAfter(T0.plusSeconds(20 * 3600)).build());
    out.add(MemoryFilter.builder("bob").createdBefore(T0.plusSeconds(30 * 3600)).build());
    out.add(
        MemoryFilter.builder("alice")
            .scopes(Set.of("project:b"))
            .tags(List.of("ui"))
            .createdAfter(T0.plusSeconds(3600))
            .createdBefore(T0.plusSeconds(50 * 3600))
            .build());
    return out;
  }

  private static StoredMemory varied(TestVectors vectors, Random random, int i) {
    StoredMemory base = vectors.stored(TENANTS[i % 2], "global", vectors.randomVector());
    List<String> tags = new ArrayList<>();
    for (String t : TAGS) {
      if (random.nextBoolean()) {
        tags.add(t);
      }
    }
    Instant at = T0.plusSeconds(3600L * i);
    Memory m =
        base.memory().toBuilder()
            .content("a fact about " + String.join(" ", tags))
            .scope(SCOPES[random.nextInt(SCOPES.length)])
            .tags(tags)
            .category(random.nextBoolean() ? Category.PREFERENCES : Category.ENTITIES)
            .state(MemoryState.values()[random.nextInt(MemoryState.values().length)])
            .memoryType(random.nextBoolean() ? MemoryType.INSIGHT : MemoryType.PINNED)
            .source(SOURCES[random.nextInt(SOURCES.length)])
            .agentId(AGENTS[random.nextInt(AGENTS.length)])
            .createdAt(at)
            .updatedAt(at)
            .build();
    return new StoredMemory(m, base.vector(), "m");
  }

  private static Set<String> ids(List<IndexHit> hits) {
    Set<String> out = new TreeSet<>();
    for (IndexHit h : hits) {
      out.add(h.id());
    }
    return out;
  }
}
