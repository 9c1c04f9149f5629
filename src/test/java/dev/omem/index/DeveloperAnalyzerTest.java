package dev.omem.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.Tier;
import dev.omem.store.MemoryRepository;
import dev.omem.store.MemoryWrite;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.Database;
import dev.omem.store.sqlite.SqliteMemoryRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identifiers, paths, flags, error codes and versions, matched whole and by their parts. */
class DeveloperAnalyzerTest {
  static final String MODEL = "m";

  /** Each memory by a short name; the distractors share parts of the identifiers, not the whole. */
  static final Map<String, String> TEXTS = new LinkedHashMap<>();

  static {
    TEXTS.put("camel", "getUserById returns null for a deleted account");
    TEXTS.put("profile", "the user profile page caches avatars");
    TEXTS.put("flag", "run git commit --no-verify only for release merges");
    TEXTS.put("verify", "verify the checksum before publishing");
    TEXTS.put("error", "ERR_MODULE_NOT_FOUND means an import lacks its .js extension");
    TEXTS.put("module", "the module loader was not found on the old runner");
    TEXTS.put("version", "release v1.2.3 pinned the YAML parser");
    TEXTS.put("path", "the entry point is src/main/App.tsx");
    TEXTS.put("app", "the main app of the mobile client is separate");
    TEXTS.put("dotted", "set spring.datasource.url in application.yml");
    TEXTS.put("kebab", "the date-fns helpers format every timestamp");
  }

  @TempDir Path home;
  Database db;
  MemoryRepository repo;
  final Map<String, String> ids = new LinkedHashMap<>();

  @BeforeEach
  void fill() {
    db = Database.open(home);
    repo = new SqliteMemoryRepository(db);
    TEXTS.forEach((name, text) -> ids.put(name, insert(text)));
  }

  @AfterEach
  void close() {
    db.close();
  }

  String insert(String text) {
    Instant t = Instant.parse("2026-11-01T00:00:00Z");
    Memory m =
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId("t")
            .spaceId("personal/t")
            .content(text)
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
    repo.apply(new MemoryWrite().insert(new StoredMemory(m, null, null)), null);
    return m.id();
  }

  static List<String> terms(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (DeveloperAnalyzer a = new DeveloperAnalyzer();
        TokenStream ts = a.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add((inc.getPositionIncrement() == 0 ? "+" : "") + term);
      }
      ts.end();
    }
    return out;
  }

  @Test
  void emitsIdentifiersWholeAndTheirPartsAtTheSamePosition() throws IOException {
    assertEquals(List.of("getuserbyid", "+get", "+user", "+id"), terms("getUserById"));
    assertEquals(
        List.of("err_module_not_found", "+err", "+modul", "+found"), terms("ERR_MODULE_NOT_FOUND"));
    assertEquals(List.of("no-verify", "+verifi"), terms("--no-verify"));
    assertEquals(List.of("v1.2.3", "+1.2.3", "+v", "+1", "+2", "+3"), terms("v1.2.3"));
    assertEquals(
        List.of("src/main/app.tsx", "+app.tsx", "+src", "+main", "+app", "+tsx"),
        terms("src/main/App.tsx"));
    assertEquals(List.of("httpserver", "+http", "+server"), terms("HTTPServer"));
  }

  @Test
  void readsProseAsTheEnglishAnalyzerDid() throws IOException {
    assertEquals(List.of("carolin", "went", "parad"), terms("Caroline's went to the parade."));
    assertEquals(List.of("don't", "stop", "end"), terms("don't stop -- the end..."));
  }

  @Test
  void findsIdentifiersByTheirPartsAndWhole() throws IOException {
    try (MemoryIndex idx = MemoryIndex.open(home.resolve("index"))) {
      repo.forEachStored(row -> idx.upsert(row, MODEL));
      idx.markApplied(repo.lastSeq());
      assertFirst(idx, "camel", "user by id");
      assertFirst(idx, "camel", "getUserById");
      assertFirst(idx, "camel", "get_user_by_id");
      assertFirst(idx, "flag", "--no-verify");
      assertFirst(idx, "flag", "no-verify");
      assertFirst(idx, "error", "ERR_MODULE_NOT_FOUND");
      assertFirst(idx, "error", "err module not found");
      assertFirst(idx, "version", "v1.2.3");
      assertFirst(idx, "version", "version 1.2.3");
      assertFirst(idx, "path", "App.tsx");
      assertFirst(idx, "path", "src/main/App.tsx");
      assertFirst(idx, "dotted", "spring datasource url");
      assertFirst(idx, "dotted", "spring.datasource.url");
      assertFirst(idx, "kebab", "date fns");
    }
  }

  void assertFirst(MemoryIndex idx, String expected, String query) {
    List<IndexHit> hits = idx.searchText(query, MemoryFilter.activeOf("t"), 5);
    assertFalse(hits.isEmpty(), query + " finds something");
    String first = hits.get(0).id();
    String name =
        ids.entrySet().stream()
            .filter(e -> e.getValue().equals(first))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    assertEquals(expected, name, "first for \"" + query + "\"");
    if (hits.size() > 1) {
      assertTrue(hits.get(0).score() > hits.get(1).score(), query + ": ahead, not tied");
    }
  }

  @Test
  void anIndexWrittenByAnOlderBuildIsRebuiltOnceAtOpen() throws Exception {
    Path dir = home.resolve("index");
    // What builds before the format key wrote: EnglishAnalyzer terms, no "omem.format".
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new EnglishAnalyzer()))) {
      for (StoredMemory row : rows()) {
        Document doc = new Document();
        doc.add(new StringField(MemoryIndex.ID, row.memory().id(), Field.Store.YES));
        doc.add(new TextField(MemoryIndex.TEXT, row.memory().content(), Field.Store.NO));
        doc.add(new StringField(MemoryIndex.TENANT, "t", Field.Store.NO));
        doc.add(new StringField(MemoryIndex.STATE, "active", Field.Store.NO));
        w.addDocument(doc);
      }
      w.setLiveCommitData(Map.of("omem.seq", Long.toString(repo.lastSeq())).entrySet());
      w.commit();
    }

    IndexSynchronizer first = IndexSynchronizer.open(repo, dir, MODEL);
    assertTrue(first.awaitHealthy(Duration.ofSeconds(30)), "rebuilt");
    assertEquals(1, first.status().rebuilds());
    assertEquals("written by an older build", first.status().reason());
    assertFirst(first.index(), "camel", "user by id");
    first.close();

    IndexSynchronizer second = IndexSynchronizer.open(repo, dir, MODEL);
    assertEquals(0, second.status().rebuilds(), "rebuilt once, not at every open");
    assertFirst(second.index(), "camel", "user by id");
    second.close();
  }

  List<StoredMemory> rows() {
    List<StoredMemory> out = new ArrayList<>();
    repo.forEachStored(out::add);
    return out;
  }
}
