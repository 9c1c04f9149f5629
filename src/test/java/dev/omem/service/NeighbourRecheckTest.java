package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.domain.Trust;
import dev.omem.ingest.ReconcileJudge.Neighbour;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check a store makes under the write lock, on a real SQLite store and its change log: the
 * writes since the search before the lock are merged in (nearest first, only the candidate's tenant
 * and scopes), and a change to one of the earlier hits sends the caller back to search.
 */
class NeighbourRecheckTest {
  static final String TENANT = "t1";
  static final String SCOPE = "project:omem";

  @TempDir Path home;
  Storage storage;
  MemoryRepository repo;
  NeighbourRecheck recheck;

  @BeforeEach
  void open() {
    storage = SqliteStorage.open(home);
    repo = storage.memories();
    recheck = new NeighbourRecheck(repo);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  /** A unit vector in 4 dimensions: cos(angle) against {@link #query}. */
  static float[] at(double cos) {
    return new float[] {(float) cos, (float) Math.sqrt(1 - cos * cos), 0, 0};
  }

  static final float[] QUERY = {1, 0, 0, 0};

  static Memory memory(String id, String tenant, String scope, String content) {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    return Memory.builder()
        .id(id)
        .tenantId(tenant)
        .spaceId("personal/" + tenant)
        .content(content)
        .category(Category.PREFERENCES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.7)
        .tags(List.of())
        .scope(scope)
        .createdAt(at)
        .updatedAt(at)
        .trust(new Trust(false, "unconfirmed"))
        .build();
  }

  long write(Memory m, float[] v) {
    return repo.apply(new MemoryWrite().insert(new StoredMemory(m, v, "model-a")), null);
  }

  /** The candidate as the search before the lock left it: one neighbour, seen at {@code seq}. */
  FactWriter.Prepared prepared(long seq, Neighbour earlier) {
    FactWriter.Candidate c =
        new FactWriter.Candidate(
            "we build with gradle",
            Category.PREFERENCES,
            List.of(),
            SCOPE,
            0.5,
            0.9,
            null,
            MemoryType.PINNED);
    return new FactWriter.Prepared(
        c,
        QUERY,
        "model-a",
        List.of(earlier),
        new NeighbourRecheck.Seen(seq, Set.of(earlier.id())));
  }

  @Test
  void aWriteSinceTheSearchIsMergedInNearestFirst() {
    long seq = write(memory("m-old", TENANT, SCOPE, "we build with maven"), at(0.6));
    Neighbour old = new Neighbour("m-old", "we build with maven", Category.PREFERENCES, 0.6, true);
    FactWriter.Prepared p = prepared(seq, old);
    write(memory("m-new", TENANT, SCOPE, "we build with gradle now"), at(0.95));
    write(memory("m-global", TENANT, "global", "gradle everywhere"), at(0.8));
    write(memory("m-other-scope", TENANT, "project:other", "gradle there"), at(0.99));
    write(memory("m-other-tenant", "t2", SCOPE, "gradle for them"), at(0.99));

    FactWriter.Prepared now = recheck.since(TENANT, p).orElseThrow();

    assertEquals(
        List.of("m-new", "m-global", "m-old"),
        now.neighbours().stream().map(Neighbour::id).toList(),
        "written since: in its scope or global, of its tenant, nearest first");
    assertEquals(0.95, now.neighbours().get(0).similarity(), 1e-6);
  }

  @Test
  void nothingWrittenSinceKeepsTheNeighboursItFound() {
    long seq = write(memory("m-old", TENANT, SCOPE, "we build with maven"), at(0.6));
    Neighbour old = new Neighbour("m-old", "we build with maven", Category.PREFERENCES, 0.6, true);
    FactWriter.Prepared p = prepared(seq, old);

    assertEquals(List.of(old), recheck.since(TENANT, p).orElseThrow().neighbours());
  }

  @Test
  void aChangedEarlierHitMeansSearchingAgain() {
    Memory m = memory("m-old", TENANT, SCOPE, "we build with maven");
    long seq = write(m, at(0.6));
    Neighbour old = new Neighbour("m-old", "we build with maven", Category.PREFERENCES, 0.6, true);
    FactWriter.Prepared p = prepared(seq, old);
    // archived meanwhile: the memory ranked sixth before may now be among the five nearest
    repo.apply(new MemoryWrite().rewrite(m.toBuilder().state(MemoryState.ARCHIVED).build()), null);

    assertEquals(Optional.empty(), recheck.since(TENANT, p));
  }

  @Test
  void noEarlierSearchOrTooManyChangesMeansSearchingAgain() {
    long seq = write(memory("m-old", TENANT, SCOPE, "we build with maven"), at(0.6));
    Neighbour old = new Neighbour("m-old", "we build with maven", Category.PREFERENCES, 0.6, true);
    FactWriter.Prepared p = prepared(seq, old);
    FactWriter.Prepared unseen =
        new FactWriter.Prepared(p.candidate(), QUERY, "model-a", List.of(old), null);
    assertEquals(Optional.empty(), recheck.since(TENANT, unseen));

    for (int i = 0; i <= NeighbourRecheck.MAX_CHANGES; i++) {
      write(memory("m-" + i, "t2", SCOPE, "other tenant's fact " + i), at(0.1));
    }
    assertEquals(Optional.empty(), recheck.since(TENANT, p));
  }
}
