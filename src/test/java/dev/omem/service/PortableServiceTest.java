package dev.omem.service;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Category;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.HistoryEntry;
import dev.omem.domain.IngestTask;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.OmemException;
import dev.omem.ingest.PrivacyCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import and export on real stores (SQLite, Lucene, the ONNX model): the omem format round trip,
 * OMP both ways, Markdown (CLAUDE.md, Cursor rules), duplicates, rollback, privacy.
 */
class PortableServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path homeA;
  @TempDir Path homeB;
  private final Caller alpha = new Caller(null, "github.com/acme/alpha", "claude-code", "s-1");
  private final Caller beta = new Caller(null, "github.com/acme/beta", "cursor", "s-2");
  private final List<LocalMemoryService> open = new ArrayList<>();

  private LocalMemoryService open(Path home) {
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    open.add(s);
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  @AfterEach
  void closeAll() {
    open.forEach(LocalMemoryService::close);
  }

  private static ImportRequest file(String type, String content) {
    return new ImportRequest(type, content, null, false, null, null);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PortableServiceTest.class.getResourceAsStream("/portable/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<Memory> all(LocalMemoryService s, Caller c) {
    List<Memory> out = new ArrayList<>();
    for (String state : List.of("active", "archived", "deleted")) {
      out.addAll(
          s.list(c, ListRequest.builder().limit(200).offset(0).scope("all").state(state).build())
              .memories());
    }
    return out;
  }

  private static JsonNode withoutExportedAt(String export) throws IOException {
    ObjectNode j = (ObjectNode) JSON.readTree(export);
    assertTrue(j.path("exported_at").isTextual());
    j.remove("exported_at");
    return j;
  }

  // ---- omem round trip ----

  @Test
  void omemExportImportExportIsIdentical() throws IOException {
    LocalMemoryService a = open(homeA);
    Memory tabs =
        a.store(
            alpha,
            new StoreRequest(
                "I prefer tabs for indentation", null, null, "preferences", null, null));
    Memory spaces =
        a.store(
            alpha,
            new StoreRequest(
                "Actually I now prefer spaces for indentation",
                null,
                null,
                "preferences",
                null,
                null));
    assertEquals(spaces.id(), a.get(alpha, tabs.id()).supersededBy(), "superseded");
    Memory pg =
        a.store(
            alpha,
            new StoreRequest(
                "The orders service stores its data in PostgreSQL",
                List.of("db", "orders"),
                "design-doc",
                "entities",
                "project",
                0.9));
    Memory incident =
        a.store(
            beta,
            new StoreRequest(
                "On release day the payment webhook timed out after the TLS certificate expired",
                List.of("incident"),
                null,
                "events",
                null,
                null));
    Memory howto =
        a.store(
            beta,
            new StoreRequest(
                "To rotate the signing key run scripts/rotate-key.sh and restart the gateway",
                null,
                null,
                "cases",
                "global",
                0.7));
    a.update(
        alpha,
        new UpdateRequest(pg.id(), null, List.of("db", "orders", "postgres"), null, null, null));
    a.update(beta, new UpdateRequest(incident.id(), null, null, null, null, "archived"));
    a.get(alpha, pg.id());
    a.get(alpha, pg.id());
    a.get(beta, howto.id());
    a.awaitAccesses();

    String first = exported(a, "omem");
    JsonNode exported = JSON.readTree(first);
    assertEquals("omem", exported.path("format").asText());
    assertEquals(1, exported.path("version").asInt());
    assertEquals(5, exported.path("memories").size(), first);
    JsonNode pgJson = find(exported, pg.id());
    assertEquals(2, pgJson.path("access_count").asLong(), pgJson.toString());
    assertTrue(pgJson.path("embedding").isTextual(), "the vector travels");
    assertEquals(2, pgJson.path("history").size(), "created, updated");
    assertEquals("archived", find(exported, tabs.id()).path("state").asText());
    assertEquals(spaces.id(), find(exported, tabs.id()).path("superseded_by").asText());
    assertEquals("archived", find(exported, incident.id()).path("state").asText());

    LocalMemoryService b = open(homeB);
    ImportRecord rec = b.importFile(alpha, file("omem", first), ImportProgress.NONE);
    assertEquals("completed", rec.status(), rec.toString());
    assertEquals(5, rec.imported());
    String second = exported(b, "omem");
    assertEquals(withoutExportedAt(first), withoutExportedAt(second));

    Memory restored = b.get(alpha, spaces.id());
    assertEquals(List.of(tabs.id()), restored.relations().get("supersedes"));
    assertEquals(
        a.history(alpha, tabs.id()).stream().map(HistoryEntry::action).toList(),
        b.history(alpha, tabs.id()).stream().map(HistoryEntry::action).toList());
    var hits = b.search(alpha, SearchRequest.of("which database do the orders use"));
    assertFalse(hits.results().isEmpty());
    assertEquals(pg.id(), hits.results().get(0).memory().id(), "the new store's index finds it");

    ImportRecord again = b.importFile(alpha, file("omem", first), ImportProgress.NONE);
    assertEquals(0, again.imported());
    assertEquals(5, again.skipped(), "existing ids are skipped");
  }

  /** The export file {@code s} writes for alpha. */
  private String exported(MemoryService s, String format) {
    StringWriter w = new StringWriter();
    s.export(alpha, new ExportRequest(format, null), w);
    return w.toString();
  }

  private static JsonNode find(JsonNode export, String id) {
    for (JsonNode m : export.path("memories")) {
      if (m.path("id").asText().equals(id)) {
        return m;
      }
    }
    throw new AssertionError("no memory " + id + " in the export");
  }

  // ---- OMP ----

  @Test
  void ompFileImportsWithTheMappingAndReimportSkips() throws IOException {
    LocalMemoryService s = open(homeA);
    ImportRecord r =
        s.importFile(alpha, file("omp", resource("omp-export.json")), ImportProgress.NONE);
    assertEquals("partial", r.status(), r.toString());
    assertEquals(5, r.totalItems());
    assertEquals(3, r.imported());
    assertEquals(2, r.errors().size(), r.errors().toString());
    assertEquals(List.of(3, 4), r.errors().stream().map(ImportRecord.ImportError::index).toList());
    assertTrue(r.errors().get(1).message().contains("source"), r.errors().toString());

    Map<Object, Memory> byOmp = new java.util.HashMap<>();
    all(s, alpha).forEach(m -> byOmp.put(m.provenance().get("omp_id"), m));
    Memory pnpm = byOmp.get("mem_a1b2c3d4e5f6g7h8");
    assertEquals("The user prefers pnpm over npm for every JavaScript project", pnpm.content());
    assertEquals(Category.PREFERENCES, pnpm.category(), "semantic tagged preference");
    assertEquals("claude-code", pnpm.source());
    assertEquals("sess-42", pnpm.sessionId());
    assertEquals("project:myapp", pnpm.scope());
    assertEquals(List.of("preference", "tooling:js"), pnpm.tags());
    assertEquals(0.8, pnpm.importance());
    assertEquals(Instant.parse("2026-06-01T09:00:00Z"), pnpm.createdAt());
    assertNull(pnpm.expiresAt());
    Memory pg = byOmp.get("mem_0000111122223333");
    assertEquals(Category.EVENTS, pg.category(), "episodic");
    assertEquals("cursor", pg.source());
    assertEquals(Instant.parse("2027-06-03T00:00:00Z"), pg.expiresAt());
    assertEquals("global", pg.scope(), "no namespace is global");
    Memory release = byOmp.get("mem_procedure0000001");
    assertEquals(Category.CASES, release.category(), "procedural");
    assertEquals("windsurf", release.source());

    ImportRecord again =
        s.importFile(alpha, file("omp", resource("omp-export.json")), ImportProgress.NONE);
    assertEquals(0, again.imported());
    assertEquals(3, again.skipped());
  }

  @Test
  void ompExportFollowsTheProtocolRules() throws IOException {
    LocalMemoryService s = open(homeA);
    s.store(
        alpha,
        new StoreRequest(
            "We deploy with Argo CD",
            List.of("Ops Team!", "CI/CD"),
            null,
            "entities",
            "project",
            null));
    s.store(
        alpha,
        new StoreRequest(
            "I like dark themes in every editor", null, null, "preferences", null, null));
    s.store(
        beta,
        new StoreRequest(
            "Last Friday the build broke because of a flaky test",
            null,
            null,
            "events",
            null,
            null));
    JsonNode file = JSON.readTree(exported(s, "omp"));
    assertEquals("0.1", file.path("omp_version").asText());
    assertTrue(file.path("exported_at").isTextual());
    assertEquals(3, file.path("memories").size());
    Pattern id = Pattern.compile("^mem_[a-z0-9]{16}$");
    Pattern tag = Pattern.compile("^[a-z0-9_:\\-]+$");
    for (JsonNode m : file.path("memories")) {
      assertTrue(id.matcher(m.path("id").asText()).matches(), m.toString());
      for (String f : List.of("id", "content", "type", "created_at", "updated_at")) {
        assertTrue(m.path(f).isTextual(), f + " in " + m);
      }
      Instant.parse(m.path("created_at").asText());
      assertTrue(List.of("episodic", "semantic", "procedural").contains(m.path("type").asText()));
      String tool = m.path("source").path("tool").asText();
      assertTrue(tool.length() >= 1 && tool.length() <= 100, m.toString());
      Instant.parse(m.path("source").path("timestamp").asText());
      assertTrue(m.path("tags").size() <= 20);
      for (JsonNode t : m.path("tags")) {
        assertTrue(tag.matcher(t.asText()).matches() && t.asText().length() <= 50, t.asText());
      }
      if (m.has("namespace")) {
        assertTrue(tag.matcher(m.path("namespace").asText()).matches(), m.toString());
      }
      assertTrue(m.path("metadata").size() <= 10);
    }
    JsonNode argo = null;
    for (JsonNode m : file.path("memories")) {
      if (m.path("content").asText().contains("Argo")) {
        argo = m;
      }
    }
    assertNotNull(argo);
    assertEquals("semantic", argo.path("type").asText());
    assertEquals("project:github-com-acme-alpha", argo.path("namespace").asText());
    List<String> tags = new ArrayList<>();
    argo.path("tags").forEach(t -> tags.add(t.asText()));
    assertTrue(
        tags.containsAll(List.of("category:entities", "ops-team", "ci-cd")), tags.toString());
  }

  // ---- Markdown ----

  @Test
  void claudeMdImportsOneMemoryPerBulletWithItsHeadingPath() throws IOException {
    LocalMemoryService s = open(homeA);
    ImportRecord r =
        s.importFile(
            alpha,
            new ImportRequest("markdown", resource("CLAUDE.md"), "CLAUDE.md", false, null, null),
            ImportProgress.NONE);
    assertEquals("completed", r.status(), r.toString());
    List<Memory> ms = all(s, alpha);
    assertEquals(r.imported(), ms.size());
    Memory javadoc = only(ms, "javadoc");
    assertEquals(
        "Every public class has a javadoc comment that says why it exists, not only what it does.",
        javadoc.content());
    assertEquals(List.of("acme-payments/code-style"), javadoc.tags());
    assertEquals("CLAUDE.md", javadoc.source());
    assertEquals(List.of("acme-payments/testing/fixtures"), only(ms, "regen-fixtures").tags());
    assertEquals(List.of("acme-payments"), only(ms, "admin UI").tags());
    assertTrue(only(ms, "mvnw").content().startsWith("```bash"), "a code block stays whole");
    assertEquals(10, ms.size(), ms.stream().map(Memory::content).toList().toString());
  }

  @Test
  void markdownSectionAndDocumentStrategies() throws IOException {
    LocalMemoryService s = open(homeA);
    ImportRecord sections =
        s.importFile(
            alpha,
            new ImportRequest(
                "markdown", resource("CLAUDE.md"), "CLAUDE.md", false, "section", null),
            ImportProgress.NONE);
    assertEquals(5, sections.imported(), sections.toString());
    Memory style = only(all(s, alpha), "Lombok");
    assertTrue(style.content().startsWith("Code style\n- Use 4 spaces"), style.content());
    assertEquals(List.of("acme-payments/code-style"), style.tags());
    s.rollbackImport(alpha, sections.id());

    ImportRecord doc =
        s.importFile(
            alpha,
            new ImportRequest(
                "markdown", resource("CLAUDE.md"), "CLAUDE.md", false, "document", null),
            ImportProgress.NONE);
    assertEquals(1, doc.imported());
    Memory whole = only(active(s), "# Acme Payments");
    assertTrue(whole.content().startsWith("# Acme Payments"));
    assertTrue(whole.content().contains("regen-fixtures.sh"));
  }

  @Test
  void cursorRulesLoseTheirFrontMatterAndKeepGlobsAsTags() throws IOException {
    LocalMemoryService s = open(homeA);
    ImportRecord r =
        s.importFile(
            alpha,
            new ImportRequest(
                ImportRequest.guessType("typescript.mdc", resource("typescript.mdc")),
                resource("typescript.mdc"),
                "typescript.mdc",
                false,
                null,
                null),
            ImportProgress.NONE);
    assertEquals(3, r.imported(), r.toString());
    List<Memory> ms = all(s, alpha);
    assertTrue(
        ms.stream()
            .noneMatch(m -> m.content().contains("globs") || m.content().contains("alwaysApply")));
    Memory deep = only(ms, "deep paths");
    assertEquals(
        List.of(
            "typescript-rules/imports",
            "rule:typescript-conventions-for-the-web-client",
            "glob:src/**/*.ts",
            "glob:src/**/*.tsx"),
        deep.tags());
    assertEquals("typescript.mdc", deep.source());
  }

  private static List<Memory> active(LocalMemoryService s) {
    return s.list(
            Caller.local(null),
            ListRequest.builder().limit(200).offset(0).scope("all").state("active").build())
        .memories();
  }

  private static Memory only(List<Memory> ms, String needle) {
    List<Memory> hits = ms.stream().filter(m -> m.content().contains(needle)).toList();
    assertEquals(1, hits.size(), needle + " in " + ms.stream().map(Memory::content).toList());
    return hits.get(0);
  }

  // ---- duplicates, rollback, privacy ----

  @Test
  void duplicatesSkippedUnlessForcedAndRollbackUndoesExactlyTheImport() throws IOException {
    LocalMemoryService s = open(homeA);
    Memory before = s.store(alpha, StoreRequest.of("We deploy with GitHub Actions"));
    PrivacyCorpus.Secret secret = PrivacyCorpus.secrets().get(0);
    String file =
        JSON.writeValueAsString(
            List.of(
                Map.of("content", "we deploy with github actions."),
                Map.of("content", "The API gateway is written in Go", "tags", List.of("gateway")),
                Map.of("content", "The API gateway is written in Go"),
                Map.of("content", "The deploy credential is " + secret.secret()),
                Map.of("tags", List.of("no content"))));
    ImportRecord r = s.importFile(alpha, file("memory", file), ImportProgress.NONE);
    assertEquals("partial", r.status(), r.toString());
    assertEquals(5, r.totalItems());
    assertEquals(5, r.processed());
    assertEquals(2, r.imported());
    assertEquals(2, r.skipped(), "one already stored, one repeated in the file");
    assertEquals(List.of(4), r.errors().stream().map(ImportRecord.ImportError::index).toList());
    Memory go = only(active(s), "written in Go");
    assertEquals(List.of("gateway"), go.tags());
    assertEquals(r.id(), go.provenance().get("import_id"));
    Memory cred = only(active(s), "deploy credential");
    assertTrue(cred.content().contains("[REDACTED:"), cred.content());

    ImportRecord forced =
        s.importFile(
            alpha, new ImportRequest("memory", file, null, true, null, null), ImportProgress.NONE);
    assertEquals(4, forced.imported(), forced.toString());
    assertEquals(7, active(s).size());

    ImportRecord rolled = s.rollbackImport(alpha, r.id());
    assertEquals("rolled_back", rolled.status());
    assertEquals(MemoryState.DELETED, s.get(alpha, go.id()).state());
    assertEquals(MemoryState.DELETED, s.get(alpha, cred.id()).state());
    assertEquals(MemoryState.ACTIVE, s.get(alpha, before.id()).state(), "pre-existing untouched");
    assertEquals(5, active(s).size(), "the forced import's memories stay");
    assertEquals(
        HistoryEntry.Action.DELETED,
        s.history(alpha, go.id()).get(s.history(alpha, go.id()).size() - 1).action());
    OmemException twice = assertThrows(OmemException.class, () -> s.rollbackImport(alpha, r.id()));
    assertEquals(ErrorCode.CONFLICT, twice.code());
    assertEquals("rolled_back", s.importRecord(alpha, r.id()).status());
    assertEquals(2, s.imports(alpha).size());

    OmemException other =
        assertThrows(
            OmemException.class,
            () -> s.importRecord(new Caller("another-tenant", null, null, null), r.id()));
    assertEquals(ErrorCode.NOT_FOUND, other.code());

    s.close();
    open.clear();
    try (Stream<Path> files = Files.walk(homeA)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String line : secret.secret().split("\n")) {
          if (!line.startsWith("-----")) {
            assertFalse(bytes.contains(line), f.getFileName() + " holds the secret");
          }
        }
      }
    }
  }

  @Test
  void unreadableFilesStoreNothing() {
    LocalMemoryService s = open(homeA);
    for (ImportRequest bad :
        List.of(
            file("pdf", "whatever"),
            file("memory", "[{\"content\": \"unterminated"),
            file("omem", "{\"format\": \"omp\"}"),
            file("omp", "{\"memories\": []}"),
            new ImportRequest("markdown", "- a", null, false, "chapters", null),
            new ImportRequest("markdown", "- a", null, false, null, "team/acme"))) {
      OmemException e =
          assertThrows(OmemException.class, () -> s.importFile(alpha, bad, ImportProgress.NONE));
      assertEquals(ErrorCode.VALIDATION, e.code(), e.getMessage());
    }
    assertTrue(all(s, alpha).isEmpty());
    assertTrue(s.imports(alpha).isEmpty());
  }

  /**
   * The omem reader streams (OmemFileReader) but keeps what reading the file whole did: a file
   * broken after more than a batch of good memories, or with anything after its object, stores
   * nothing; unreadable memories are error entries at their place in the file; the format and
   * version may come after the memories.
   */
  @Test
  void anOmemFileBrokenPastItsFirstBatchStoresNothingAndBadMemoriesAreErrors() throws IOException {
    LocalMemoryService s = open(homeA);
    s.store(alpha, StoreRequest.of("The template memory for the file"));
    ObjectNode file = (ObjectNode) JSON.readTree(exported(s, "omem"));
    ObjectNode template = (ObjectNode) file.path("memories").get(0);
    com.fasterxml.jackson.databind.node.ArrayNode memories = JSON.createArrayNode();
    int n = Importer.BATCH * 2 + 50;
    for (int i = 0; i < n; i++) {
      ObjectNode m = template.deepCopy();
      m.put(
          "id",
          java.util.UUID.nameUUIDFromBytes(("m" + i).getBytes(StandardCharsets.UTF_8)).toString());
      m.put("content", "Streamed memory number " + i + " about the billing queue");
      m.remove("embedding");
      m.remove("embedding_model");
      memories.add(m);
    }
    memories.set(3, JSON.createObjectNode().put("content", "no id, no times"));
    memories.set(Importer.BATCH + 7, JSON.getNodeFactory().textNode("not an object"));
    file.set("memories", memories);
    String whole = JSON.writeValueAsString(file);
    LocalMemoryService b = open(homeB);
    for (String broken :
        List.of(
            whole.substring(0, whole.length() * 9 / 10), // cut short, past two batches
            whole + " {\"format\": \"omem\"}", // a second value after the file
            // an unescaped quote in the last memory
            whole.replace("number " + (n - 1) + " about", "number " + (n - 1) + " \" about"))) {
      OmemException e =
          assertThrows(
              OmemException.class,
              () -> b.importFile(alpha, file("omem", broken), ImportProgress.NONE));
      assertEquals(ErrorCode.VALIDATION, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }
    assertTrue(all(b, alpha).isEmpty(), "nothing stored from a broken file");
    assertTrue(b.imports(alpha).isEmpty());

    // The memories first, the format and version after them: the same file to a JSON reader.
    ObjectNode reordered = JSON.createObjectNode();
    reordered.set("memories", memories);
    reordered.put("version", 1);
    reordered.put("format", "omem");
    ImportRecord r =
        b.importFile(alpha, file("omem", JSON.writeValueAsString(reordered)), ImportProgress.NONE);
    assertEquals("partial", r.status(), r.toString());
    assertEquals(n, r.totalItems());
    assertEquals(n, r.processed());
    assertEquals(n - 2, r.imported());
    assertEquals(
        List.of(3, Importer.BATCH + 7),
        r.errors().stream().map(ImportRecord.ImportError::index).toList());
    assertEquals("a memory must be a JSON object", r.errors().get(1).message());
    String last =
        java.util
            .UUID
            .nameUUIDFromBytes(("m" + (n - 1)).getBytes(StandardCharsets.UTF_8))
            .toString();
    assertEquals(
        "Streamed memory number " + (n - 1) + " about the billing queue",
        b.get(alpha, last).content(),
        "the last batch, read from the file after the others, is stored with its id");
  }

  @Test
  void aSessionFileGoesThroughIngest() throws IOException {
    LocalMemoryService s = open(homeA);
    String session =
        JSON.writeValueAsString(
            List.of(
                Map.of(
                    "role",
                    "user",
                    "content",
                    "I always use Neovim with the LazyVim setup for editing"),
                Map.of("role", "assistant", "content", "Noted, Neovim with LazyVim.")));
    assertEquals("session", ImportRequest.guessType("chat.json", session));
    ImportRecord r = s.importFile(alpha, file("session", session), ImportProgress.NONE);
    assertEquals("completed", r.status(), r.toString());
    assertEquals(2, r.totalItems());
    assertNotNull(r.taskId());
    IngestTask t = s.awaitTask(alpha, r.taskId(), Duration.ofSeconds(60));
    assertEquals("done", t.status(), t.toString());
    assertTrue(
        active(s).stream().anyMatch(m -> m.content().contains("Neovim")), active(s).toString());
  }
}
