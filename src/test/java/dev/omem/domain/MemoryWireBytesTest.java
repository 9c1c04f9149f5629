package dev.omem.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes of ourmem's Memory JSON, history, search and page as omem wrote them by hand before
 * they were bound with Jackson (issue 15, captured from that code): field names, order, nulls,
 * number and time formats stay as they were.
 */
class MemoryWireBytesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String FULL =
      "{\"id\":\"7f0c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b\",\"content\":\"The stagin"
          + "g database is Postgres 15 — \\\"quoted\\\" and\\nmulti-line ünïcode\",\"c"
          + "ategory\":\"entities\",\"memory_type\":\"insight\",\"state\":\"archived\",\"ti"
          + "er\":\"working\",\"importance\":0.8,\"confidence\":0.65,\"access_count\":12"
          + ",\"last_accessed_at\":\"2026-03-04T05:06:07.123456789Z\",\"tags\":[\"db\","
          + "\"staging\"],\"scope\":\"project:github.com/acme/alpha\",\"project\":\"gith"
          + "ub.com/acme/alpha\",\"agent_id\":\"claude-code\",\"session_id\":\"session-"
          + "42\",\"source\":\"cli\",\"relations\":[{\"relation_type\":\"supersedes\",\"tar"
          + "get_id\":\"a1\"},{\"relation_type\":\"supersedes\",\"target_id\":\"a2\"}],\"su"
          + "perseded_by\":\"9d3a2b1c-0000-4000-8000-000000000001\",\"invalidated_a"
          + "t\":\"2026-03-05T00:00:00Z\",\"space_id\":\"personal/tenant-1\",\"provenan"
          + "ce\":{\"source_version\":3},\"version\":7,\"created_at\":\"2025-12-31T23:5"
          + "9:59Z\",\"updated_at\":\"2026-03-04T05:06:07Z\",\"expires_at\":\"2026-04-0"
          + "1T00:00:00Z\",\"tenant_id\":\"tenant-1\",\"confirmed\":false,\"flag\":\"hidd"
          + "en Unicode\",\"l0_abstract\":\"The staging database is Postgres 15 — \\\"quoted\\\" and\""
          + ",\"l1_overview\":\"The staging database is Postgres 15 — \\\"quoted\\\" and\\nmulti-line ünïcode\""
          + ",\"l2_content\":\"The staging database is Postgres 15 — \\\"quoted\\\" and\\nmulti-line ünïcode\""
          + ",\"visibility\":\"private\",\"owner_agent_id\":\"claude-code\"}";

  /** {@link MemoryJsonReaderTest#sparse()}: every null written, empty lists as []. */
  private static final String SPARSE =
      "{\"id\":\"1f0c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b\",\"content\":\"Prefers ta"
          + "bs\",\"category\":\"preferences\",\"memory_type\":\"pinned\",\"state\":\"activ"
          + "e\",\"tier\":\"peripheral\",\"importance\":0.5,\"confidence\":0.5,\"access_c"
          + "ount\":0,\"last_accessed_at\":null,\"tags\":[],\"scope\":\"global\",\"projec"
          + "t\":null,\"agent_id\":null,\"session_id\":null,\"source\":null,\"relations"
          + "\":[],\"superseded_by\":null,\"invalidated_at\":null,\"space_id\":null,\"p"
          + "rovenance\":null,\"version\":1,\"created_at\":\"2026-01-01T00:00:00Z\",\"u"
          + "pdated_at\":\"2026-01-01T00:00:00Z\",\"expires_at\":null,\"tenant_id\":nu"
          + "ll,\"confirmed\":true,\"flag\":null,\"l0_abstract\":\"Prefers tabs\",\"l1_overview\":\"Prefers tabs\""
          + ",\"l2_content\":\"Prefers tabs\",\"visibility\":\"private\",\"owner_agent_id\":\"\"}";

  /** {@link MemoryJsonReaderTest#full()} with one relation kind and provenance key: fixed order. */
  static Memory full() {
    return MemoryJsonReaderTest.full().toBuilder()
        .relations(Map.of("supersedes", List.of("a1", "a2")))
        .provenance(Map.of("source_version", 3))
        .trust(new Trust(false, "hidden Unicode"))
        .build();
  }

  @Test
  void aMemoryIsWrittenAsBefore() throws Exception {
    assertEquals(FULL, JSON.writeValueAsString(MemoryJson.of(full())));
    assertEquals(SPARSE, JSON.writeValueAsString(MemoryJson.of(MemoryJsonReaderTest.sparse())));
    assertEquals(FULL, new String(MemoryJson.bytes(full()), StandardCharsets.UTF_8));
    assertEquals(
        SPARSE,
        new String(MemoryJson.bytes(MemoryJsonReaderTest.sparse()), StandardCharsets.UTF_8));
    assertEquals(full(), MemoryJson.read(JSON.readTree(FULL)));
    // The faces' mappers (MCP, CLI, HTTP) see the same Java types in the map as before.
    Map<String, Object> map = MemoryJson.of(full());
    assertEquals(Long.class, map.get("access_count").getClass());
    assertEquals(Long.class, map.get("version").getClass());
    assertEquals(Double.class, map.get("importance").getClass());
    assertEquals(String.class, map.get("created_at").getClass());
    assertEquals(Boolean.class, map.get("confirmed").getClass());
  }

  /**
   * The straight-written search answer and memory are the map's bytes for awkward numbers (scores
   * with every digit, tiny and huge, negative zero), every optional part and a trust flag.
   */
  @Test
  void theStraightWrittenAnswersAreTheMapsBytes() throws Exception {
    java.util.Random r = new java.util.Random(19);
    double[] odd = {0.1 + 0.2, 1e-300, 1e300, -0.0, 0.0, 1.0 / 3, Double.MIN_VALUE, 123456.789};
    for (int i = 0; i < 200; i++) {
      Memory m = i % 2 == 0 ? full() : MemoryJsonReaderTest.sparse();
      m = m.toBuilder().importance(r.nextDouble()).confidence(odd[i % odd.length]).build();
      List<ScoredMemory> results =
          List.of(new ScoredMemory(m, r.nextDouble()), new ScoredMemory(m, odd[(i + 3) % 8]));
      SearchTrace trace =
          i % 3 == 0
              ? null
              : new SearchTrace(
                  List.of(
                      new TraceStage(
                          "vector",
                          i,
                          3,
                          r.nextDouble() * 10,
                          new double[] {r.nextGaussian()},
                          null)),
                  r.nextDouble(),
                  2,
                  "hybrid");
      SearchOutcome out =
          new SearchOutcome(
              i % 5 == 0 ? List.of() : results,
              trace,
              i % 5 == 0 ? "nothing reached the floor" : null,
              i % 4 == 0 ? new SearchOutcome.Rerank("llm", i % 8 == 0, "kept 2") : null,
              i % 6 == 0 ? results : null);
      assertEquals(
          JSON.writeValueAsString(MemoryJson.restSearch(out)),
          new String(MemoryJson.restSearchBytes(out), StandardCharsets.UTF_8));
      assertEquals(
          JSON.writeValueAsString(MemoryJson.of(m)),
          new String(MemoryJson.bytes(m), StandardCharsets.UTF_8));
      // The MCP and CLI answer maps its results once (session 24): the bytes of the whole
      // outcome's map with the flattened results put in their place, as before.
      Map<String, Object> before = MemoryJson.restSearch(out);
      before.put("results", out.results().stream().map(MemoryJson::result).toList());
      assertEquals(
          JSON.writeValueAsString(before), JSON.writeValueAsString(MemoryJson.search(out)));
    }
  }

  @Test
  void historySearchAndPageAreWrittenAsBefore() throws Exception {
    HistoryEntry h =
        new HistoryEntry(
            HistoryEntry.Action.CREATED,
            Instant.parse("2026-03-04T05:06:07.120Z"),
            "s1",
            null,
            "cli",
            null,
            "note");
    Memory sparse = MemoryJsonReaderTest.sparse();
    String head = SPARSE.substring(0, SPARSE.length() - 1);
    String withHistory =
        head
            + ",\"history\":[{\"action\":\"created\",\"at\":\"2026-03-04T05:06:07.120Z\",\"s"
            + "ession_id\":\"s1\",\"agent_id\":null,\"source\":\"cli\",\"related_id\":null,\""
            + "note\":\"note\"}]}";
    assertEquals(withHistory, JSON.writeValueAsString(MemoryJson.withHistory(sparse, List.of(h))));
    assertEquals(List.of(h), MemoryJsonReader.history(JSON.readTree(withHistory).get("history")));
    SearchTrace trace =
        new SearchTrace(
            List.of(new TraceStage("bm25", 0, 12, 1.5, new double[] {0.1, 9.75}, null)),
            3.25,
            2,
            "bm25");
    SearchOutcome out =
        new SearchOutcome(List.of(new ScoredMemory(sparse, 0.25)), trace, "why", null, null);
    String flat =
        "{\"results\":["
            + head
            + ",\"score\":0.25}],\"reason\":\"why\",\"trace\":{\"stages\":[{\"name\":\"bm25\",\""
            + "input_count\":0,\"output_count\":12,\"duration_ms\":1.5,\"score_range\":["
            + "0.1,9.75]}],\"total_duration_ms\":3.25,\"final_count\":2,\"mode\":\"bm25\""
            + "}}";
    assertEquals(flat, JSON.writeValueAsString(MemoryJson.search(out)));
    // ourmem's REST shape (the routes) nests the memory: the same answer around it.
    String rest =
        "{\"results\":[{\"memory\":"
            + SPARSE
            + ",\"score\":0.25}]"
            + flat.substring(flat.indexOf(",\"reason\""));
    assertEquals(rest, JSON.writeValueAsString(MemoryJson.restSearch(out)));
    // The REST routes write the records straight (issue 19): the same bytes as the map.
    assertEquals(rest, new String(MemoryJson.restSearchBytes(out), StandardCharsets.UTF_8));
    assertEquals(out.results(), MemoryJsonReader.search(JSON.readTree(rest)).results());
    assertEquals(out.reason(), MemoryJsonReader.search(JSON.readTree(rest)).reason());
    assertEquals(
        "{\"memories\":[" + head + "}],\"total_count\":57,\"limit\":2,\"offset\":10}",
        JSON.writeValueAsString(MemoryJson.page(new MemoryPage(List.of(sparse), 57, 2, 10))));
  }
}
