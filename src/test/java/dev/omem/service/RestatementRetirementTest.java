package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed mind retires every current memory that restates the old choice, not only the nearest
 * (docs/extraction/supersede-rule.md, session 21), on a real local service (SQLite, Lucene, the
 * ONNX model, the shipped extraction classifier); another topic of the same project stays, and
 * history keeps the retired ones.
 */
class RestatementRetirementTest {
  @TempDir Path home;
  final Caller first = new Caller(null, "github.com/acme/alpha", "claude-code", "session-1");
  final Caller second = new Caller(null, "github.com/acme/alpha", "claude-code", "session-2");
  final Caller third = new Caller(null, "github.com/acme/alpha", "claude-code", "session-3");
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

  IngestTask ingest(Caller c, String userTurn) {
    IngestResult r =
        svc.ingest(
            c,
            new IngestRequest(
                List.of(
                    new IngestRequest.Message("user", userTurn),
                    new IngestRequest.Message("assistant", "Noted.")),
                "smart"));
    IngestTask t = svc.awaitTask(c, r.taskId(), Duration.ofSeconds(60));
    assertEquals("done", t.status(), t.toString());
    return t;
  }

  List<Memory> all() {
    return svc.list(first, ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories();
  }

  List<Memory> active() {
    return all().stream().filter(m -> m.state() == MemoryState.ACTIVE).toList();
  }

  Memory activeWith(String word) {
    List<String> now = active().stream().map(Memory::content).toList();
    return active().stream()
        .filter(m -> m.content().contains(word))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no current memory with " + word + " in " + now));
  }

  @Test
  void aChangedMindRetiresBothRestatementsAndKeepsAnotherTopic() {
    ingest(first, "I always use pnpm, never npm, for JavaScript projects.");
    ingest(second, "Install the JavaScript dependencies of every project with pnpm install.");
    ingest(second, "We deploy the web app to Fly.io from the main branch.");
    List<Memory> pnpm = active().stream().filter(m -> m.content().contains("pnpm")).toList();
    assertEquals(2, pnpm.size(), "two current restatements of the old choice: " + pnpm);
    Memory deploy = activeWith("Fly.io");

    IngestTask t =
        ingest(third, "Change of plan: I now use bun instead of pnpm for all JavaScript projects.");
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    Memory bun = activeWith("bun");
    for (Memory old : pnpm) {
      Memory now = svc.get(first, old.id());
      assertEquals(MemoryState.ARCHIVED, now.state(), "retired: " + now.content());
      assertEquals(bun.id(), now.supersededBy(), now.content());
      List<HistoryEntry> h = svc.history(first, old.id());
      assertTrue(
          h.stream()
              .anyMatch(
                  e ->
                      e.action() == HistoryEntry.Action.SUPERSEDED
                          && bun.id().equals(e.relatedId())),
          "history keeps the retirement: " + h);
    }
    assertEquals(
        pnpm.stream().map(Memory::id).sorted().toList(),
        bun.relations().get("supersedes").stream().sorted().toList(),
        "the new memory names every memory it replaced");
    assertEquals(MemoryState.ACTIVE, svc.get(first, deploy.id()).state(), "another topic stays");
    assertTrue(
        active().stream()
            .noneMatch(m -> m.content().contains("pnpm") && !m.content().contains("bun")),
        active().toString());
  }

  @Test
  void aDifferentTopicOfTheSameProjectKeepsBoth() {
    ingest(first, "We deploy the web app to Fly.io from the main branch.");
    ingest(second, "Tests run with Vitest in watch mode.");
    Memory deploy = activeWith("Fly.io");
    Memory tests = activeWith("Vitest");
    ingest(third, "From now on I use bun instead of pnpm for JavaScript projects.");
    activeWith("bun");
    assertEquals(MemoryState.ACTIVE, svc.get(first, deploy.id()).state());
    assertEquals(MemoryState.ACTIVE, svc.get(first, tests.id()).state());
  }
}
