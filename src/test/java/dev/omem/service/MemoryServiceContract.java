package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.TraceStage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link MemoryService} does, whoever serves it: run against the store in-process
 * ({@link LocalMemoryServiceTest}) and against {@code RemoteMemoryService} talking to a real {@code
 * omem serve} on loopback (DESIGN.md "Layers": both services pass the same contract tests).
 */
public abstract class MemoryServiceContract {
  @TempDir protected Path home;
  protected MemoryService svc;
  protected final Caller alpha = Caller.local("github.com/acme/alpha");
  protected final Caller beta = Caller.local("github.com/acme/beta");

  /** The service under test on the empty data dir {@code home}, its model loaded. */
  protected abstract MemoryService open(Path home);

  @BeforeEach
  void openService() {
    svc = open(home);
  }

  @AfterEach
  void closeService() {
    if (svc != null) {
      svc.close();
    }
  }

  Memory store(Caller c, String content) {
    return svc.store(c, StoreRequest.of(content));
  }

  /** A search without the relevance floor: these tests are about ranking, scopes and spaces. */
  List<String> search(Caller c, String q) {
    return svc.search(c, SearchRequest.builder(q).minScore(0.0).build()).results().stream()
        .map(r -> r.memory().content())
        .toList();
  }

  @Test
  void aDecayPassPromotesAMemoryFetchedThreeTimesAndOnlyTheCallersOwn() {
    Memory m = store(alpha, "Integration tests run against a Testcontainers Postgres");
    for (int i = 0; i < 3; i++) {
      svc.get(alpha, m.id());
    }
    DecayResult r = svc.decay(alpha);
    assertEquals(1, r.promoted());
    assertEquals(0, r.demoted() + r.archived());
    assertEquals(java.util.Map.of("peripheral->working", 1L), r.transitions());
    assertEquals("working", svc.get(alpha, m.id()).tier().wire());
    assertEquals(0, svc.decay(alpha).promoted(), "one pass is enough");
  }

  @Test
  void findsAParaphraseFirst() {
    store(alpha, "Build the project with ./gradlew build --offline");
    store(alpha, "The staging database is Postgres 15 on db-staging.internal");
    store(alpha, "Release notes are written in docs/CHANGELOG.md by hand");
    store(alpha, "The user prefers tabs over spaces for indentation");
    // No query shares a word stem with its answer: only the vectors can find these.
    assertEquals(
        "The staging database is Postgres 15 on db-staging.internal",
        search(alpha, "which SQL server do we test against before prod").get(0));
    assertEquals(
        "The user prefers tabs over spaces for indentation",
        search(alpha, "whitespace style for source files").get(0));
    assertEquals(
        "Release notes are written in docs/CHANGELOG.md by hand",
        search(alpha, "where do we document what changed in a release").get(0));
  }

  @Test
  void theDefaultFloorAnswersAnUnrelatedQueryWithNothingAndSaysWhy() {
    store(alpha, "Build the project with ./gradlew build --offline");
    store(alpha, "The staging database is Postgres 15 on db-staging.internal");
    store(alpha, "Release notes are written in docs/CHANGELOG.md by hand");
    SearchOutcome none = svc.search(alpha, SearchRequest.of("a good recipe for banana bread"));
    assertEquals(List.of(), none.results());
    assertTrue(
        // session 18: the search gate (SearchGate) answers before any memory's floor does
        none.reason().startsWith("Nothing relevant: "), none.reason());
    SearchOutcome closest =
        svc.search(
            alpha, SearchRequest.builder("a good recipe for banana bread").minScore(0.0).build());
    assertEquals(3, closest.results().size(), "min_score 0 turns the floor off");
    assertNull(closest.reason());
    SearchOutcome found =
        svc.search(alpha, SearchRequest.of("which version of Postgres is the staging database"));
    assertEquals(
        "The staging database is Postgres 15 on db-staging.internal",
        found.results().get(0).memory().content(),
        "a related query passes the floor");
  }

  @Test
  void traceHasEveryStageInOrderAndSaysHybrid() {
    store(alpha, "Deploys go through ArgoCD");
    SearchOutcome out =
        svc.search(alpha, SearchRequest.builder("deploy").minScore(0.0).includeTrace(true).build());
    assertEquals("hybrid", out.trace().mode());
    assertEquals(
        List.of(
            "bm25",
            "vector",
            "fusion",
            "normalize",
            "context",
            "relevance",
            "min_score",
            "decay_importance",
            "diversity",
            "limit"),
        out.trace().stages().stream().map(TraceStage::name).toList());
    assertEquals(1, out.trace().finalCount());
    assertNull(svc.search(alpha, SearchRequest.of("deploy")).trace(), "trace only on request");
  }

  @Test
  void theMemoryStoredAfterAStrongHitInTheSameSessionJoinsTheResults() {
    Caller session = new Caller(null, "github.com/acme/alpha", "agent", "session-1");
    Caller other = new Caller(null, "github.com/acme/alpha", "agent", "session-2");
    svc.store(session, StoreRequest.of("Which band played at the launch party last night?"));
    Memory answer = svc.store(session, StoreRequest.of("It was the Lumineers, they were great"));
    svc.store(other, StoreRequest.of("It was a quiet weekend of gardening"));
    List<ScoredMemory> out =
        svc.search(
                session,
                SearchRequest.builder("band at the launch party")
                    .limit(3)
                    .minScore(0.0)
                    .includeTrace(true)
                    .build())
            .results();
    List<String> ids = out.stream().map(r -> r.memory().id()).toList();
    assertTrue(ids.indexOf(answer.id()) == 1, "the answer follows its question: " + out);
    assertTrue(out.get(1).score() < out.get(0).score());
  }

  @Test
  void projectScopesKeepProjectsApartAndGlobalFactsEverywhere() {
    store(alpha, "The CI pipeline for this repo runs on Buildkite");
    store(beta, "The CI pipeline for this repo runs on GitHub Actions");
    Memory pref = store(alpha, "I prefer short commit messages in the imperative mood");
    assertEquals("global", pref.scope(), "preferences default to global");

    List<String> fromAlpha = search(alpha, "which CI system runs the pipeline");
    assertTrue(fromAlpha.get(0).contains("Buildkite"));
    assertFalse(fromAlpha.stream().anyMatch(s -> s.contains("GitHub Actions")));
    assertTrue(search(beta, "commit message style").get(0).contains("imperative"));

    // Asked for all scopes, the other project's memory appears, ranked below the caller's.
    List<ScoredMemory> all =
        svc.search(
                alpha,
                SearchRequest.builder("The CI pipeline for this repo runs on").scope("all").build())
            .results();
    assertTrue(all.get(0).memory().content().contains("Buildkite"), all.toString());
    assertTrue(all.stream().anyMatch(r -> r.memory().content().contains("GitHub Actions")));
  }

  @Test
  void forgottenAndArchivedMemoriesLeaveSearchUnlessAsked() {
    Memory a = store(alpha, "Feature flags live in LaunchDarkly");
    Memory b = store(alpha, "Feature flag names use kebab-case");
    assertEquals(2, search(alpha, "feature flags").size());
    assertEquals("deleted", svc.forget(alpha, a.id()).status());
    assertEquals("deleted", svc.forget(alpha, a.id()).status(), "forgetting twice is harmless");
    svc.update(alpha, new UpdateRequest(b.id(), null, null, null, null, "archived"));
    assertEquals(List.of(), search(alpha, "feature flags"));
    List<ScoredMemory> archived =
        svc.search(
                alpha,
                SearchRequest.builder("feature flags")
                    .states(List.of("active", "archived"))
                    .build())
            .results();
    assertEquals(List.of(b.id()), archived.stream().map(r -> r.memory().id()).toList());
    assertEquals("deleted", svc.get(alpha, a.id()).state().wire(), "the record stays");
  }

  @Test
  void updateReembedsAndBumpsTheVersion() {
    Memory m = store(alpha, "Logs are shipped to Splunk");
    Memory u =
        svc.update(
            alpha,
            new UpdateRequest(
                m.id(), "Logs are shipped to Grafana Loki", List.of("ops"), null, 0.9, null));
    assertEquals(2, u.version());
    assertEquals(List.of("ops"), u.tags());
    assertEquals("Logs are shipped to Grafana Loki", search(alpha, "where do the logs go").get(0));
    assertTrue(
        search(alpha, "Splunk").stream().noneMatch(c -> c.contains("Splunk")),
        "old text is gone from the index");
  }

  /**
   * Optimistic concurrency (issue 17): two agents read version 1 and both update it at once. The
   * version is compared under the write lock, so exactly one wins and the other is told the version
   * it lost to; several rounds, since one race may happen to run in turn.
   */
  @Test
  void twoAgentsWhoReadTheSameVersionGetOneSuccessAndOneConflict() throws Exception {
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        Memory m = store(alpha, "The build cache lives on cache-" + round + ".internal");
        long read = svc.get(alpha, m.id()).version();
        CyclicBarrier go = new CyclicBarrier(2);
        List<Future<Memory>> edits = new ArrayList<>();
        for (String agent : List.of("agent-a", "agent-b")) {
          Caller who = new Caller(alpha.tenantId(), alpha.project(), agent, null);
          String text = "The build cache lives on " + agent + "-" + round + ".internal";
          edits.add(
              two.submit(
                  () -> {
                    go.await();
                    return svc.update(
                        who, new UpdateRequest(m.id(), text, null, null, null, null, null, read));
                  }));
        }
        List<Memory> won = new ArrayList<>();
        List<VersionConflict> lost = new ArrayList<>();
        for (Future<Memory> f : edits) {
          try {
            won.add(f.get(60, TimeUnit.SECONDS));
          } catch (ExecutionException e) {
            lost.add(assertInstanceOf(VersionConflict.class, e.getCause(), "round " + round));
          }
        }
        assertEquals(1, won.size(), "round " + round + ": exactly one update wins");
        assertEquals(1, lost.size(), "round " + round + ": the other one conflicts");
        VersionConflict c = lost.get(0);
        assertEquals(ErrorCode.CONFLICT, c.code());
        assertEquals(m.id(), c.memoryId());
        assertEquals(read, c.expected());
        assertEquals(read + 1, c.current(), "the version the winner wrote");
        Memory now = svc.get(alpha, m.id());
        assertEquals(read + 1, now.version());
        assertEquals(won.get(0).content(), now.content(), "the winner's text, not overwritten");
      }
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void anUpdateNamingAnOldVersionChangesNothingAndOneWithoutAVersionGoesThrough() {
    Memory m = store(alpha, "Logs ship to Loki");
    Memory v2 =
        svc.update(
            alpha,
            new UpdateRequest(
                m.id(), "Logs ship to Loki via Promtail", null, null, null, null, null, 1L));
    assertEquals(2, v2.version());
    VersionConflict c =
        assertThrows(
            VersionConflict.class,
            () ->
                svc.update(
                    alpha,
                    new UpdateRequest(
                        m.id(),
                        "Logs ship to Elasticsearch",
                        List.of("x"),
                        null,
                        0.1,
                        null,
                        null,
                        1L)));
    assertEquals(2, c.current());
    assertEquals(1, c.expected());
    assertTrue(c.getMessage().contains("read it again"), c.getMessage());
    Memory kept = svc.get(alpha, m.id());
    assertEquals("Logs ship to Loki via Promtail", kept.content(), "nothing of it written");
    assertEquals(2, kept.version());
    assertEquals(List.of(), kept.tags());
    assertEquals(
        3,
        svc.update(alpha, new UpdateRequest(m.id(), null, List.of("ops"), null, null, null))
            .version(),
        "without a version the write goes through, as ourmem does");
    OmemException zero =
        assertThrows(
            OmemException.class,
            () ->
                svc.update(
                    alpha,
                    new UpdateRequest(
                        m.id(), "Logs ship nowhere", null, null, null, null, null, 0L)));
    assertEquals(ErrorCode.VALIDATION, zero.code());
    assertEquals(3, svc.get(alpha, m.id()).version());
  }

  @Test
  void exactDuplicatesAreNotStoredTwice() {
    Memory a = store(alpha, "Run the tests with mvn verify");
    Memory b = store(alpha, "run the tests with  mvn verify.");
    assertEquals(a.id(), b.id());
    assertEquals(1L, total(alpha));
  }

  @Test
  void filtersByTagsAndCategory() {
    svc.store(
        alpha,
        new StoreRequest(
            "Lint with ruff", List.of("python", "lint"), null, "patterns", null, null));
    svc.store(
        alpha,
        new StoreRequest("Lint with eslint", List.of("js", "lint"), null, "patterns", null, null));
    List<ScoredMemory> py =
        svc.search(alpha, SearchRequest.builder("lint").tags(List.of("lint", "python")).build())
            .results();
    assertEquals(List.of("Lint with ruff"), py.stream().map(r -> r.memory().content()).toList());
    assertEquals(
        0,
        svc.search(alpha, SearchRequest.builder("lint").categories(List.of("events")).build())
            .results()
            .size());
  }

  @Test
  void badInputIsRejectedWithAClearMessageAndChangesNothing() {
    Memory keep = store(alpha, "Keep me exactly as I am");
    long before = total(alpha);
    String big = "x".repeat(Limits.MAX_CONTENT_BYTES + 1);
    assertInvalid("content is required", () -> store(alpha, ""));
    assertInvalid("content is required", () -> store(alpha, null));
    assertInvalid("32 KiB", () -> store(alpha, big));
    assertInvalid(
        "unknown category",
        () -> svc.store(alpha, new StoreRequest("x y z", null, null, "recipes", null, null)));
    assertInvalid("not a memory id", () -> svc.get(alpha, "not-a-uuid"));
    assertInvalid(
        "limit must be between 1 and 100",
        () -> svc.search(alpha, SearchRequest.builder("q").limit(0).build()));
    assertInvalid(
        "limit must be between 1 and 200",
        () -> svc.list(alpha, ListRequest.builder().limit(1000).build()));
    assertInvalid(
        "nothing to update",
        () -> svc.update(alpha, new UpdateRequest(keep.id(), null, null, null, null, null)));
    assertInvalid(
        "32 KiB",
        () -> svc.update(alpha, new UpdateRequest(keep.id(), big, null, null, null, null)));
    assertInvalid(
        "importance must be between 0 and 1",
        () -> svc.update(alpha, new UpdateRequest(keep.id(), null, null, null, 3.0, null)));
    OmemException nf =
        assertThrows(OmemException.class, () -> svc.get(alpha, UUID.randomUUID().toString()));
    assertEquals(ErrorCode.NOT_FOUND, nf.code());
    assertThrows(OmemException.class, () -> svc.forget(alpha, UUID.randomUUID().toString()));

    assertEquals(before, total(alpha));
    Memory after = svc.get(alpha, keep.id());
    assertEquals(keep.content(), after.content());
    assertEquals(keep.version(), after.version());
  }

  @Test
  void rawIngestKeepsOnlySubstantiveUserStatements() {
    IngestResult r =
        svc.ingest(
            alpha,
            new IngestRequest(
                List.of(
                    new IngestRequest.Message("user", "hi there"),
                    new IngestRequest.Message("user", "We decided to use pnpm instead of npm here"),
                    new IngestRequest.Message(
                        "assistant", "Understood, I will use pnpm from now on"),
                    new IngestRequest.Message("user", "Can you run the tests?"),
                    new IngestRequest.Message("user", "thanks!")),
                "raw"));
    assertEquals(5, r.storedCount(), "every turn is logged");
    IngestTask t = svc.awaitTask(alpha, r.taskId(), java.time.Duration.ofSeconds(30));
    assertEquals("done", t.status());
    assertEquals(1, t.steps().size(), "one substantive user statement: " + t);
    assertEquals("create", t.steps().get(0).decision());
    Memory m = svc.get(alpha, t.steps().get(0).memoryId());
    assertEquals("session", m.memoryType().wire());
    assertTrue(m.content().contains("pnpm"));
  }

  /**
   * The connected client's model (MCP sampling) extracts: its fact is stored, and it is shown the
   * turns redacted. Through the wire the client extracts and sends the facts to the server.
   */
  @Test
  void theClientsModelExtractsFromRedactedTurns() {
    String secret = dev.omem.ingest.PrivacyCorpus.secrets().get(0).secret();
    List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
    String fact = "Billing goes out through ArgoCD once a week, on Tuesday mornings";
    dev.omem.domain.ChatModel client =
        (system, user, maxTokens) -> {
          prompts.add(system + "\n" + user);
          return "{\"facts\":[{\"text\":\""
              + fact
              + "\",\"category\":\"patterns\",\"tags\":[\"deploy\"],"
              + "\"importance\":0.7,\"confidence\":0.9}]}";
        };
    IngestResult r =
        svc.ingest(
            alpha,
            new IngestRequest(
                List.of(
                    new IngestRequest.Message(
                        "user", "We deploy the billing service with ArgoCD every Tuesday morning"),
                    new IngestRequest.Message("user", "The deploy bot uses " + secret)),
                "smart",
                client));
    IngestTask t = svc.awaitTask(alpha, r.taskId(), java.time.Duration.ofSeconds(30));
    assertEquals("done", t.status(), t.toString());
    assertEquals(1, t.steps().size(), t.toString());
    Memory m = svc.get(alpha, t.steps().get(0).memoryId());
    assertEquals(fact, m.content());
    assertEquals("patterns", m.category().wire());
    assertEquals(List.of("deploy"), m.tags());
    assertEquals(1, prompts.size());
    assertTrue(prompts.get(0).contains("ArgoCD every Tuesday"), "the turns were sent");
    assertFalse(prompts.get(0).contains(secret), "the client's model saw the secret");
  }

  /** Facts given with the messages are stored in place of extraction; bad ones refuse it all. */
  @Test
  void givenFactsReplaceExtraction() {
    List<IngestRequest.Message> said =
        List.of(new IngestRequest.Message("user", "The staging database is Postgres 15"));
    IngestResult r =
        svc.ingest(
            alpha,
            new IngestRequest(
                said,
                null,
                null,
                List.of(
                    new IngestRequest.Fact(
                        "Staging runs Postgres 15", "entities", List.of("db"), 0.6, null))));
    IngestTask t = svc.awaitTask(alpha, r.taskId(), java.time.Duration.ofSeconds(30));
    assertEquals(1, t.steps().size(), t.toString());
    Memory m = svc.get(alpha, t.steps().get(0).memoryId());
    assertEquals("Staging runs Postgres 15", m.content());
    assertEquals("entities", m.category().wire());
    assertEquals(0.6, m.importance());
    assertEquals(0.5, m.confidence(), "confidence defaults to 0.5");

    long before = total(alpha);
    OmemException bad =
        assertThrows(
            OmemException.class,
            () ->
                svc.ingest(
                    alpha,
                    new IngestRequest(
                        said,
                        "raw",
                        null,
                        List.of(
                            new IngestRequest.Fact(
                                "Staging runs PG", "entities", null, null, null)))));
    assertEquals(ErrorCode.VALIDATION, bad.code());
    bad =
        assertThrows(
            OmemException.class,
            () ->
                svc.ingest(
                    alpha,
                    new IngestRequest(
                        said,
                        "smart",
                        null,
                        List.of(
                            new IngestRequest.Fact(
                                "Staging runs PG", "gossip", null, 2.0, null)))));
    assertEquals(ErrorCode.VALIDATION, bad.code());
    assertTrue(bad.getMessage().startsWith("facts[0]: "), bad.getMessage());
    assertEquals(before, total(alpha));
  }

  @Test
  void profileHoldsPreferencesAndRecentProjectEvents() {
    store(alpha, "I prefer Kotlin over Java for new services");
    svc.store(
        alpha,
        new StoreRequest(
            "We deployed version 2.3 to production yesterday", null, null, "events", null, null));
    svc.store(
        beta, new StoreRequest("Beta had an outage on Friday", null, null, "events", null, null));
    var p = svc.profile(alpha);
    assertEquals(List.of("I prefer Kotlin over Java for new services"), p.staticFacts());
    assertEquals(List.of("We deployed version 2.3 to production yesterday"), p.dynamicContext());
  }

  @Test
  void batchDeleteByIdsAndByAConfirmedFilter() {
    Memory a =
        svc.store(
            alpha, new StoreRequest("Old deploy note one", List.of("old"), null, null, null, null));
    Memory b =
        svc.store(
            alpha, new StoreRequest("Old deploy note two", List.of("old"), null, null, null, null));
    Memory c = store(alpha, "Keep this current note about deploys");
    BatchDeleteResult dry =
        svc.batchDelete(
            alpha,
            new BatchDeleteRequest(null, null, List.of("old"), null, null, null, null, false));
    assertEquals(2L, dry.wouldDelete());
    assertEquals("active", svc.get(alpha, a.id()).state().wire(), "a dry run deletes nothing");
    BatchDeleteResult done =
        svc.batchDelete(
            alpha,
            new BatchDeleteRequest(null, null, List.of("old"), null, null, null, null, true));
    assertEquals(2L, done.deleted());
    assertEquals("deleted", svc.get(alpha, b.id()).state().wire());
    assertEquals(1L, svc.batchDelete(alpha, BatchDeleteRequest.ids(List.of(c.id()))).deleted());
    assertEquals(
        0L,
        svc.batchDelete(alpha, BatchDeleteRequest.ids(List.of(c.id()))).deleted(),
        "deleting again counts nothing");
    assertTrue(search(alpha, "deploy note").isEmpty());
    assertInvalid(
        "give memory_ids, or a filter",
        () ->
            svc.batchDelete(
                alpha, new BatchDeleteRequest(null, null, null, null, null, null, null, true)));
  }

  @Test
  void deleteAllForgetsEveryMemoryOfTheTenant() {
    store(alpha, "First fact for delete all");
    store(beta, "Second fact for delete all, other project");
    Memory kept = store(alpha, "Third fact for delete all");
    assertEquals(3L, svc.deleteAll(alpha));
    assertTrue(svc.list(alpha, ListRequest.firstPage()).memories().isEmpty());
    assertEquals("deleted", svc.get(alpha, kept.id()).state().wire(), "a soft delete");
    assertEquals(0L, svc.deleteAll(alpha), "nothing left to delete");
  }

  /**
   * Text that shows nothing or is not valid Unicode, and a query over the limit, get the same
   * message in-process and through the wire (where a 9,000-character query would otherwise meet a
   * URI limit), and nothing is stored.
   */
  @Test
  void invisibleAndMalformedTextAndLongQueriesAreRefusedAlike() {
    Memory kept = store(alpha, "The staging database is Postgres 16");
    assertInvalid("control and zero-width", () -> store(alpha, "\u0000\u0000\u0000"));
    assertInvalid("control and zero-width", () -> store(alpha, "\u200b\u200b\u200b"));
    assertInvalid("lone surrogate", () -> store(alpha, "half \ud83d a pair"));
    assertInvalid(
        "tags is not valid Unicode",
        () ->
            svc.store(
                alpha, new StoreRequest("Valid text", List.of("\udc00"), null, null, null, null)));
    assertInvalid(
        "query is 9000 characters; the limit is 4000",
        () -> svc.search(alpha, SearchRequest.of("q".repeat(9000))));
    assertInvalid(
        "query is 70000 characters; the limit is 4000",
        () -> svc.search(alpha, SearchRequest.of("é".repeat(70000))));
    assertEquals(1L, total(alpha), "only the good memory is stored");
    Memory nul = store(alpha, "Keep\u0000 the build green");
    assertEquals("Keep the build green", nul.content(), "control characters are dropped");
    assertEquals(kept.content(), svc.get(alpha, kept.id()).content());
  }

  /** The stats' total: a number, whatever type it travelled as. */
  long total(Caller c) {
    return ((Number) svc.stats(c).get("total")).longValue();
  }

  static void assertInvalid(String expected, Executable call) {
    OmemException e = assertThrows(OmemException.class, call);
    assertEquals(ErrorCode.VALIDATION, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
  }
}
