package dev.omem.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.domain.ShareResults;
import dev.omem.service.AutoShareRuleRequest;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.Caller;
import dev.omem.service.ImportRequest;
import dev.omem.service.IngestRequest;
import dev.omem.service.ListRequest;
import dev.omem.service.SearchRequest;
import dev.omem.service.SpaceRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the remote client writes, the server's routes read back as the same request: one record per
 * body, so the two sides cannot drift apart. And the reading is as strict as the hand-written one
 * was (a number is no string, a string no number).
 */
class WireRecordsTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final Caller CALLER = new Caller(null, "p", "agent-1", "s-1");

  /** Written as the client sends it, parsed as the server receives it. */
  private static <T> T roundTrip(Object body, Class<T> type) throws Exception {
    return WireJson.read(PLAIN.readTree(WireJson.bytes(body)), type);
  }

  @Test
  void everyRequestBodyReadsBackAsTheRequestItCameFrom() throws Exception {
    StoreRequest store =
        new StoreRequest(
            "Build with gradle", List.of("build"), "cli", "cases", "project", 0.7, "team/x");
    assertEquals(store, roundTrip(MemoryBody.of(store), MemoryBody.class).store());

    IngestRequest ingest =
        new IngestRequest(
            List.of(new IngestRequest.Message("user", "we deploy on Fridays")),
            "smart",
            null,
            List.of(
                new IngestRequest.Fact("Deploys on Fridays", "events", List.of("ops"), 0.6, 0.8)));
    MemoryBody ingestBody = roundTrip(MemoryBody.of(ingest, CALLER), MemoryBody.class);
    assertTrue(ingestBody.isIngest());
    assertEquals(ingest, ingestBody.ingest());
    assertEquals(
        new Caller("t", "p", "agent-1", "s-1"),
        ingestBody.caller(new Caller("t", "p", null, null)));

    UpdateRequest update =
        new UpdateRequest("id-1", "new", List.of("a"), "cases", 0.4, "archived", true);
    assertEquals(
        update, roundTrip(MemoryUpdateBody.of(update), MemoryUpdateBody.class).request("id-1"));
    UpdateRequest versioned = new UpdateRequest("id-1", "new", null, null, null, null, null, 4L);
    assertEquals(
        versioned,
        roundTrip(MemoryUpdateBody.of(versioned), MemoryUpdateBody.class).request("id-1"));

    BatchDeleteRequest byFilter =
        new BatchDeleteRequest(
            null,
            "cli",
            List.of("x"),
            "cases",
            "pinned",
            "active",
            Instant.parse("2026-01-01T00:00:00Z"),
            true);
    assertEquals(
        byFilter, roundTrip(BatchDeleteBody.of(byFilter), BatchDeleteBody.class).request());
    BatchDeleteRequest byIds = BatchDeleteRequest.ids(List.of("a", "b"));
    assertEquals(byIds, roundTrip(BatchDeleteBody.of(byIds), BatchDeleteBody.class).request());

    SpaceRequest space =
        new SpaceRequest("Team", "team", List.of(new SpaceRequest.MemberRequest("bob", "reader")));
    assertEquals(space, roundTrip(SpaceBody.of(space), SpaceBody.class).request());

    AutoShareRuleRequest rule =
        new AutoShareRuleRequest("personal/me", List.of("cases"), List.of("t"), 0.5, false);
    assertEquals(rule, roundTrip(AutoShareRuleBody.of(rule), AutoShareRuleBody.class).request());

    ShareResults.Filters filters = new ShareResults.Filters(List.of("cases"), List.of("t"), 0.3);
    assertEquals(
        filters, roundTrip(ShareBody.all("team/x", null, filters), ShareBody.class).shareFilters());

    ImportRequest imp = new ImportRequest("markdown", "# x", "x.md", true, "bullets", "team/x");
    ImportBody importBody = roundTrip(ImportBody.of(imp, CALLER), ImportBody.class);
    assertEquals(imp, importBody.request(null));
  }

  @Test
  void nullsAreLeftOutNotSentAsNull() throws Exception {
    JsonNode j = PLAIN.readTree(WireJson.bytes(MemoryBody.of(StoreRequest.of("only content"))));
    assertEquals(PLAIN.readTree("{\"content\":\"only content\"}"), j);
  }

  @Test
  void queriesReadBackAsTheRequestTheyCameFrom() {
    SearchRequest search =
        SearchRequest.builder("how to build")
            .limit(5)
            .tags(List.of("a", "b"))
            .scope("all")
            .categories(List.of("cases"))
            .minScore(0.3)
            .after(Instant.parse("2026-01-01T00:00:00Z"))
            .before(Instant.parse("2026-02-01T00:00:00Z"))
            .states(List.of("active", "archived"))
            .includeTrace(true)
            .countAccess(false)
            .spaces(List.of("team/x"))
            .build();
    assertEquals(search, SearchParams.read(query(SearchParams.write(search))));

    ListRequest list =
        ListRequest.builder()
            .limit(5)
            .offset(10)
            .category("cases")
            .tags(List.of("t"))
            .scope("all")
            .state("active")
            .memoryType("pinned")
            .sort("importance")
            .order("asc")
            .space("team/x")
            .build();
    assertEquals(list, ListParams.read(query(ListParams.write(list))));
  }

  @Test
  void theDefaultsOfEachSide() {
    // The remote client always sends a limit: the service contract's, 10.
    assertEquals("10", SearchParams.write(SearchRequest.of("q")).get("limit"));
    // A REST request without one gets ourmem's 20, and counts as an access.
    SearchRequest rest = SearchParams.read(query(Map.of("q", "q")));
    assertEquals(20, rest.limit());
    assertTrue(rest.countAccess());
    assertNull(SearchParams.write(SearchRequest.of("q")).get("count_access"));
  }

  @Test
  void aValueOfTheWrongTypeIsAValidationErrorNamingTheField() throws Exception {
    String[][] cases = {
      {"{\"content\": 5}", "content must be a string"},
      {"{\"content\": \"x\", \"tags\": \"x\"}", "tags must be an array"},
      {"{\"content\": \"x\", \"tags\": [1]}", "tags[0] must be a string"},
      {"{\"content\": \"x\", \"importance\": \"high\"}", "importance must be a number"},
      {
        "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}",
        "messages[0]: content must be a string"
      },
      {"{\"messages\": [\"hi\"]}", "messages[0] must be an object"},
      {"{\"messages\": [], \"facts\": [{\"text\": 1}]}", "facts[0]: text must be a string"},
    };
    for (String[] c : cases) {
      OmemException e =
          assertThrows(
              OmemException.class,
              () -> WireJson.read(PLAIN.readTree(c[0]), MemoryBody.class),
              c[0]);
      assertEquals(ErrorCode.VALIDATION, e.code(), c[0]);
      assertEquals(c[1], e.getMessage(), c[0]);
    }
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> WireJson.read(PLAIN.readTree("{\"confirm\": \"yes\"}"), MemoryUpdateBody.class));
    assertEquals("confirm must be true or false", e.getMessage());
  }

  /** A query string as the route sees it (values as typed in a URL). */
  private static QueryParams query(Map<String, String> q) {
    return new QueryParams() {
      @Override
      public String param(String name) {
        return q.get(name);
      }

      @Override
      public Integer intParam(String name) {
        return q.get(name) == null ? null : Integer.valueOf(q.get(name));
      }

      @Override
      public Double doubleParam(String name) {
        return q.get(name) == null ? null : Double.valueOf(q.get(name));
      }

      @Override
      public boolean boolParam(String name) {
        return Boolean.parseBoolean(q.get(name));
      }

      @Override
      public List<String> listParam(String name) {
        return q.get(name) == null ? null : Arrays.asList(q.get(name).split(","));
      }

      @Override
      public Instant timeParam(String name) {
        return WireJson.time(name, q.get(name));
      }
    };
  }
}
