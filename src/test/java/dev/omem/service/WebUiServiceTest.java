package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.domain.Space;
import dev.omem.domain.Tier;
import dev.omem.testing.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service calls the web UI added (issue 18) on a real local service (SQLite, Lucene; no model):
 * the list's narrowing by tier, agent, source and dates, done by the store; the pin (tier core) and
 * every edit checked against the version it was read at; top tags and the decay curve; the hooks'
 * recent injections; the shared copies of a memory.
 */
class WebUiServiceTest {
  @TempDir Path home;
  final MovableClock clock = new MovableClock(Instant.parse("2026-11-18T15:30:00Z"));
  final Caller me = Caller.local("github.com/acme/alpha");
  LocalMemoryService svc;

  @BeforeEach
  void open() {
    svc = LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"), clock);
  }

  @AfterEach
  void close() {
    svc.close();
  }

  Memory store(Caller c, String content, String source, List<String> tags) {
    return svc.store(c, new StoreRequest(content, tags, source, null, "global", null));
  }

  MemoryPage list(ListRequest.Narrowing n, int limit, int offset) {
    return svc.list(
        me, ListRequest.builder().limit(limit).offset(offset).scope("all").narrowing(n).build());
  }

  static ListRequest.Narrowing narrowing(
      String tier, String agent, String source, Instant from, Instant before) {
    return new ListRequest.Narrowing(tier, agent, source, from, before);
  }

  @Test
  void theListNarrowsByTierAgentSourceAndDatesAndPagesInTheStore() {
    Caller claude = new Caller(null, "github.com/acme/alpha", "claude-code", null);
    Caller codex = new Caller(null, "github.com/acme/alpha", "codex", null);
    for (int i = 0; i < 7; i++) {
      store(
          i % 2 == 0 ? claude : codex,
          "Service " + i + " listens on port " + (9000 + i),
          "cli",
          null);
      clock.advance(Duration.ofDays(1));
    }
    Memory fromImport = store(codex, "The billing queue is RabbitMQ", "import", null);
    svc.update(
        me, new UpdateRequest(fromImport.id(), null, null, null, null, null, null, 1L, "core"));

    assertEquals(8, list(null, 50, 0).totalCount());
    MemoryPage byClaude = list(narrowing(null, "claude-code", null, null, null), 2, 0);
    assertEquals(4, byClaude.totalCount(), "the count is the filter's, not the page's");
    assertEquals(2, byClaude.memories().size());
    assertTrue(byClaude.memories().stream().allMatch(m -> "claude-code".equals(m.agentId())));
    MemoryPage last = list(narrowing(null, "claude-code", null, null, null), 2, 2);
    assertEquals(2, last.memories().size());
    assertTrue(
        byClaude.memories().stream().noneMatch(m -> last.memories().contains(m)),
        "the next page holds the others");

    assertEquals(
        List.of(fromImport.id()),
        ids(list(narrowing(null, null, "import", null, null), 50, 0)),
        "by source");
    assertEquals(
        List.of(fromImport.id()), ids(list(narrowing("core", null, null, null, null), 50, 0)));
    assertEquals(7, list(narrowing("peripheral", null, null, null, null), 50, 0).totalCount());

    Instant start = Instant.parse("2026-11-18T00:00:00Z");
    MemoryPage twoDays =
        list(
            narrowing(
                null, null, null, start.plus(Duration.ofDays(2)), start.plus(Duration.ofDays(4))),
            50,
            0);
    assertEquals(2, twoDays.totalCount(), "from inclusive, before exclusive");
    assertTrue(twoDays.memories().stream().allMatch(m -> m.content().matches("Service [23] .*")));

    OmemException bad =
        assertThrows(
            OmemException.class, () -> list(narrowing("gold", null, null, null, null), 50, 0));
    assertTrue(bad.getMessage().contains("core, working or peripheral"), bad.getMessage());
  }

  @Test
  void pinAndEveryEditAreCheckedAgainstTheVersionTheyWereReadAt() {
    Memory m = store(me, "Releases are cut on Tuesdays", null, List.of("release"));
    assertEquals(1, m.version());
    Memory pinned =
        svc.update(me, new UpdateRequest(m.id(), null, null, null, null, null, null, 1L, "core"));
    assertEquals(Tier.CORE, pinned.tier());
    assertEquals(2, pinned.version());
    HistoryEntry step = svc.history(me, m.id()).get(svc.history(me, m.id()).size() - 1);
    assertEquals(HistoryEntry.Action.UPDATED, step.action());
    assertEquals("tier core", step.note());

    // A second editor who read version 1 is refused: content, forget and pin alike.
    for (UpdateRequest stale :
        List.of(
            new UpdateRequest(
                m.id(), "Releases are cut on Fridays", null, null, null, null, null, 1L),
            new UpdateRequest(m.id(), null, null, null, null, "deleted", null, 1L),
            new UpdateRequest(m.id(), null, null, null, null, null, null, 1L, "working"))) {
      VersionConflict e = assertThrows(VersionConflict.class, () -> svc.update(me, stale));
      assertEquals(1, e.expected());
      assertEquals(2, e.current());
    }
    Memory now = svc.peek(me, m.id());
    assertEquals("Releases are cut on Tuesdays", now.content());
    assertEquals(MemoryState.ACTIVE, now.state());
    assertEquals(Tier.CORE, now.tier());
    assertEquals(2, now.version());
  }

  @Test
  void topTagsAndTheDecayCurveOfTheActiveMemories() {
    store(me, "Use pnpm in the web app", null, List.of("js", "tooling"));
    store(me, "Use ruff for Python linting", null, List.of("python", "tooling"));
    store(me, "Pytest fixtures live in conftest.py", null, List.of("python", "tooling"));
    Memory gone = store(me, "An old note about tooling", null, List.of("tooling", "old"));
    svc.forget(me, gone.id());

    StoreShape shape = svc.shape(me);
    assertEquals(List.of("tooling", "python", "js"), List.copyOf(shape.topTags().keySet()));
    assertEquals(3L, shape.topTags().get("tooling"), "a forgotten memory's tags do not count");
    List<StoreShape.DecayPoint> curve = shape.decayCurve();
    assertEquals(0, curve.get(0).days());
    for (int i = 1; i < curve.size(); i++) {
      assertTrue(
          curve.get(i).meanStrength() < curve.get(i - 1).meanStrength(),
          "strength falls with time unused: " + curve);
    }
    // Peripheral is the bottom tier: nothing fresh moves down.
    assertEquals(0, curve.get(curve.size() - 1).demoted());
    Memory m = svc.list(me, ListRequest.firstPage()).memories().get(0);
    // A core memory (pinned by hand) unused for a year falls under core's keep threshold.
    svc.update(me, new UpdateRequest(m.id(), null, null, null, null, null, null, null, "core"));
    assertEquals(1, svc.shape(me).decayCurve().get(curve.size() - 1).demoted());
  }

  @Test
  void theHooksRecentInjectionsAreTheMemoriesShownNewestFirst() {
    assertEquals(List.of(), svc.recentInjections(me, 10));
    Memory a = store(me, "Deploys go through Argo CD", null, null);
    Memory b = store(me, "Feature flags live in Unleash", null, null);
    svc.hookSessions().markInjected(me, "s1", List.of("m:" + a.id(), "c:0123456789abcdef"));
    clock.advance(Duration.ofMinutes(1));
    svc.hookSessions().markInjected(me, "s2", List.of("m:" + b.id()));
    List<HookInjection> recent = svc.recentInjections(me, 10);
    assertEquals(List.of(b.id(), a.id()), recent.stream().map(HookInjection::memoryId).toList());
    assertEquals("s2", recent.get(0).sessionId());
    assertEquals(clock.instant(), recent.get(0).at());
    assertEquals(1, svc.recentInjections(me, 1).size());
    Caller other = new Caller("someone-else", null, null, null);
    assertEquals(List.of(), svc.recentInjections(other, 10), "another tenant's sessions");
  }

  @Test
  void aMemorysSharedCopiesAreListedOnItsPage() {
    Memory m = store(me, "The on-call rota is in PagerDuty", null, null);
    assertEquals(List.of(), svc.sharedCopies(me, m.id()));
    Space team = svc.createSpace(me, new SpaceRequest("Platform", "team", null));
    svc.share(me, m.id(), team.id(), null);
    List<Memory> copies = svc.sharedCopies(me, m.id());
    assertEquals(1, copies.size());
    assertEquals(team.id(), copies.get(0).spaceId());
    assertEquals(m.id(), copies.get(0).provenance().get("shared_from_memory"));
  }

  static List<String> ids(MemoryPage p) {
    return p.memories().stream().map(Memory::id).toList();
  }
}
