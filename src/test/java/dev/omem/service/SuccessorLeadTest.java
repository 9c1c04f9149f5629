package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
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
 * A search in the words of a superseded fact leads with what replaced it, on a real local service
 * (SQLite, Lucene, the ONNX model; fixed cases written for this test). The change of mind is worded
 * apart from the old fact, and other current memories share more of the old fact's words, so
 * without the lead the replacement is not first.
 */
class SuccessorLeadTest {
  @TempDir Path home;
  final Caller me = new Caller(null, "github.com/acme/blog", "claude-code", "session-1");
  final Caller later = new Caller(null, "github.com/acme/blog", "claude-code", "session-2");
  LocalMemoryService svc;

  static final String OLD =
      "The path sync runs as a step in the GitHub Actions workflow main.yml, not as a VS Code"
          + " task.";
  // Names the old value ("instead of the main.yml step", ReplacedValue), in few of its words.
  static final String NEW = "Nevermind, use the tasks.json solution instead of the main.yml step.";

  @BeforeEach
  void open() {
    svc = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(svc.awaitModel(Duration.ofSeconds(120)), "model loads");
  }

  @AfterEach
  void close() {
    svc.close();
  }

  /** One user turn ingested (smart) with the turn itself as its one fact: the extractor aside. */
  IngestTask ingest(Caller c, String turn) {
    IngestResult r =
        svc.ingest(
            c,
            new IngestRequest(
                List.of(new IngestRequest.Message("user", turn)),
                "smart",
                null,
                List.of(new IngestRequest.Fact(turn, "patterns", List.of(), 0.7, 0.85))));
    IngestTask t = svc.awaitTask(c, r.taskId(), Duration.ofSeconds(60));
    assertEquals("done", t.status(), t.toString());
    return t;
  }

  Memory only(String text) {
    return svc
        .list(me, ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories()
        .stream()
        .filter(m -> m.content().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no memory " + text));
  }

  List<String> search(String q) {
    return svc.search(me, SearchRequest.of(q)).results().stream()
        .map(r -> r.memory().content())
        .toList();
  }

  /** The pipeline's own ranking: a search that names its states is left as ranked. */
  List<String> ranked(String q) {
    return svc
        .search(me, SearchRequest.builder(q).states(List.of("active")).build())
        .results()
        .stream()
        .map(r -> r.memory().content())
        .toList();
  }

  /** Ingests {@code turn} as a new memory of its own. */
  void created(String turn) {
    IngestTask t = ingest(me, turn);
    assertEquals("create", t.steps().get(0).decision(), t.toString());
  }

  @Test
  void aSearchInTheOldWordsLeadsWithTheReplacement() {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    created("Blog posts are written in Markdown with a front matter block.");
    IngestTask t = ingest(later, NEW);
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    Memory old = only(OLD);
    assertEquals(MemoryState.ARCHIVED, old.state());
    assertEquals(only(NEW).id(), old.supersededBy());

    List<String> plain = ranked(OLD);
    assertNotEquals(NEW, plain.get(0), "the case needs the lead: " + plain);
    List<String> found = search(OLD);
    assertEquals(NEW, found.get(0), found.toString());
    assertFalse(found.contains(OLD), "the superseded fact stays out of search: " + found);
    assertTrue(found.size() >= 2, "the other current memories stay: " + found);
  }

  /**
   * Whether to look for a superseded memory at all is read from the store on each search (issue 15,
   * session 10), not from what this process saw written: a reopened service still leads.
   */
  @Test
  void theReplacementStillLeadsAfterTheServiceIsReopened() {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    created("Blog posts are written in Markdown with a front matter block.");
    ingest(later, NEW);
    svc.close();
    open();
    List<String> plain = ranked(OLD);
    assertNotEquals(NEW, plain.get(0), "the case needs the lead: " + plain);
    assertEquals(NEW, search(OLD).get(0));
  }

  @Test
  void aSearchForSomethingElseIsLeftAlone() {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    ingest(later, NEW);
    List<String> found = search("Which workflow publishes the posts on every push?");
    assertTrue(found.get(0).contains("publishes the posts"), found.toString());
  }

  /**
   * The partition's superseded vectors are kept between searches ({@link SupersededNear}); a
   * supersede after a search must be seen by the next one. The first search finds nothing
   * superseded and looks in the index for nothing; after the supersede, the same query must look
   * and lead with the replacement.
   */
  @Test
  void aSupersedeAfterASearchIsSeenByTheNextSearch() {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    created("Blog posts are written in Markdown with a front matter block.");
    List<String> before = search(OLD);
    assertEquals(OLD, before.get(0), before.toString());
    assertEquals(0, svc.successorLookUps(), "nothing superseded: no look-up");
    ingest(later, NEW);
    List<String> found = search(OLD);
    assertEquals(NEW, found.get(0), found.toString());
    assertEquals(1, svc.successorLookUps());
  }

  /**
   * The skip's own case: a query far from every superseded memory (its first result is nearer)
   * gives the pipeline's ranking unchanged and never looks in the index.
   */
  @Test
  void aQueryNearerItsFirstResultThanAnySupersededMemoryIsNotLookedUp() {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    created("Blog posts are written in Markdown with a front matter block.");
    ingest(later, NEW);
    String q = "Are blog posts written in Markdown with front matter?";
    List<String> found = search(q);
    assertEquals(ranked(q), found);
    assertEquals(0, svc.successorLookUps());
    assertEquals(NEW, search(OLD).get(0));
    assertEquals(1, svc.successorLookUps(), "the old words still look");
  }

  /**
   * A pruned change log reads 0 again after later writes are pruned too, so what a search read with
   * the log empty is not kept: a supersede between two such searches still leads.
   */
  @Test
  void aSupersedeBetweenTwoSearchesOverAPrunedLogIsSeen() throws Exception {
    created(OLD);
    created("The GitHub Actions workflow main.yml publishes the posts on every push.");
    created("Blog posts are written in Markdown with a front matter block.");
    pruned();
    assertEquals(0, changesLeft(), "the case needs the log pruned");
    assertEquals(OLD, search(OLD).get(0));
    ingest(later, NEW);
    pruned();
    assertEquals(0, changesLeft(), "the case needs the log pruned again");
    assertEquals(NEW, search(OLD).get(0));
  }

  /** Waits for the index's tick to commit and prune the log (it commits once writes pause). */
  void pruned() throws Exception {
    for (int i = 0; i < 300 && changesLeft() > 0; i++) {
      Thread.sleep(100);
    }
  }

  long changesLeft() throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("omem.db"));
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM changes")) {
      return rs.getLong(1);
    }
  }

  /**
   * Issue 14: the old choice said twice (two memories, not merged) and then changed. The change
   * retires the nearest statement; the other, which restates the retired choice, must not stay in
   * the search's top 3 for the old words (it was second on main, session 24), while a memory on the
   * same workflow that says something else stays.
   */
  @Test
  void anOldChoiceSaidTwiceLeavesTheTopThreeWhenTheMindChanges() {
    String again =
        "Keep the dev-to-git path sync as a job in the main.yml GitHub Actions workflow.";
    String other = "The GitHub Actions workflow main.yml publishes the posts on every push.";
    created(OLD);
    created(again);
    created("Blog posts are written in Markdown with a front matter block.");
    created(other);
    IngestTask t = ingest(later, NEW);
    assertTrue(t.steps().stream().anyMatch(s -> s.decision().equals("supersede")), t.toString());
    assertEquals(MemoryState.ACTIVE, only(again).state(), "the store keeps the restatement");
    List<String> found =
        svc.search(me, SearchRequest.builder(OLD).limit(3).build()).results().stream()
            .map(r -> r.memory().content())
            .toList();
    assertEquals(NEW, found.get(0), found.toString());
    assertFalse(found.contains(OLD) || found.contains(again), found.toString());
    assertTrue(found.contains(other), "a different fact on the same workflow stays: " + found);
    assertTrue(ranked(OLD).contains(again), "a search naming its states is left as ranked");
  }
}
