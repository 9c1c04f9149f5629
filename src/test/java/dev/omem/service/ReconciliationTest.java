package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation on a real local service (SQLite, Lucene, the ONNX model), without an LLM: each of
 * ourmem's decisions, the protections of explicit memories, and the history every step leaves.
 */
class ReconciliationTest {
  @TempDir Path home;
  final Caller me = new Caller(null, "github.com/acme/alpha", "claude-code", "session-1");
  LocalMemoryService svc;

  @BeforeEach
  void open() {
    svc = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
  }

  @AfterEach
  void close() {
    svc.close();
  }

  Memory store(String content) {
    return svc.store(me, new StoreRequest(content, null, null, "preferences", null, null));
  }

  /**
   * Ingests one user turn (smart) with the turn itself as the one extracted fact (the caller's
   * {@code facts}), and returns the finished task: these tests are about reconciliation, so what
   * the extractor keeps of a one-line turn must not decide them.
   */
  IngestTask ingest(String userTurn) {
    IngestResult r =
        svc.ingest(
            me,
            new IngestRequest(
                List.of(new IngestRequest.Message("user", userTurn)),
                "smart",
                null,
                List.of(new IngestRequest.Fact(userTurn, "patterns", List.of(), 0.7, 0.85))));
    IngestTask t = svc.awaitTask(me, r.taskId(), Duration.ofSeconds(60));
    assertEquals("done", t.status(), t.toString());
    return t;
  }

  List<HistoryEntry.Action> actions(Memory m) {
    return svc.history(me, m.id()).stream().map(HistoryEntry::action).toList();
  }

  long active() {
    return svc
        .list(me, ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories()
        .stream()
        .filter(m -> m.state() == MemoryState.ACTIVE)
        .count();
  }

  @Test
  void aPreferenceStatedRestatedThenChanged() {
    Memory tabs = store("I prefer tabs for indentation");
    assertEquals(List.of(HistoryEntry.Action.CREATED), actions(tabs));

    Memory again = store("I prefer tabs for indentation!");
    assertEquals(tabs.id(), again.id(), "an exact repeat returns the stored memory");
    Memory restated = store("For indentation, I prefer tabs");
    assertEquals(tabs.id(), restated.id(), "a restatement returns the stored memory");
    assertEquals(1, active(), "one memory");

    Memory spaces = store("Actually I now prefer spaces for indentation");
    assertNotEquals(tabs.id(), spaces.id());
    Memory old = svc.get(me, tabs.id());
    assertEquals(MemoryState.ARCHIVED, old.state(), "the old preference is archived");
    assertEquals(spaces.id(), old.supersededBy());
    assertNotNull(old.invalidatedAt());
    assertEquals(List.of(tabs.id()), spaces.relations().get("supersedes"));
    assertEquals(1, active(), "only the new preference is active");

    List<HistoryEntry> h = svc.history(me, tabs.id());
    assertEquals(
        List.of(
            HistoryEntry.Action.CREATED,
            HistoryEntry.Action.SKIPPED,
            HistoryEntry.Action.SKIPPED,
            HistoryEntry.Action.SUPERSEDED),
        h.stream().map(HistoryEntry::action).toList(),
        h.toString());
    HistoryEntry last = h.get(h.size() - 1);
    assertEquals(spaces.id(), last.relatedId());
    assertEquals("session-1", last.sessionId());
    assertEquals("claude-code", last.agentId());
    assertTrue(
        svc.search(me, SearchRequest.of("indentation preference")).results().stream()
            .noneMatch(s -> s.memory().id().equals(tabs.id())),
        "archived memories leave search");
  }

  @Test
  void aChangedValueWithoutACueSupersedesToo() {
    Memory pg14 = store("We use PostgreSQL 14 for the orders database");
    Memory pg16 = store("We use PostgreSQL 16 for the orders database");
    assertNotEquals(pg14.id(), pg16.id());
    assertEquals(pg16.id(), svc.get(me, pg14.id()).supersededBy());
  }

  @Test
  void anExtractedFactContradictingAnExplicitOneIsStoredBesideIt() {
    Memory always = store("Always squash commits when merging");
    IngestTask t = ingest("Never squash commits when merging, keep the history.");
    assertEquals(1, t.count("contradict"), t.toString());
    Memory never = svc.get(me, t.steps().get(0).memoryId());
    assertEquals(MemoryType.INSIGHT, never.memoryType());
    assertEquals(List.of(always.id()), never.relations().get("contradicts"));
    Memory kept = svc.get(me, always.id());
    assertEquals(
        MemoryState.ACTIVE, kept.state(), "an extracted fact never archives an explicit one");
    assertEquals(always.content(), kept.content());
    assertEquals(
        List.of(HistoryEntry.Action.CREATED, HistoryEntry.Action.CONTRADICTED), actions(always));
  }

  @Test
  void extractedFactsMergeButAnExplicitMemoryIsNeverMergedAway() {
    IngestTask first = ingest("We deploy with Helm.");
    assertEquals(1, first.count("create"), first.toString());
    String helm = first.steps().get(0).memoryId();
    IngestTask second = ingest("We deploy with Helm charts kept in the infra repo.");
    assertEquals(1, second.count("merge"), second.toString());
    assertEquals(helm, second.steps().get(0).memoryId(), "merged into the same memory");
    Memory merged = svc.get(me, helm);
    assertTrue(merged.content().contains("infra repo"), merged.content());
    assertEquals(2, merged.version());
    // The get above fetched the candidate by id, which confirms it (issue 14).
    assertEquals(
        List.of(
            HistoryEntry.Action.CREATED, HistoryEntry.Action.MERGED, HistoryEntry.Action.CONFIRMED),
        actions(merged));

    Memory gradle = store("We build with Gradle");
    IngestTask third = ingest("We build with Gradle and the configuration cache turned on.");
    assertEquals(1, third.count("contextualize"), third.toString());
    assertEquals(gradle.content(), svc.get(me, gradle.id()).content(), "explicit text unchanged");
    assertEquals(
        List.of(gradle.id()),
        svc.get(me, third.steps().get(0).memoryId()).relations().get("contextualizes"));
  }

  @Test
  void theSameConversationIngestedTwiceStoresEachFactOnce() {
    String turn = "Remember that the staging database runs on port 5433.";
    IngestTask a = ingest(turn);
    IngestTask b = ingest(turn);
    assertEquals(1, a.count("create"), a.toString());
    assertEquals(1, b.count("skip"), b.toString());
    assertEquals(a.steps().get(0).memoryId(), b.steps().get(0).memoryId());
    assertEquals(1, active());
  }

  @Test
  void everyWriteLeavesAHistoryStep() {
    Memory m = store("The release train leaves on Thursdays");
    svc.update(
        me,
        new UpdateRequest(m.id(), "The release train leaves on Fridays", null, null, null, null));
    svc.forget(me, m.id());
    svc.update(me, new UpdateRequest(m.id(), null, null, null, null, "active"));
    assertEquals(
        List.of(
            HistoryEntry.Action.CREATED,
            HistoryEntry.Action.UPDATED,
            HistoryEntry.Action.DELETED,
            HistoryEntry.Action.RESTORED),
        actions(m));
    assertEquals("content", svc.history(me, m.id()).get(1).note());
  }
}
