package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MemoryJsonReader} undoes {@link MemoryJson} through a real JSON text. */
class MemoryJsonReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Memory full() {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("shared_from_space", "team/abc");
    provenance.put("shared_from_memory", "0b7c1a9e-5f0e-4c1e-9d55-1f3e2a7b8c90");
    provenance.put("shared_by_user", "u-1");
    provenance.put("shared_at", "2026-01-02T03:04:05.678Z");
    provenance.put("source_version", 3);
    provenance.put("nested", Map.of("k", List.of("a", "b")));
    return Memory.builder()
        .id("7f0c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b")
        .tenantId("tenant-1")
        .spaceId("personal/tenant-1")
        .content("The staging database is Postgres 15 — \"quoted\" and\nmulti-line ünïcode")
        .category(Category.ENTITIES)
        .memoryType(MemoryType.INSIGHT)
        .state(MemoryState.ARCHIVED)
        .tier(Tier.WORKING)
        .importance(0.8)
        .confidence(0.65)
        .accessCount(12)
        .lastAccessedAt(Instant.parse("2026-03-04T05:06:07.123456789Z"))
        .tags(List.of("db", "staging"))
        .scope("project:github.com/acme/alpha")
        .agentId("claude-code")
        .sessionId("session-42")
        .source("cli")
        .relations(Map.of("supersedes", List.of("a1", "a2"), "contradicts", List.of("b1")))
        .supersededBy("9d3a2b1c-0000-4000-8000-000000000001")
        .invalidatedAt(Instant.parse("2026-03-05T00:00:00Z"))
        .provenance(provenance)
        .version(7)
        .createdAt(Instant.parse("2025-12-31T23:59:59Z"))
        .updatedAt(Instant.parse("2026-03-04T05:06:07Z"))
        .expiresAt(Instant.parse("2026-04-01T00:00:00Z"))
        .build();
  }

  static Memory sparse() {
    return Memory.builder()
        .id("1f0c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b")
        .content("Prefers tabs")
        .category(Category.PREFERENCES)
        .memoryType(MemoryType.PINNED)
        .state(MemoryState.ACTIVE)
        .tier(Tier.PERIPHERAL)
        .importance(0.5)
        .confidence(0.5)
        .accessCount(0)
        .scope(Scope.GLOBAL)
        .version(1)
        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
        .updatedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  /** Through the bytes a server would send. */
  static JsonNode wire(Object value) throws Exception {
    return JSON.readTree(JSON.writeValueAsBytes(value));
  }

  @Test
  void everyFieldSurvivesARoundTrip() throws Exception {
    for (Memory m : List.of(full(), sparse())) {
      assertEquals(m, MemoryJson.read(wire(MemoryJson.of(m))));
      assertEquals(m, MemoryJson.read(MemoryJson.of(m)), "from the map itself");
    }
  }

  @Test
  void everyEnumValueSurvives() throws Exception {
    Memory base = sparse();
    for (Category c : Category.values()) {
      for (MemoryType t : MemoryType.values()) {
        for (MemoryState s : MemoryState.values()) {
          for (Tier tier : Tier.values()) {
            Memory m =
                Memory.builder()
                    .id(base.id())
                    .tenantId(base.tenantId())
                    .spaceId(base.spaceId())
                    .content(base.content())
                    .category(c)
                    .memoryType(t)
                    .state(s)
                    .tier(tier)
                    .importance(base.importance())
                    .confidence(base.confidence())
                    .accessCount(base.accessCount())
                    .lastAccessedAt(base.lastAccessedAt())
                    .tags(base.tags())
                    .scope(base.scope())
                    .agentId(base.agentId())
                    .sessionId(base.sessionId())
                    .source(base.source())
                    .relations(base.relations())
                    .supersededBy(base.supersededBy())
                    .invalidatedAt(base.invalidatedAt())
                    .provenance(base.provenance())
                    .version(base.version())
                    .createdAt(base.createdAt())
                    .updatedAt(base.updatedAt())
                    .expiresAt(base.expiresAt())
                    .build();
            assertEquals(m, MemoryJson.read(wire(MemoryJson.of(m))));
          }
        }
      }
    }
  }

  @Test
  void aSearchAnswerInOurmemsShapeWithATraceRoundTrips() throws Exception {
    SearchTrace trace =
        new SearchTrace(
            List.of(
                new TraceStage("bm25", 0, 12, 1.5, new double[] {0.1, 9.75}, null),
                new TraceStage("vector", 0, 0, 0.0, new double[] {0, 0}, "model still loading"),
                new TraceStage("limit", 12, 2, 0.01, new double[] {0.42, 0.97}, null)),
            3.25,
            2,
            "bm25");
    SearchOutcome out =
        new SearchOutcome(
            List.of(new ScoredMemory(full(), 0.97), new ScoredMemory(sparse(), 0.42)),
            trace,
            null,
            null,
            null);
    // ourmem's REST shape: {results: [{memory, score}], trace}
    Map<String, Object> rest = new LinkedHashMap<>();
    rest.put(
        "results",
        out.results().stream()
            .map(r -> Map.of("memory", MemoryJson.of(r.memory()), "score", r.score()))
            .toList());
    rest.put("trace", MemoryJson.trace(trace));
    SearchOutcome back = MemoryJsonReader.search(wire(rest));
    assertEquals(out.results(), back.results());
    assertTraceEquals(trace, back.trace());

    // The flattened shape of the MCP tool reads the same.
    SearchOutcome flat = MemoryJsonReader.search(wire(MemoryJson.search(out)));
    assertEquals(out.results(), flat.results());
    assertTraceEquals(trace, flat.trace());
  }

  @Test
  void aSearchWithoutTraceHasNone() throws Exception {
    SearchOutcome back = MemoryJsonReader.search(wire(Map.of("results", List.of())));
    assertTrue(back.results().isEmpty());
    assertNull(back.trace());
  }

  @Test
  void ourmemsTraceWithoutModeOrNotes() throws Exception {
    JsonNode t =
        JSON.readTree(
            "{\"stages\":[{\"name\":\"vector_search\",\"input_count\":0,\"output_count\":5,"
                + "\"duration_ms\":3,\"score_range\":[0.2,0.9]}],"
                + "\"total_duration_ms\":4,\"final_count\":5}");
    SearchTrace trace = MemoryJsonReader.trace(t);
    assertNull(trace.mode());
    assertEquals(1, trace.stages().size());
    TraceStage s = trace.stages().get(0);
    assertEquals("vector_search", s.name());
    assertEquals(5, s.outputCount());
    assertArrayEquals(new double[] {0.2, 0.9}, s.scoreRange());
    assertNull(s.note());
    assertEquals(5, trace.finalCount());
  }

  @Test
  void aPageRoundTrips() throws Exception {
    MemoryPage page = new MemoryPage(List.of(full(), sparse()), 57, 2, 10);
    assertEquals(page, MemoryJsonReader.page(wire(MemoryJson.page(page))));
  }

  @Test
  void anOurmemMemoryWithExtrasAndWithoutOmemsExtensions() throws Exception {
    String ourmem =
        "{\"id\":\"2b1c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b\",\"content\":\"Uses pnpm\","
            + "\"l0_abstract\":\"pnpm\",\"category\":\"preferences\",\"memory_type\":\"insight\","
            + "\"state\":\"active\",\"tier\":\"core\",\"importance\":0.9,\"confidence\":0.7,"
            + "\"access_count\":3,\"last_accessed_at\":null,\"tags\":[\"js\"],"
            + "\"scope\":\"global\",\"agent_id\":\"cursor\",\"session_id\":null,"
            + "\"source\":null,\"relations\":[{\"relation_type\":\"supports\","
            + "\"target_id\":\"x1\",\"context_label\":\"why\"}],\"superseded_by\":null,"
            + "\"invalidated_at\":null,\"space_id\":\"personal/abc\",\"provenance\":null,"
            + "\"version\":2,\"created_at\":\"2026-02-01T10:00:00.5+00:00\","
            + "\"updated_at\":\"2026-02-01T12:00:00+02:00\","
            + "\"stale_info\":{\"is_stale\":false},\"embedding\":[0.1,0.2]}";
    Memory m = MemoryJson.read(JSON.readTree(ourmem));
    assertEquals("Uses pnpm", m.content());
    assertEquals(Category.PREFERENCES, m.category());
    assertEquals(MemoryType.INSIGHT, m.memoryType());
    assertEquals(Tier.CORE, m.tier());
    assertEquals(Map.of("supports", List.of("x1")), m.relations());
    assertEquals(Map.of(), m.provenance());
    assertEquals(Instant.parse("2026-02-01T10:00:00.5Z"), m.createdAt());
    assertEquals(Instant.parse("2026-02-01T10:00:00Z"), m.updatedAt());
    assertNull(m.expiresAt());
    assertNull(m.tenantId());
    assertEquals(2, m.version());
    // omem renders it again without tripping over the missing parts.
    assertEquals(m, MemoryJson.read(wire(MemoryJson.of(m))));
  }

  @Test
  void ourmemsProvenanceWithNullsReads() throws Exception {
    Memory m =
        MemoryJson.read(
            JSON.readTree(
                "{\"id\":\"x\",\"provenance\":{\"shared_from_space\":\"team/t\","
                    + "\"shared_by_agent\":null,\"source_version\":4}}"));
    assertEquals(Map.of("shared_from_space", "team/t", "source_version", 4), m.provenance());
  }

  @Test
  void missingFieldsTakeOurmemsDefaults() throws Exception {
    Memory m = MemoryJson.read(JSON.readTree("{\"id\":\"x\",\"content\":\"c\"}"));
    assertEquals(MemoryState.ACTIVE, m.state());
    assertEquals(Tier.PERIPHERAL, m.tier());
    assertEquals(MemoryType.PINNED, m.memoryType());
    assertEquals(Category.ENTITIES, m.category());
    assertEquals(0.5, m.importance());
    assertEquals(1, m.version());
    assertEquals(Scope.GLOBAL, m.scope());
    assertEquals(List.of(), m.tags());
    assertNull(m.createdAt());
  }

  @Test
  void aProjectWithoutScopeBecomesTheScope() throws Exception {
    Memory m = MemoryJson.read(JSON.readTree("{\"id\":\"x\",\"project\":\"gitlab.com/a/b\"}"));
    assertEquals("project:gitlab.com/a/b", m.scope());
  }

  @Test
  void anUnknownCategoryFallsBackButABadTimeIsAnError() throws Exception {
    assertEquals(
        Category.ENTITIES,
        MemoryJson.read(JSON.readTree("{\"id\":\"x\",\"category\":\"recipes\"}")).category());
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> MemoryJson.read(JSON.readTree("{\"id\":\"x\",\"created_at\":\"yesterday\"}")));
    assertTrue(e.getMessage().contains("created_at"), e.getMessage());
  }

  @Test
  void profileFactsAsStringsOrMemories() throws Exception {
    Profile p =
        MemoryJsonReader.profile(
            JSON.readTree(
                "{\"static_facts\":[\"Prefers tabs\",{\"content\":\"Lives in Lyon\"}],"
                    + "\"dynamic_context\":[],\"search_results\":null}"));
    assertEquals(List.of("Prefers tabs", "Lives in Lyon"), p.staticFacts());
    assertEquals(List.of(), p.dynamicContext());
  }

  static void assertTraceEquals(SearchTrace want, SearchTrace got) {
    assertNotNull(got);
    // TraceStage holds an array, so compare through the wire form.
    assertEquals(MemoryJson.trace(want), MemoryJson.trace(got));
  }
}
