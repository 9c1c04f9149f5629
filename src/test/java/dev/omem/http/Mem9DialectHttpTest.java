package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mem9's dialect under {@code /v1alpha2/mem9s/} over real HTTP (issue 17). The request bodies are
 * the examples of mem9-ai/mem9's docs/api/openapi.json (commit
 * 0449b15c7cfb37bd98dbdef26c92ec83b0687bb2: components.requestBodies.CreateMemory's {@code
 * pinnedContent} and {@code messageIngest}); the answers are checked against its schemas (Memory,
 * MemoryListResponse, StatusResponse, ErrorResponse {@code {"error": "<string>"}}).
 */
class Mem9DialectHttpTest extends OneServerPerClass {
  private static final String MEMORIES = "/v1alpha2/mem9s/memories";

  private static final String PINNED_CONTENT =
      "{\"content\": \"The project uses TiDB as its primary database.\", \"memory_type\":"
          + " \"pinned\", \"agent_id\": \"codex\", \"tags\": [\"architecture\"], \"metadata\":"
          + " {\"source_file\": \"README.md\"}}";

  private static final String MESSAGE_INGEST =
      "{\"session_id\": \"session-123\", \"agent_id\": \"codex\", \"mode\": \"smart\", \"sync\":"
          + " true, \"messages\": [{\"role\": \"user\", \"content\": \"Remember that deploys use"
          + " make docker.\", \"seq\": 1}]}";

  /** mem9's ErrorResponse: exactly {@code {"error": "<message>"}}. */
  private static void expectMem9Error(Res r, int status) {
    JsonNode j = r.expect(status);
    assertEquals(1, j.size(), r.body());
    assertTrue(j.path("error").isTextual(), r.body());
    assertFalse(j.path("error").asText().isBlank(), r.body());
  }

  private static final String[] MEMORY_FIELDS = {
    "id", "content", "memory_type", "state", "version", "created_at", "updated_at"
  };

  private static void expectMemory(JsonNode m) {
    for (String f : MEMORY_FIELDS) {
      assertFalse(m.path(f).isMissingNode() || m.path(f).isNull(), f + " in " + m);
    }
  }

  @Test
  void pinnedContentIsCreatedReadUpdatedAndDeleted() {
    HttpFixture.Tenant t = http.newTenant("mem9-crud");
    JsonNode m = http.post(MEMORIES, t.key(), PINNED_CONTENT).expect(201);
    expectMemory(m);
    String id = m.path("id").asText();
    assertEquals("The project uses TiDB as its primary database.", m.path("content").asText());
    assertEquals("pinned", m.path("memory_type").asText());
    assertEquals("codex", m.path("agent_id").asText());
    assertEquals(
        List.of("architecture"), HttpFixture.JSON.convertValue(m.path("tags"), List.class));
    assertEquals(1, m.path("version").asInt());
    // The same memory in ourmem's dialect.
    assertEquals(
        "codex", http.get("/v1/memories/" + id, t.key()).expect(200).path("agent_id").asText());

    JsonNode got = http.get(MEMORIES + "/" + id, t.key()).expect(200);
    assertEquals(m.path("content"), got.path("content"));

    Res updated =
        http.send(
            "PUT",
            MEMORIES + "/" + id,
            t.key(),
            "{\"content\": \"The project uses TiDB 8 as its primary database.\"}",
            "If-Match",
            "1");
    assertEquals(2, updated.expect(200).path("version").asInt());
    assertEquals("2", updated.header("ETag").orElse(""));
    Res conflict =
        http.send("PUT", MEMORIES + "/" + id, t.key(), "{\"tags\": [\"db\"]}", "If-Match", "1");
    expectMem9Error(conflict, 409);
    assertEquals(
        List.of("architecture"),
        HttpFixture.JSON.convertValue(
            http.get(MEMORIES + "/" + id, t.key()).expect(200).path("tags"), List.class));

    JsonNode found =
        http.get(MEMORIES + "?q=which%20database%20does%20the%20project%20use&limit=5", t.key())
            .expect(200);
    assertEquals(id, found.path("memories").get(0).path("id").asText());
    assertTrue(found.path("memories").get(0).path("score").isNumber());
    JsonNode listed = http.get(MEMORIES + "?limit=0", t.key()).expect(200);
    assertEquals(1, listed.path("total").asInt());
    assertEquals(20, listed.path("limit").asInt()); // mem9: a limit <= 0 means the default

    Res deleted = http.delete(MEMORIES + "/" + id, t.key());
    assertEquals(204, deleted.status(), deleted.body());
    assertEquals("", deleted.body());
    assertEquals(0, http.get(MEMORIES, t.key()).expect(200).path("total").asInt());
  }

  @Test
  void messagesAreIngestedSmartlyAndSyncWaitsForThem() {
    HttpFixture.Tenant t = http.newTenant("mem9-ingest");
    JsonNode ok = http.post(MEMORIES, t.key(), MESSAGE_INGEST).expect(200);
    assertEquals("ok", ok.path("status").asText());
    JsonNode stored = http.get(MEMORIES + "?q=how%20do%20deploys%20work", t.key()).expect(200);
    assertTrue(stored.path("memories").toString().contains("make docker"), stored.toString());
    JsonNode accepted =
        http.post(MEMORIES, t.key(), MESSAGE_INGEST.replace("\"sync\": true", "\"sync\": false"))
            .expect(202);
    assertEquals("accepted", accepted.path("status").asText());
  }

  @Test
  void theAgentHeaderNamesTheAgentAndErrorsAreMem9s() {
    HttpFixture.Tenant a = http.newTenant("mem9-a");
    HttpFixture.Tenant b = http.newTenant("mem9-b");
    JsonNode m =
        http.send(
                "POST",
                MEMORIES,
                a.key(),
                "{\"content\": \"Staging runs on port 8443.\"}",
                "X-Mnemo-Agent-Id",
                "openclaw")
            .expect(201);
    assertEquals("openclaw", m.path("agent_id").asText());
    String id = m.path("id").asText();

    expectMem9Error(http.get(MEMORIES, null), 401);
    expectMem9Error(http.get(MEMORIES, "wrong-key"), 401);
    expectMem9Error(http.get(MEMORIES + "/" + id, b.key()), 404);
    expectMem9Error(http.delete(MEMORIES + "/" + id, b.key()), 404);
    expectMem9Error(http.send("PUT", MEMORIES + "/" + id, b.key(), "{\"content\": \"b's\"}"), 404);
    assertEquals(
        0, http.get(MEMORIES + "?q=staging%20port", b.key()).expect(200).path("total").asInt());
    assertEquals(
        "Staging runs on port 8443.",
        http.get(MEMORIES + "/" + id, a.key()).expect(200).path("content").asText());

    expectMem9Error(
        http.post(
            MEMORIES,
            a.key(),
            "{\"content\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"y\"}]}"),
        400);
    expectMem9Error(http.post(MEMORIES, a.key(), "{}"), 400);
    expectMem9Error(http.post(MEMORIES, a.key(), "not json"), 400);
    expectMem9Error(http.get("/v1alpha2/mem9s/nothing", a.key()), 404);
    assertEquals(
        1,
        http.post(MEMORIES + "/batch-delete", a.key(), "{\"ids\": [\"" + id + "\"]}")
            .expect(200)
            .path("deleted")
            .asInt());
  }
}
