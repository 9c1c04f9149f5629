package dev.omem.index;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.index.IndexStatus.Phase;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corruptions of issue 12 on a real SQLite store and a real Lucene index of several segments
 * (compound ones and a merged one, so every file type is on disk): bytes flipped in the middle of
 * each file type, truncation, deletion of a file, deletion of the whole folder while running, a
 * writer closed under the index. Each: every memory is still found while the index is rebuilt (the
 * store answers) and after, writes keep working, and the index is whole afterwards.
 */
class IndexHealingTest {
  static final String MODEL = "test-model";
  static final int ROUNDS = 14;
  static final int PER_ROUND = 2;
  static final MemoryFilter ALL = MemoryFilter.activeOf("t");

  /** A store and index built once (14 commits take seconds), copied for each test. */
  @TempDir static Path template;

  static final List<Memory> TEMPLATE_MEMORIES = new ArrayList<>();
  static final List<float[]> TEMPLATE_VECTORS = new ArrayList<>();

  @TempDir Path home;
  Database db;
  MemoryRepository repo;
  final List<Memory> memories = new ArrayList<>();
  final List<float[]> vectors = new ArrayList<>();

  /** Seeded apart from the template's, so that a test's new memories have vectors of their own. */
  Random rnd = new Random(7);

  /** Holds the maintenance thread (commits, checks, rebuilds) until released. */
  final CountDownLatch release = new CountDownLatch(1);

  final ScheduledExecutorService held = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  static void buildTemplate() {
    IndexHealingTest t = new IndexHealingTest();
    t.home = template;
    t.db = Database.open(template);
    t.repo = new SqliteMemoryRepository(t.db);
    // One segment per round; the tiered merge policy merges ten of them into a non-compound one.
    IndexSynchronizer sync = IndexSynchronizer.open(t.repo, t.indexDir(), MODEL);
    for (int r = 0; r < ROUNDS; r++) {
      for (int i = 0; i < PER_ROUND; i++) {
        t.add();
      }
      sync.catchUp();
      sync.commit();
    }
    sync.close();
    t.db.close();
    t.held.shutdownNow();
    TEMPLATE_MEMORIES.addAll(t.memories);
    TEMPLATE_VECTORS.addAll(t.vectors);
  }

  @BeforeEach
  void copyTemplate() throws IOException {
    try (Stream<Path> all = Files.walk(template)) {
      for (Path p : all.toList()) {
        Path to = home.resolve(template.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    rnd = new Random(11);
    memories.addAll(TEMPLATE_MEMORIES);
    vectors.addAll(TEMPLATE_VECTORS);
    db = Database.open(home);
    repo = new SqliteMemoryRepository(db);
    held.execute(
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  @AfterEach
  void close() {
    release.countDown();
    held.shutdownNow();
    db.close();
  }

  Path indexDir() {
    return home.resolve("index");
  }

  Memory add() {
    int i = memories.size();
    Instant t = Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i);
    Memory m =
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId("t")
            .spaceId("personal/t")
            .content("fact number " + i + " about part" + i + "q")
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
    float[] v = IndexSynchronizerTest.unit(rnd, 8);
    memories.add(m);
    vectors.add(v);
    repo.apply(new MemoryWrite().insert(new StoredMemory(m, v, MODEL)), null);
    return m;
  }

  /** The one file of the index whose name ends with {@code suffix} (the largest, if several). */
  Path fileEndingWith(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(indexDir())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .max(Comparator.comparingLong(IndexHealingTest::size))
          .orElseThrow(() -> new AssertionError("no *" + suffix + " file in the index"));
    }
  }

  static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Flips 20 bytes in the middle of the file, keeping its header and footer intact. */
  static void flipMiddle(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long mid = f.length() / 2 - 10;
      byte[] b = new byte[20];
      f.seek(mid);
      f.readFully(b);
      for (int i = 0; i < b.length; i++) {
        b[i] ^= (byte) 0x5A;
      }
      f.seek(mid);
      f.write(b);
    }
  }

  static void truncateToHalf(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Every memory is the first hit of its own word and of its own vector. */
  void assertEveryMemoryFound(IndexSynchronizer sync, boolean fromTheStore) {
    for (int i = 0; i < memories.size(); i++) {
      IndexHits text = sync.searchText("part" + i + "q", ALL, 3);
      assertFalse(text.hits().isEmpty(), "memory " + i + " found by its word");
      assertEquals(memories.get(i).id(), text.hits().get(0).id(), "memory " + i + " by its word");
      IndexHits near = sync.searchVector(vectors.get(i), ALL, 3);
      assertEquals(memories.get(i).id(), near.hits().get(0).id(), "memory " + i + " by vector");
      assertEquals(1.0, near.hits().get(0).score(), 1e-4, "the score is the cosine");
      if (fromTheStore) {
        assertNotNull(text.fallback(), "the trace says the store answered");
        assertTrue(near.fallback().contains("cosine over the stored vectors"), near.fallback());
      } else {
        assertNull(text.fallback(), "Lucene answered");
        assertNull(near.fallback(), "Lucene answered");
      }
    }
  }

  /**
   * Opens the damaged index with the maintenance thread held: it is being rebuilt, the store
   * answers, a store works; then the rebuild runs, and the index is whole and answers again.
   */
  IndexStatus assertHealsOnOpen() throws IOException {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL, held);
    IndexStatus seen = sync.status();
    assertEquals(Phase.REBUILDING, seen.phase(), "a damaged index is rebuilt: " + seen);
    assertEquals("rebuilding, 0%", seen.describe());
    assertEveryMemoryFound(sync, true);
    assertTrue(
        sync.searchText("part1q", ALL, 1).fallback().startsWith("rebuilding, 0%: "),
        "the trace says rebuilding, N%");

    // Stores keep working: SQLite takes the write, the index applies it after the rebuild.
    add();
    assertEquals(0, sync.catchUp(), "nothing applied to an index being rebuilt, and no error");
    assertEveryMemoryFound(sync, true);

    release.countDown();
    assertTrue(sync.awaitHealthy(Duration.ofSeconds(30)), "rebuilt");
    assertEquals(1, sync.status().rebuilds());
    assertEveryMemoryFound(sync, false);
    assertEquals(memories.size(), sync.documents());
    assertEquals(List.of(), sync.index().verify(), "the rebuilt index is whole");
    add();
    sync.catchUp();
    assertEveryMemoryFound(sync, false);
    sync.close();

    // Healthy again for good: the next open finds no damage and rebuilds nothing.
    try (IndexSynchronizer again = IndexSynchronizer.open(repo, indexDir(), MODEL)) {
      assertEquals(Phase.HEALTHY, again.status().phase());
      assertEquals(0, again.status().rebuilds());
      assertEveryMemoryFound(again, false);
    }
    return seen;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".tim", ".tip", ".doc", ".pos", ".fdt", ".fdx", ".fnm", ".kdd", ".nvd", ".vec", ".vex",
        ".vem", ".si"
      })
  void bytesFlippedInTheMiddleOfAFileAreFoundAndHealed(String suffix) throws IOException {
    Path victim = fileEndingWith(suffix);
    flipMiddle(victim);
    IndexStatus seen = assertHealsOnOpen();
    assertTrue(
        seen.damage().stream().anyMatch(d -> d.file().equals(victim.getFileName().toString())),
        "the damage names " + victim.getFileName() + ": " + seen.damage());
  }

  @Test
  void aFlippedSegmentsFileIsFoundAndHealed() throws IOException {
    Path victim = fileEndingWith(segmentsSuffix());
    flipMiddle(victim);
    IndexStatus seen = assertHealsOnOpen();
    assertEquals(victim.getFileName().toString(), seen.damage().get(0).file(), seen.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {".tim", ".fdt", ".vec", ".doc", ".si"})
  void aTruncatedFileIsFoundAndHealed(String suffix) throws IOException {
    Path victim = fileEndingWith(suffix);
    truncateToHalf(victim);
    IndexStatus seen = assertHealsOnOpen();
    assertTrue(
        seen.damage().stream().anyMatch(d -> d.file().equals(victim.getFileName().toString())),
        seen.damage().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {".tim", ".fdt", ".vex", ".vec", ".si"})
  void aDeletedFileIsFoundAndHealed(String suffix) throws IOException {
    Path victim = fileEndingWith(suffix);
    Files.delete(victim);
    IndexStatus seen = assertHealsOnOpen();
    assertTrue(
        seen.damage().stream().anyMatch(d -> d.file().equals(victim.getFileName().toString())),
        seen.damage().toString());
  }

  @Test
  void aDeletedSegmentsFileMeansAnIndexBehindTheStoreAndIsRebuilt() throws IOException {
    Files.delete(fileEndingWith(segmentsSuffix()));
    IndexStatus seen = assertHealsOnOpen();
    assertEquals("older than the change log", seen.reason());
  }

  @Test
  void theIndexFolderDeletedUnderARunningIndexIsRecreated() throws IOException {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    assertEveryMemoryFound(sync, false);
    deleteTree(indexDir());
    // Stores and searches go on, answered by whichever is sound at the moment.
    add();
    sync.catchUp();
    for (int i = 0; i < memories.size(); i++) {
      assertEquals(
          memories.get(i).id(), sync.searchText("part" + i + "q", ALL, 3).hits().get(0).id());
      assertEquals(
          memories.get(i).id(), sync.searchVector(vectors.get(i), ALL, 3).hits().get(0).id());
    }
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (sync.status().rebuilds() == 0 || sync.status().phase() != Phase.HEALTHY) {
      assertTrue(System.nanoTime() < end, "the missing folder was noticed: " + sync.status());
      sleep(50);
    }
    assertTrue(Files.isDirectory(indexDir()), "the folder is back");
    add();
    sync.catchUp();
    assertEveryMemoryFound(sync, false);
    sync.commit();
    assertTrue(
        Files.list(indexDir()).anyMatch(p -> p.getFileName().toString().startsWith("segments_")),
        "committed to the new folder");
    assertEquals(List.of(), sync.index().verify());
    sync.close();
  }

  @Test
  void aWriterClosedUnderTheIndexNeverReachesACallerAndIsRebuilt() {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL, held);
    assertEquals(Phase.HEALTHY, sync.status().phase());
    // What a tragic event does inside Lucene ("this IndexWriter is closed"), done from outside.
    sync.index().abandon();
    add();
    assertEquals(0, sync.catchUp(), "the write fails inside, never to the caller");
    assertEquals(Phase.CHECKING, sync.status().phase());
    assertEveryMemoryFound(sync, true);
    release.countDown();
    assertTrue(sync.awaitHealthy(Duration.ofSeconds(30)), "rebuilt: " + sync.status());
    assertTrue(
        sync.status().damage().stream().anyMatch(d -> d.file().equals("IndexWriter")),
        sync.status().toString());
    assertEveryMemoryFound(sync, false);
    sync.close();
  }

  @Test
  void damageThatBreaksNoReadIsFoundByTheCheckOfARunningIndex() throws IOException {
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL);
    flipMiddle(fileEndingWith(".fdt"));
    IndexStatus after = sync.verifyNow(Duration.ofSeconds(30));
    assertEquals(Phase.HEALTHY, after.phase());
    assertEquals(1, after.rebuilds());
    assertTrue(after.damage().get(0).file().endsWith(".fdt"), after.toString());
    assertTrue(after.damage().get(0).problem().contains("checksum"), after.toString());
    assertEveryMemoryFound(sync, false);
    assertEquals(List.of(), sync.index().verify());
    sync.close();
  }

  @Test
  void theFallbackKeepsToTheFilterItIsGiven() throws IOException {
    // Another tenant's memory with the same words and vector is never an answer.
    Memory own = memories.get(3);
    Memory other =
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId("intruder")
            .spaceId("personal/intruder")
            .content(own.content())
            .category(own.category())
            .memoryType(own.memoryType())
            .state(MemoryState.ACTIVE)
            .tier(own.tier())
            .importance(0.5)
            .confidence(0.5)
            .accessCount(0)
            .tags(List.of())
            .scope("global")
            .version(1)
            .createdAt(own.createdAt())
            .updatedAt(own.createdAt())
            .build();
    repo.apply(new MemoryWrite().insert(new StoredMemory(other, vectors.get(3), MODEL)), null);
    Files.delete(fileEndingWith(segmentsSuffix()));
    IndexSynchronizer sync = IndexSynchronizer.open(repo, indexDir(), MODEL, held);
    assertEquals(Phase.REBUILDING, sync.status().phase());
    List<String> text =
        sync.searchText("part3q", ALL, 100).hits().stream().map(IndexHit::id).toList();
    List<String> near =
        sync.searchVector(vectors.get(3), ALL, 100).hits().stream().map(IndexHit::id).toList();
    assertEquals(List.of(own.id()), text);
    assertFalse(near.contains(other.id()), "no other tenant's memory");
    assertEquals(memories.size(), near.size(), "every memory of the tenant has a vector");
    List<String> otherScope =
        sync.searchText("part3q", ALL.withScopes(java.util.Set.of("project/x")), 10).hits().stream()
            .map(IndexHit::id)
            .toList();
    assertEquals(List.of(), otherScope, "scopes filter as in the index");
    sync.close();
  }

  String segmentsSuffix() throws IOException {
    try (Stream<Path> files = Files.list(indexDir())) {
      String name =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("segments_"))
              .findFirst()
              .orElseThrow();
      return name; // the whole name: "segments_e"
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
