package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import dev.omem.ingest.Reconciler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change of mind retires the stored fact on its subject, not a neighbour that is only near by
 * topic (Reconciler.CHANGED_SUBJECT, issue 14, session 21): on a real local service (SQLite,
 * Lucene, the ONNX model, the shipped extraction classifier), smart ingest without an LLM.
 */
class SameSubjectSupersedeTest {
  @TempDir Path home;
  final Caller first = new Caller(null, "github.com/acme/alpha", "claude-code", "session-1");
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

  Memory only(String word) {
    List<Memory> all =
        svc.list(first, ListRequest.builder().limit(200).offset(0).scope("all").build()).memories();
    return all.stream()
        .filter(m -> m.content().contains(word))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no memory with " + word + " in " + all));
  }

  static double cosine(String a, String b) throws Exception {
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      List<float[]> v = e.embedDocuments(List.of(a, b));
      double s = 0;
      for (int i = 0; i < v.get(0).length; i++) {
        s += v.get(0)[i] * v.get(1)[i];
      }
      return s;
    }
  }

  @Test
  void aChangeOnOneSubjectKeepsANeighbourOnAnother() throws Exception {
    String stored = OLD_OTHER;
    String change = CHANGE_OTHER;
    // The precondition that makes this a test of the subject rule: the cosine gate alone joins
    // them.
    assertTrue(cosine(stored, change) >= Reconciler.CHANGED_TOPIC, "near by cosine");
    ingest(first, stored);
    Memory kept = only(OTHER_WORD);
    IngestTask t = ingest(later, change);
    assertTrue(t.steps().stream().noneMatch(s -> s.decision().equals("supersede")), t.toString());
    assertEquals(MemoryState.ACTIVE, svc.get(first, kept.id()).state(), "the unrelated fact stays");
    assertEquals(MemoryState.ACTIVE, only(CHANGE_WORD).state());
  }

  @Test
  void aChangeOnTheSameSubjectStillSupersedes() throws Exception {
    ingest(first, OLD_SAME);
    Memory old = only(SAME_WORD);
    IngestTask t = ingest(later, CHANGE_SAME);
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    Memory now = svc.get(first, old.id());
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
