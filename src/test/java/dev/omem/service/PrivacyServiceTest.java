package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Memory;
import dev.omem.domain.OmemException;
import dev.omem.ingest.PrivacyCorpus;
import dev.omem.llm.LlmProvider;
import dev.omem.testing.StandInLlm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md decision 8 end to end on a real store: no secret of the privacy corpus and no {@code
 * <private>} text reaches SQLite (the database and WAL files' bytes) or Lucene (its terms, stored
 * fields and files' bytes) through store, storeAll, update or ingest.
 */
class PrivacyServiceTest {
  /** Text that lives only inside {@code <private>} tags. */
  private static final String PRIVATE_TEXT = "ZebraLaunchCode4242";

  @TempDir Path home;
  private final Caller alpha = Caller.local("github.com/acme/alpha");
  private LocalMemoryService svc;

  private LocalMemoryService open() {
    // The float32 model is not on the test class path: BM25 only, no model to wait for.
    return LocalMemoryService.open(new OmemConfig(home, "bge-small-en-v1.5"));
  }

  @AfterEach
  void close() {
    if (svc != null) {
      svc.close();
    }
  }

  @Test
  void noSecretNorPrivateTextReachesSqliteOrLucene() throws IOException {
    svc = open();
    List<PrivacyCorpus.Secret> corpus = PrivacyCorpus.secrets();
    List<StoreRequest> batch = new ArrayList<>();
    List<IngestRequest.Message> turns = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      String text = corpus.get(i).text();
      String priv = " <private>" + PRIVATE_TEXT + " " + i + "</private>";
      switch (i % 4) {
        case 0 -> svc.store(alpha, StoreRequest.of("Note " + i + ": " + text + priv));
        case 1 -> batch.add(StoreRequest.of("Batch note " + i + ": " + text + priv));
        case 2 -> {
          Memory m = svc.store(alpha, StoreRequest.of("Placeholder memory number " + i));
          Memory u =
              svc.update(
                  alpha,
                  new UpdateRequest(
                      m.id(), "Updated " + i + ": " + text + priv, null, null, null, null));
          assertTrue(u.content().contains("[REDACTED:" + corpus.get(i).kind() + "]"), u.content());
        }
        default ->
            turns.add(
                new IngestRequest.Message(
                    "user",
                    "We decided that the staging credentials number "
                        + i
                        + " are "
                        + text
                        + priv
                        + " from now on"));
      }
    }
    assertEquals(batch.size(), svc.storeAll(alpha, batch).size());
    turns.add(new IngestRequest.Message("user", "<private>" + PRIVATE_TEXT + " only</private>"));
    IngestResult ingested = svc.ingest(alpha, new IngestRequest(turns, "raw"));
    assertEquals(turns.size() - 1, ingested.storedCount(), "the all-private turn is skipped");
    assertEquals("done", svc.awaitTask(alpha, ingested.taskId(), Duration.ofSeconds(60)).status());

    for (PrivacyCorpus.Secret s : corpus) {
      for (String q : List.of(s.secret(), s.secret().split("\n")[0])) {
        var out =
            svc.search(
                alpha, SearchRequest.builder(q.length() > 500 ? q.substring(0, 500) : q).build());
        out.results()
            .forEach(r -> assertFalse(r.memory().content().contains(s.secret()), s.toString()));
      }
    }
    storeSecretsInEveryOtherField(corpus);
    var priv = svc.search(alpha, SearchRequest.builder(PRIVATE_TEXT).build());
    assertTrue(priv.results().isEmpty(), "private text is not searchable");
    // An upkeep pass takes the daemon's backup (<home>/backups/): the scan below reads it too.
    assertTrue(svc.upkeep().backup() != null, "the first pass backs the store up");
    svc.close();
    svc = null;
    try (Stream<Path> backups = Files.list(home.resolve("backups"))) {
      assertEquals(1, backups.count(), "one backup to scan");
    }
    assertStoreClean(needles(corpus));
  }

  /**
   * The corpus through the fields other than content: tags and source of store and update, the tags
   * of caller-extracted facts, and an import file's tags, source, provenance and content. Each
   * memory's answer is checked too: what the caller sees back is what was stored.
   */
  private void storeSecretsInEveryOtherField(List<PrivacyCorpus.Secret> corpus) {
    List<IngestRequest.Fact> facts = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < corpus.size(); i++) {
      PrivacyCorpus.Secret s = corpus.get(i);
      String oneLine = s.text().replace("\n", " ");
      // The secret as a tag where its shape alone says it is one (AKIA…, ghp_…), else the text
      // around it ("password=…") when that fits in a tag; the source always holds the text.
      String tag =
          Stream.of(s.secret(), oneLine)
              .filter(t -> t.length() <= 64 && !t.contains("\n"))
              .filter(t -> dev.omem.ingest.Redactor.redact(t).changed())
              .findFirst()
              .orElse("plain-tag-" + i);
      String source = oneLine.length() > 190 ? oneLine.substring(0, 190) : oneLine;
      Memory m =
          svc.store(
              alpha,
              new StoreRequest(
                  "Field note " + i + " about the deploy", List.of(tag), source, null, null, null));
      assertFalse(String.join(" ", m.tags()).contains(s.secret()), s + " kept in " + m.tags());
      assertFalse(m.source().contains(s.secret().split("\n")[0]), s + " kept in " + m.source());
      Memory u =
          svc.update(
              alpha, new UpdateRequest(m.id(), null, List.of("u" + i, tag), null, null, null));
      assertFalse(String.join(" ", u.tags()).contains(s.secret()), s + " kept in " + u.tags());
      facts.add(
          new IngestRequest.Fact(
              "Fact number " + i + " of the deploy", "patterns", List.of(tag), 0.5, 0.8));
      jsonl
          .append(
              json(
                  Map.of(
                      "content",
                      "Imported " + i + ": " + s.text(),
                      "tags",
                      List.of(tag),
                      "source",
                      source,
                      "metadata",
                      Map.of("note", oneLine))))
          .append('\n');
    }
    IngestResult r =
        svc.ingest(
            alpha,
            new IngestRequest(
                List.of(new IngestRequest.Message("user", "deploy facts follow")),
                "smart",
                null,
                facts));
    assertEquals("done", svc.awaitTask(alpha, r.taskId(), Duration.ofSeconds(60)).status());
    ImportRecord rec =
        svc.importFile(
            alpha,
            new ImportRequest("jsonl", jsonl.toString(), null, true, null, null),
            ImportProgress.NONE);
    assertEquals(corpus.size(), rec.imported(), rec.toString());
  }

  /** Every term of every field and every stored value of the index, read back through Lucene. */
  private static void assertLuceneClean(Path dir, List<String> needles) throws IOException {
    List<String> lower = needles.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    int docs = 0;
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
      for (LeafReaderContext leaf : reader.leaves()) {
        for (FieldInfo fi : leaf.reader().getFieldInfos()) {
          Terms terms = leaf.reader().terms(fi.name);
          if (terms == null) {
            continue;
          }
          TermsEnum te = terms.iterator();
          for (BytesRef t = te.next(); t != null; t = te.next()) {
            String term = t.utf8ToString().toLowerCase(Locale.ROOT);
            if (term.length() >= 8) {
              for (String n : lower) {
                assertFalse(n.contains(term), "index term '" + term + "' is part of " + n);
              }
            }
          }
        }
        StoredFields stored = leaf.reader().storedFields();
        for (int d = 0; d < leaf.reader().maxDoc(); d++) {
          docs++;
          for (IndexableField f : stored.document(d).getFields()) {
            String v = f.stringValue();
            for (String n : needles) {
              assertFalse(v != null && v.contains(n), "stored field " + f.name() + " holds " + n);
            }
          }
        }
      }
    }
    assertTrue(docs > 0, "the index holds the memories");
  }

  /**
   * With an LLM configured, the secrets corpus goes through smart ingest: the stand-in server (the
   * provider's wire format) records every request, and stderr (where omem logs) is captured. The
   * stand-in echoes back what it was shown as facts, so the store is checked again too.
   */
  @Test
  void noSecretReachesAnLlmRequestOrALogLine() throws IOException {
    List<PrivacyCorpus.Secret> corpus = PrivacyCorpus.secrets();
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (StandInLlm llm = StandInLlm.start()) {
      llm.respondWith(
          r ->
              StandInLlm.Reply.text(
                  json(
                      Map.of(
                          "facts",
                          List.of(
                              Map.of(
                                  "text",
                                  "The user said: "
                                      + r.user().substring(0, Math.min(400, r.user().length())),
                                  "category",
                                  "patterns",
                                  "tags",
                                  List.of(),
                                  "importance",
                                  0.6,
                                  "confidence",
                                  0.8))))));
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try {
        svc =
            LocalMemoryService.open(
                new OmemConfig(home, "bge-small-en-v1.5"),
                java.time.Clock.systemUTC(),
                llm.settings(LlmProvider.ANTHROPIC));
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
          String text = corpus.get(i).text();
          tasks.add(
              svc.ingest(
                      alpha,
                      new IngestRequest(
                          List.of(
                              new IngestRequest.Message(
                                  "user",
                                  "Remember that the deploy token for job "
                                      + i
                                      + " is "
                                      + text
                                      + " <private>"
                                      + PRIVATE_TEXT
                                      + "</private>"),
                              new IngestRequest.Message("assistant", "I'll use " + text)),
                          "smart"))
                  .taskId());
        }
        for (String t : tasks) {
          assertEquals("done", svc.awaitTask(alpha, t, Duration.ofSeconds(60)).status());
        }
        svc.close();
        svc = null;
      } finally {
        System.setErr(err);
      }
      assertTrue(llm.requestCount() >= corpus.size(), "the LLM was asked");
      String sent =
          llm.requests().stream().map(StandInLlm.Request::text).reduce("", (a, b) -> a + "\n" + b);
      String logged = log.toString(StandardCharsets.UTF_8);
      for (String n : needles(corpus)) {
        assertFalse(sent.contains(n), "an LLM request holds " + n);
        assertFalse(logged.contains(n), "the log holds " + n);
      }
      assertTrue(sent.contains("[REDACTED:"), "the model saw the markers");
    }
    assertStoreClean(needles(corpus));
  }

  private static String json(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> needles(List<PrivacyCorpus.Secret> corpus) {
    List<String> needles = new ArrayList<>();
    needles.add(PRIVATE_TEXT);
    for (PrivacyCorpus.Secret s : corpus) {
      for (String line : s.secret().split("\n")) {
        if (!line.startsWith("-----")) {
          needles.add(line);
        }
      }
    }
    return needles;
  }

  private void assertStoreClean(List<String> needles) throws IOException {
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String n : needles) {
          assertFalse(bytes.contains(n), f.getFileName() + " holds " + n);
        }
      }
    }
    assertLuceneClean(home.resolve("index"), needles);
  }

  @Test
  void contentThatIsEntirelyPrivateIsRefusedOnStoreAndUpdate() {
    svc = open();
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> svc.store(alpha, StoreRequest.of("<private>" + PRIVATE_TEXT + "</private>")));
    assertEquals(ErrorCode.VALIDATION, e.code());
    assertTrue(e.getMessage().contains("entirely private"), e.getMessage());
    Memory m = svc.store(alpha, StoreRequest.of("The build uses Maven offline"));
    OmemException u =
        assertThrows(
            OmemException.class,
            () ->
                svc.update(
                    alpha, new UpdateRequest(m.id(), "<private>all", null, null, null, null)));
    assertTrue(u.getMessage().contains("entirely private"), u.getMessage());
    assertEquals("The build uses Maven offline", svc.get(alpha, m.id()).content());
  }
}
