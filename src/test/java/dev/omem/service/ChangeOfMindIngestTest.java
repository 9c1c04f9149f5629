package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import dev.omem.embed.UnitVectors;
import dev.omem.ingest.Reconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smart ingest without an LLM on a real local service (SQLite, Lucene, the ONNX model, the shipped
 * extraction classifier): filler is left out, both rules of one turn are kept, and a later change
 * of mind in a new ingest supersedes the old preference in search and the profile (issue 14).
 */
class ChangeOfMindIngestTest {
  @TempDir Path home;
  final Caller me = new Caller(null, "github.com/acme/alpha", "claude-code", "session-1");
  final Caller later = new Caller(null, "github.com/acme/alpha", "claude-code", "session-2");
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

  List<Memory> active() {
    return svc
        .list(me, ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories()
        .stream()
        .filter(m -> m.state() == MemoryState.ACTIVE)
        .toList();
  }

  @Test
  void aChangedPackageManagerReplacesTheOldInSearchAndProfile() {
    ingest(
        me,
        "Hi! Quick thing before we start: I always use pnpm, never npm, for JavaScript projects."
            + " And please keep commit messages under 72 characters.");
    List<String> first = active().stream().map(Memory::content).toList();
    Memory pnpm =
        active().stream()
            .filter(m -> m.content().contains("pnpm"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no pnpm fact in " + first));
    assertFalse(pnpm.content().contains("Quick thing"), pnpm.content());
    assertFalse(pnpm.content().contains("Hi"), pnpm.content());
    assertTrue(
        first.stream().anyMatch(t -> t.contains("72 characters") && !t.contains("pnpm")),
        "the commit rule is its own memory: " + first);

    IngestTask t =
        ingest(later, "Change of plan: I now use bun instead of pnpm for all JavaScript projects.");
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    Memory old = svc.get(me, pnpm.id());
    assertEquals(MemoryState.ARCHIVED, old.state(), "the old preference leaves search");
    assertNotNull(old.supersededBy());

    List<String> found =
        svc
            .search(me, SearchRequest.of("Which package manager for JavaScript projects?"))
            .results()
            .stream()
            .map(r -> r.memory().content())
            .toList();
    assertTrue(found.get(0).contains("bun"), found.toString());
    assertTrue(found.stream().noneMatch(x -> x.contains("always use pnpm")), found.toString());
    String profile = String.join("\n", svc.profile(me).staticFacts());
    assertFalse(profile.contains("always use pnpm"), profile);
  }

  @Test
  void twoUnrelatedFactsBothStay() {
    ingest(me, "We deploy the web app to Fly.io from the main branch.");
    ingest(later, "From now on I use bun instead of pnpm for JavaScript projects.");
    List<String> now = active().stream().map(Memory::content).toList();
    assertTrue(now.stream().anyMatch(x -> x.contains("Fly.io")), now.toString());
    assertTrue(now.stream().anyMatch(x -> x.contains("bun")), now.toString());
  }

  Memory only(String word) {
    List<Memory> all =
        svc.list(me, ListRequest.builder().limit(200).offset(0).scope("all").build()).memories();
    return all.stream()
        .filter(m -> m.content().contains(word))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no memory with " + word + " in " + all));
  }

  static double cosine(String a, String b) throws Exception {
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      List<float[]> v = e.embedDocuments(List.of(a, b));
      return UnitVectors.dot(v.get(0), v.get(1));
    }
  }

  /**
   * A change of mind retires the stored fact on its subject, not a neighbour that is only near by
   * topic (Reconciler.CHANGED_SUBJECT, session 21).
   */
  @Test
  void aChangeOnOneSubjectKeepsANeighbourOnAnother() throws Exception {
    String stored = OLD_OTHER;
    String change = CHANGE_OTHER;
    // The precondition that makes this a test of the subject rule: the cosine gate alone joins
    // them.
    assertTrue(cosine(stored, change) >= Reconciler.CHANGED_TOPIC, "near by cosine");
    ingest(me, stored);
    Memory kept = only(OTHER_WORD);
    IngestTask t = ingest(later, change);
    assertTrue(t.steps().stream().noneMatch(s -> s.decision().equals("supersede")), t.toString());
    assertEquals(MemoryState.ACTIVE, svc.get(me, kept.id()).state(), "the unrelated fact stays");
    assertEquals(MemoryState.ACTIVE, only(CHANGE_WORD).state());
  }

  @Test
  void aChangeOnTheSameSubjectStillSupersedes() throws Exception {
    ingest(me, OLD_SAME);
    Memory old = only(SAME_WORD);
    IngestTask t = ingest(later, CHANGE_SAME);
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    Memory now = svc.get(me, old.id());
    assertEquals(MemoryState.ARCHIVED, now.state(), "the old choice leaves search");
    assertNotNull(now.supersededBy());
  }

  static final String OLD_OTHER =
      "Add a session db command that keeps its state in XDG_STATE_HOME.";
  static final String OTHER_WORD = "XDG_STATE_HOME";
  static final String CHANGE_OTHER =
      "Actually, make the session cd command open a shell in the directory.";
  static final String CHANGE_WORD = "session cd";
  static final String OLD_SAME = "Run the end-to-end tests with Cypress in CI.";
  static final String SAME_WORD = "Cypress";
  static final String CHANGE_SAME =
      "Actually, run the end-to-end tests with Playwright in CI from now on.";
}
