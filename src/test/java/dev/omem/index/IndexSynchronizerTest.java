package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery of the derived index: crash before commit, index deleted, index corrupted. */
class IndexSynchronizerTest {
  static final String MODEL = "test-model";
  static final int N = 60;

  @TempDir Path home;
  Database db;
  MemoryRepository repo;
  final List<Memory> memories = new ArrayList<>();
  final List<float[]> vectors = new ArrayList<>();

  @BeforeEach
  void fill() {
    db = Database.open(home);
    repo = new SqliteMemoryRepository(db);
    Random rnd = new Random(42);
    for (int i = 0; i < N; i++) {
      Instant t = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
      Memory m =
          Memory.builder()
              .id(UUID.randomUUID().toString())
              .tenantId("t")
              .spaceId("personal/t")
              .content("fact number" + i + " about widget" + i)
              .category(Category.ENTITIES)
              .memoryType(MemoryType.PINNED)
              .state(MemoryState.ACTIVE)
              .tier(Tier.PERIPHERAL)
              .importance(0.5)
              .confidence(0.5)
              .accessCount(0)
              .tags(List.of("tag" + (i % 3)))
              .scope("global")
              .version(1)
              .createdAt(t)
              .updatedAt(t)
              .build();
      float[] v = unit(rnd, 8);
      memories.add(m);
      vectors.add(v);
      repo.apply(new MemoryWrite().insert(new StoredMemory(m, v, MODEL)), null);
    }
  }

  @AfterEach
  void close() {
    db.close();
  }

  Path indexDir() {
    return home.resolve("index");
  }

  static float[] unit(Random rnd, int dims) {
    float[] v = new float[dims];
    double n = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = (float) rnd.nextGaussian();
      n += v[i] * v[i];
    }
    for (int i = 0; i < dims; i++) {
      v[i] /= (float) Math.sqrt(n);
    }
    return v;
  }

  void assertEverythingFound(IndexSynchronizer sync) {
    assertTrue(sync.awaitHealthy(java.time.Duration.ofSeconds(30)), "rebuilt");
    MemoryIndex idx = sync.index();
    assertEquals(N, idx.count());
    assertEquals(0, sync.lag());
    MemoryFilter f = MemoryFilter.activeOf("t");
    for (int i = 0; i < N; i += 7) {
      List<IndexHit> text = idx.searchText("widget" + i, f, 3);
      assertEquals(memories.get(i).id(), text.get(0).id(), "BM25 finds memory " + i);
      List<IndexHit> knn = idx.searchVector(vectors.get(i), f, 1);
      assertEquals(memories.get(i).id(), knn.get(0).id(), "its stored vector is indexed");
      assertEquals(1.0, knn.get(0).score(), 1e-4, "reported score is the cosine");
    }
  }

  @Test
  void catchesUpFromTheChangeLogAfterACrashBeforeTheIndexCommit() {
    IndexSynchronizer first = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(first);
    first.commit();
    // More writes are acknowledged (in SQLite) but the index dies before committing them.
    Memory extra = memories.get(0);
    Memory changed =
        extra.edited("rewritten text mentions gizmo", null, null, null, null, Instant.now());
    repo.apply(new MemoryWrite().rewrite(changed, false, null, null), null);
    first.catchUp();
    first.abandon();

    IndexSynchronizer second = IndexSynchronizer.open(repo, indexDir(), MODEL);
    List<IndexHit> hits = second.index().searchText("gizmo", MemoryFilter.activeOf("t"), 5);
    assertEquals(List.of(extra.id()), hits.stream().map(IndexHit::id).toList());
    assertEquals(N, second.index().count());
    second.close();
  }

  /**
   * A catch-up reads the log in batches and stops at the first short one (no second, empty read per
   * store, session 23): a log longer than two batches is applied whole, and the next catch-up finds
   * nothing.
   */
  @Test
  void aCatchUpLongerThanOneBatchAppliesEveryChange() {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(sync);
    int more = 2 * IndexSynchronizer.BATCH + 7;
    MemoryWrite w = new MemoryWrite();
    Random rnd = new Random(7);
    for (int i = 0; i < more; i++) {
      Memory m =
          memories.get(0).toBuilder().id(UUID.randomUUID().toString()).content("bulk " + i).build();
      w.insert(new StoredMemory(m, unit(rnd, 8), MODEL));
    }
    repo.apply(w, null);
    sync.catchUp();
    assertEquals(0, sync.lag(), "every change applied");
    assertEquals(N + more, sync.index().count());
    assertEquals(0, sync.catchUp(), "nothing left after the log's end");
    sync.close();
  }

  /**
   * A writer's own insert, when it is the only change pending, is applied as the writer holds it
   * (no read-back, issue 19); with another change pending, or under another seq, every row is read
   * from the store. Held rows whose text differs from the stored one show which was applied.
   */
  @Test
  void aWritersHeldRowIsAppliedOnlyWhenItsInsertIsTheOnlyChangePending() {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(sync);
    MemoryFilter f = MemoryFilter.activeOf("t");
    Random rnd = new Random(9);

    Memory a = fresh("stored alpha");
    StoredMemory rowA = new StoredMemory(a, unit(rnd, 8), MODEL);
    long seqA = repo.apply(new MemoryWrite().insert(rowA), null);
    assertEquals(1, sync.catchUp(held(rowA, "zebra"), seqA));
    assertEquals(List.of(a.id()), ids(sync.index().searchText("zebra", f, 5)), "held, not read");

    // Another writer's change is pending before this one's: both are read from the store.
    Memory b = fresh("stored beta");
    repo.apply(new MemoryWrite().insert(new StoredMemory(b, unit(rnd, 8), MODEL)), null);
    Memory c = fresh("stored gamma");
    StoredMemory rowC = new StoredMemory(c, unit(rnd, 8), MODEL);
    long seqC = repo.apply(new MemoryWrite().insert(rowC), null);
    assertEquals(2, sync.catchUp(held(rowC, "yak"), seqC));
    assertEquals(List.of(), ids(sync.index().searchText("yak", f, 5)), "read from the store");
    assertEquals(List.of(c.id()), ids(sync.index().searchText("gamma", f, 5)));

    // A held row under a seq other than the pending change's: read from the store.
    Memory d = fresh("stored delta");
    StoredMemory rowD = new StoredMemory(d, unit(rnd, 8), MODEL);
    long seqD = repo.apply(new MemoryWrite().insert(rowD), null);
    assertEquals(1, sync.catchUp(held(rowD, "quokka"), seqD - 1));
    assertEquals(List.of(), ids(sync.index().searchText("quokka", f, 5)));
    assertEquals(List.of(d.id()), ids(sync.index().searchText("delta", f, 5)));

    // The row the store changed after the writer's insert (its later change is pending too).
    Memory e = fresh("stored epsilon");
    StoredMemory rowE = new StoredMemory(e, unit(rnd, 8), MODEL);
    long seqE = repo.apply(new MemoryWrite().insert(rowE), null);
    Memory edited = e.edited("rewritten epsilon", null, null, null, null, Instant.now());
    repo.apply(new MemoryWrite().rewrite(edited, false, null, null), null);
    assertEquals(2, sync.catchUp(rowE, seqE));
    assertEquals(List.of(e.id()), ids(sync.index().searchText("rewritten", f, 5)));
    assertEquals(0, sync.lag());
    sync.close();
  }

  private Memory fresh(String content) {
    return memories.get(0).toBuilder().id(UUID.randomUUID().toString()).content(content).build();
  }

  private static StoredMemory held(StoredMemory row, String content) {
    return new StoredMemory(
        row.memory().toBuilder().content(content).build(), row.vector(), row.model());
  }

  private static List<String> ids(List<IndexHit> hits) {
    return hits.stream().map(IndexHit::id).toList();
  }

  @Test
  void rebuildsAMissingIndexFromStoredVectors() throws IOException {
    IndexSynchronizer.open(repo, indexDir(), MODEL).close();
    MemoryIndex.wipe(indexDir());
    Files.delete(indexDir());
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(sync);
    sync.close();
  }

  @Test
  void rebuildsACorruptedIndex() throws IOException {
    IndexSynchronizer.open(repo, indexDir(), MODEL).close();
    try (Stream<Path> files = Files.list(indexDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.write(f, "garbage, not a Lucene file".getBytes());
      }
    }
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(sync);
    sync.close();
  }

  @Test
  void anIndexOlderThanThePrunedChangeLogIsRebuilt() throws IOException {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    sync.close(); // commits and prunes the log
    assertTrue(repo.changesAfter(0, 10).isEmpty(), "log pruned after the commit");
    // Replace the index by an empty one: its seq 0 is older than the pruned log.
    MemoryIndex.wipe(indexDir());
    try (MemoryIndex empty = MemoryIndex.open(indexDir())) {
      empty.commit();
    }
    IndexSynchronizer again = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEverythingFound(again);
    again.close();
  }

  @Test
  void aRebuildAfterTheLogWasPrunedEmptyIsNotRebuiltAgainOnTheNextOpen() {
    IndexSynchronizer.open(repo, indexDir(), MODEL).close(); // commits and prunes the whole log
    assertTrue(repo.changesAfter(0, 10).isEmpty());
    try (IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL)) {
      assertEquals(N, sync.rebuild());
    }
    try (IndexSynchronizer again = IndexSynchronizer.open(repo, indexDir(), MODEL)) {
      assertEquals(IndexStatus.Phase.HEALTHY, again.status().phase(), again.status().toString());
      assertEquals(0, again.status().rebuilds());
      assertEverythingFound(again);
    }
  }

  @Test
  void vectorsOfAnotherModelAreNotIndexed() {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), "another-model");
    assertEquals(N, sync.index().count());
    assertTrue(
        sync.index().searchVector(vectors.get(0), MemoryFilter.activeOf("t"), 3).isEmpty(),
        "a vector space of another model must not be searched");
    sync.close();
  }

  @Test
  void vectorsOfTheSameModelMadeByAnotherRuntimeServeUntilReembedded() {
    // The store's rows say MODEL alone (made before the runtime was recorded); this process's
    // embedder records MODEL@onnxruntime-1.20.0. Until the backfill redoes them, they are searched.
    IndexSynchronizer sync =
        IndexSynchronizer.open(
            repo, indexDir(), dev.omem.domain.VectorModel.of(MODEL, "onnxruntime-1.20.0"));
    assertEverythingFound(sync);
    sync.close();
  }
}
