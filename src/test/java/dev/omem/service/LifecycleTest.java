package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access counting, tiers and expiry on a real local service (SQLite, Lucene; BM25 only, no model,
 * to keep it quick) with a clock the test moves.
 */
class LifecycleTest {

  @TempDir Path home;
  final MovableClock clock = new MovableClock(Instant.parse("2026-11-18T15:30:00Z")); // a Wednesday
  final Caller me = Caller.local("github.com/acme/alpha");
  LocalMemoryService svc;

  @BeforeEach
  void open() {
    // The float32 model is not on the test class path: search runs on BM25, which is enough here.
    svc = LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"), clock);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  Memory store(String content, double importance) {
    return svc.store(me, new StoreRequest(content, null, null, null, null, importance));
  }

  Memory reread(Memory m) {
    svc.awaitAccesses();
    return svc.list(me, ListRequest.builder().limit(200).offset(0).build()).memories().stream()
        .filter(x -> x.id().equals(m.id()))
        .findFirst()
        .orElseThrow();
  }

  Map<String, Long> accessCounts() {
    svc.awaitAccesses();
    return svc.list(me, ListRequest.builder().limit(200).offset(0).build()).memories().stream()
        .collect(Collectors.toMap(Memory::id, Memory::accessCount));
  }

  void access(Memory m, int times) {
    for (int i = 0; i < times; i++) {
      svc.get(me, m.id());
    }
  }

  @Test
  void getAndTheTopThreeOfAnExplicitSearchCountButNotListOrAnAutomaticSearch() {
    List<Memory> kafka =
        List.of(
            store("Kafka carries the billing events", 0.5),
            store("Kafka topics are named service.entity.event", 0.5),
            store("Kafka retention is seven days", 0.5),
            store("Kafka consumers commit offsets manually", 0.5),
            store("Kafka runs on three brokers", 0.5));
    svc.list(me, ListRequest.builder().build());
    assertEquals(0L, accessCounts().values().stream().mapToLong(x -> x).sum(), "list counts none");

    List<String> found =
        svc.search(me, SearchRequest.of("kafka")).results().stream()
            .map(s -> s.memory().id())
            .toList();
    assertEquals(5, found.size());
    Map<String, Long> counts = accessCounts();
    for (int i = 0; i < found.size(); i++) {
      assertEquals(i < Limits.ACCESS_COUNTED_RESULTS ? 1L : 0L, counts.get(found.get(i)), "#" + i);
    }

    SearchRequest automatic = SearchRequest.builder("kafka").countAccess(false).build();
    svc.search(me, automatic);
    assertEquals(counts, accessCounts(), "a hook's own search counts nothing");

    Memory last = kafka.stream().filter(m -> m.id().equals(found.get(4))).findFirst().get();
    svc.get(me, last.id());
    svc.recordAccess(me, List.of(last.id())); // what a hook does for what it injects
    Memory after = reread(last);
    assertEquals(2, after.accessCount());
    assertEquals(clock.instant(), after.lastAccessedAt());
  }

  @Test
  void promotionAtOurmemsThresholdsOneStepPerPass() {
    Memory plain = store("Use pnpm, not npm, in this repo", 0.5);
    Memory key = store("Never force-push to main", 0.9);
    access(plain, 2);
    access(key, 10);
    DecayResult first = svc.decay(me);
    assertEquals(2, first.examined());
    assertEquals(1, first.promoted());
    assertEquals(Map.of("peripheral->working", 1L), first.transitions());
    assertEquals(Tier.PERIPHERAL, reread(plain).tier());
    assertEquals(Tier.WORKING, reread(key).tier());

    access(plain, 1); // the third access
    DecayResult second = svc.decay(me);
    assertEquals(2, second.promoted());
    assertEquals(Tier.WORKING, reread(plain).tier());
    assertEquals(Tier.CORE, reread(key).tier());

    DecayResult third = svc.decay(me);
    assertEquals(0, third.promoted() + third.demoted() + third.archived(), "nothing moves again");
  }

  @Test
  void unusedMemoriesAreDemotedAfterTimeAndPinnedOnesStayAtWorking() {
    IngestResult ingested =
        svc.ingest(
            me,
            new IngestRequest(
                List.of(
                    new IngestRequest.Message(
                        "user", "We decided the billing service publishes to Kafka, not RabbitMQ")),
                "raw"));
    IngestTask done = svc.awaitTask(me, ingested.taskId(), Duration.ofSeconds(30));
    assertEquals(1, done.steps().size(), done.toString());
    Memory session = svc.get(me, done.steps().get(0).memoryId());
    assertEquals(MemoryType.SESSION, session.memoryType());
    Memory pinned = store("Releases are cut on Tuesdays", 0.5);
    access(session, 2); // 3 with the get above
    access(pinned, 3);
    assertEquals(2, svc.decay(me).promoted());

    clock.advance(Duration.ofDays(60));
    assertEquals(0, svc.decay(me).demoted(), "60 days unused: still working");
    clock.advance(Duration.ofDays(60));
    DecayResult later = svc.decay(me);
    assertEquals(1, later.demoted());
    assertEquals(Map.of("working->peripheral", 1L), later.transitions());
    assertEquals(Tier.PERIPHERAL, reread(session).tier());
    assertEquals(Tier.WORKING, reread(pinned).tier(), "pinned: never below working");
    assertEquals(0, svc.decay(me).promoted(), "old accesses do not promote it back");

    access(session, 1); // used again: back to working
    assertEquals(1, svc.decay(me).promoted());
    assertEquals(Tier.WORKING, reread(session).tier());
  }

  @Test
  void aTomorrowFactExpiresAndIsArchivedOutOfSearchButKept() {
    Memory demo = store("The quarterly demo is tomorrow at 10:00 in room 4", 0.5);
    Memory lasting = store("The quarterly demo deck lives in the shared drive", 0.5);
    assertEquals(Instant.parse("2026-11-20T00:00:00Z"), demo.expiresAt());
    assertNull(lasting.expiresAt());
    assertEquals(2, svc.search(me, SearchRequest.of("quarterly demo")).results().size());

    clock.advance(Duration.ofHours(30)); // Thursday 21:30: still tomorrow's day
    assertEquals(0, svc.decay(me).archived());
    clock.advance(Duration.ofHours(3)); // Friday 00:30
    DecayResult r = svc.decay(me);
    assertEquals(1, r.archived());
    assertEquals(Map.of("active->archived", 1L), r.transitions());

    Map<String, Memory> byId =
        svc.list(me, ListRequest.builder().build()).memories().stream()
            .collect(Collectors.toMap(Memory::id, Function.identity()));
    assertEquals(MemoryState.ARCHIVED, byId.get(demo.id()).state(), "kept, archived");
    assertEquals(MemoryState.ACTIVE, byId.get(lasting.id()).state());
    List<String> found =
        svc.search(me, SearchRequest.of("quarterly demo")).results().stream()
            .map(s -> s.memory().id())
            .toList();
    assertEquals(List.of(lasting.id()), found);
    assertEquals(0, svc.decay(me).archived(), "archived once");
  }
}
