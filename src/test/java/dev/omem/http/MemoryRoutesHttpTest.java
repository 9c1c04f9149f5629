package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.Category;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Create, ingest, search, list, get and update over HTTP, as ourmem's clients see them. */
class MemoryRoutesHttpTest extends OneServerPerClass {
  @Test
  void createAnswers201WithOurmemsMemoryJson() {
    HttpFixture.Tenant t = http.newTenant("create");
    Res r =
        http.send(
            "POST",
            "/v1/memories",
            t.key(),
            "{\"content\": \"  Build the project with ./gradlew build --offline  \","
                + " \"tags\": [\"build\", \"gradle\"], \"source\": \"cli\"}",
            "X-Agent-Id",
            "claude-code",
            "X-Omem-Session",
            "s-1");
    JsonNode m = r.expect(201);
    UUID.fromString(m.path("id").asText());
    assertEquals("Build the project with ./gradlew build --offline", m.path("content").asText());
    assertTrue(Category.parse(m.path("category").asText()).isPresent(), m.toString());
    assertEquals("pinned", m.path("memory_type").asText());
    assertEquals("active", m.path("state").asText());
    assertEquals("peripheral", m.path("tier").asText());
    assertEquals(0.5, m.path("importance").asDouble());
    assertEquals(0.5, m.path("confidence").asDouble());
    assertEquals(0, m.path("access_count").asInt());
    assertEquals(List.of("build", "gradle"), strings(m.path("tags")));
    assertEquals("cli", m.path("source").asText());
    assertEquals("claude-code", m.path("agent_id").asText());
    assertEquals("s-1", m.path("session_id").asText());
    assertEquals(1, m.path("version").asInt());
    assertEquals(t.id(), m.path("tenant_id").asText());
    assertEquals("personal/" + t.id(), m.path("space_id").asText());
    assertEquals("global", m.path("scope").asText());
    Instant created = Instant.parse(m.path("created_at").asText());
    assertEquals(created, Instant.parse(m.path("updated_at").asText()));
    assertTrue(Math.abs(created.toEpochMilli() - System.currentTimeMillis()) < 60_000);
    for (String f :
        new String[] {"last_accessed_at", "relations", "superseded_by", "expires_at", "project"}) {
      assertTrue(m.has(f), "field " + f + " present");
    }

    // What was answered is what was stored.
    JsonNode got = http.get("/v1/memories/" + m.path("id").asText(), t.key()).expect(200);
    assertEquals(HttpFixture.millis(m), HttpFixture.millis(got));
  }

  @Test
  void createTakesOmemsExtensionsAndTheProjectHeader() {
    HttpFixture.Tenant t = http.newTenant(null);
    JsonNode m =
        http.send(
                "POST",
                "/v1/memories",
                t.key(),
                "{\"content\": \"The staging database runs Postgres 15\", \"category\": \"entities\","
                    + " \"importance\": 0.9}",
                "X-Omem-Project",
                "github.com/acme/alpha")
            .expect(201);
    assertEquals("entities", m.path("category").asText());
    assertEquals(0.9, m.path("importance").asDouble());
    assertEquals("project:github.com/acme/alpha", m.path("scope").asText());
    assertEquals("github.com/acme/alpha", m.path("project").asText());

    // Another project's default view does not see it; scope=all does.
    assertEquals(0, listAs(t.key(), "", "X-Omem-Project", "github.com/acme/beta").size());
    assertEquals(1, listAs(t.key(), "?scope=all", "X-Omem-Project", "github.com/acme/beta").size());
    assertEquals(1, listAs(t.key(), "?project=github.com/acme/alpha").size());
  }

  @Test
  void ingestKeepsTheUsersStatementsAndAnswers202() {
    HttpFixture.Tenant t = http.newTenant("ingest");
    String fact = "We deploy the billing service with ArgoCD every Tuesday morning";
    String body =
        HttpFixture.json(
            Map.of(
                "messages",
                List.of(
                    Map.of("role", "user", "content", fact),
                    Map.of("role", "assistant", "content", "Noted, I will remember the schedule."),
                    Map.of("role", "user", "content", "thanks")),
                "session_id",
                "sess-42",
                "agent_id",
                "codex"));
    JsonNode r = http.post("/v1/memories", t.key(), body).expect(202);
    assertFalse(r.path("task_id").asText().isBlank(), r.toString());
    assertEquals(3, r.path("stored_count").asInt(), "every turn is logged: " + r);
    JsonNode task = http.finishedTask(t.key(), r.path("task_id").asText());
    assertEquals(1, task.path("created").asInt(), task.toString());
    assertEquals(1, task.path("memory_ids").size());

    JsonNode m =
        http.get("/v1/memories/" + task.path("memory_ids").get(0).asText(), t.key()).expect(200);
    assertEquals(fact, m.path("content").asText());
    assertEquals("insight", m.path("memory_type").asText(), "smart ingest stores extracted facts");
    assertEquals("sess-42", m.path("session_id").asText());
    assertEquals("codex", m.path("agent_id").asText());
    assertEquals(1, http.snapshot(t.key()).size(), "neither the assistant nor chatter is stored");
  }

  @Test
  void searchRanksTheMatchFirstAndTracesEveryStage() {
    HttpFixture.Tenant t = http.newTenant("search");
    http.create(t.key(), "The staging database is Postgres 15 on db-staging.internal");
    http.create(t.key(), "Release notes are written in docs/CHANGELOG.md by hand");
    String tabs =
        http.create(t.key(), "The user prefers tabs over spaces for indentation")
            .path("id")
            .asText();

    JsonNode r =
        http.get(
                "/v1/memories/search?q=whitespace%20style%20for%20source%20files&min_score=0",
                t.key())
            .expect(200);
    assertFalse(r.has("trace"), "no trace unless asked");
    JsonNode results = r.path("results");
    assertEquals(tabs, results.get(0).path("memory").path("id").asText(), r.toString());
    double previous = Double.MAX_VALUE;
    for (JsonNode res : results) {
      assertTrue(res.path("score").isNumber(), res.toString());
      double s = res.path("score").asDouble();
      assertTrue(s > 0 && s <= previous, "scores descend: " + r);
      previous = s;
      assertEquals(t.id(), res.path("memory").path("tenant_id").asText());
    }

    JsonNode one =
        http.get(
                "/v1/memories/search?q=indentation&limit=1&include_trace=true&min_score=0", t.key())
            .expect(200);
    assertEquals(1, one.path("results").size());
    JsonNode trace = one.path("trace");
    assertEquals(1, trace.path("final_count").asInt(), trace.toString());
    assertTrue(trace.path("total_duration_ms").isNumber());
    assertTrue(trace.path("stages").size() >= 3, trace.toString());
    assertFalse(one.has("reason"), one.toString());

    // The default floor: nothing for an unrelated query, and why, in omem's extension field.
    JsonNode none =
        http.get("/v1/memories/search?q=a%20good%20recipe%20for%20banana%20bread", t.key())
            .expect(200);
    assertEquals(0, none.path("results").size(), none.toString());
    assertTrue(none.path("reason").asText().startsWith("Nothing relevant: "), none.toString());
    for (JsonNode stage : trace.path("stages")) {
      assertFalse(stage.path("name").asText().isBlank(), stage.toString());
      assertTrue(stage.path("input_count").isIntegralNumber(), stage.toString());
      assertTrue(stage.path("output_count").isIntegralNumber(), stage.toString());
      assertTrue(stage.path("duration_ms").asDouble(-1) >= 0, stage.toString());
      JsonNode range = stage.path("score_range");
      assertEquals(2, range.size(), stage.toString());
      assertTrue(range.get(0).asDouble() <= range.get(1).asDouble(), stage.toString());
    }
  }

  @Test
  void listFiltersSortsAndPages() {
    HttpFixture.Tenant t = http.newTenant("list");
    http.create(t.key(), "Alpha fact about the build", "importance", 0.1, "tags", List.of("a"));
    http.create(
        t.key(), "Bravo fact about the deploy", "importance", 0.9, "tags", List.of("a", "b"));
    http.create(t.key(), "Charlie fact about the tests", "importance", 0.5, "tags", List.of("b"));
    http.create(
        t.key(),
        "Delta likes dark mode",
        "importance",
        0.7,
        "category",
        "preferences",
        "tags",
        List.of("a", "b"));
    JsonNode raw =
        http.post(
                "/v1/memories",
                t.key(),
                "{\"mode\":\"raw\",\"messages\":[{\"role\":\"user\",\"content\":\"Echo the session memory is stored raw\"}]}")
            .expect(202);
    http.finishedTask(t.key(), raw.path("task_id").asText());

    JsonNode page =
        http.get("/v1/memories?sort=importance&order=desc&limit=2", t.key()).expect(200);
    assertEquals(5, page.path("total_count").asInt());
    assertEquals(2, page.path("limit").asInt());
    assertEquals(0, page.path("offset").asInt());
    assertEquals(List.of("Bravo", "Delta"), firstWords(page));
    JsonNode next =
        http.get("/v1/memories?sort=importance&order=desc&limit=2&offset=2", t.key()).expect(200);
    assertEquals(2, next.path("offset").asInt());
    assertEquals(5, next.path("total_count").asInt());
    assertEquals(2, firstWords(next).size());
    assertFalse(firstWords(next).contains("Bravo"));
    JsonNode asc = http.get("/v1/memories?sort=importance&order=asc&limit=1", t.key()).expect(200);
    assertEquals(List.of("Alpha"), firstWords(asc));

    JsonNode both =
        http.get("/v1/memories?tags=a,b&sort=importance&order=asc", t.key()).expect(200);
    assertEquals(List.of("Delta", "Bravo"), firstWords(both), "tags are AND");
    assertEquals(2, both.path("total_count").asInt());
    assertEquals(
        List.of("Delta"),
        firstWords(http.get("/v1/memories?category=preferences", t.key()).expect(200)));
    assertEquals(
        List.of("Echo"),
        firstWords(http.get("/v1/memories?memory_type=session", t.key()).expect(200)));
    JsonNode newest =
        http.get("/v1/memories?sort=created_at&order=desc&limit=1", t.key()).expect(200);
    assertEquals(List.of("Echo"), firstWords(newest));
  }

  @Test
  void putBumpsTheVersionReplacesTagsAndReindexes() {
    HttpFixture.Tenant t = http.newTenant("put");
    JsonNode m =
        http.create(
            t.key(),
            "The cache server is memcached on port 11211",
            "tags",
            List.of("cache", "infra"));
    String id = m.path("id").asText();
    assertEquals(1, bm25Hits(t.key(), "memcached"));
    http.service.awaitAccesses(); // the search's access lands before the edit reads the row

    JsonNode u =
        http.put(
                "/v1/memories/" + id,
                t.key(),
                "{\"content\": \"The cache server is Redis 7 on port 6379\", \"tags\": [\"redis\"]}")
            .expect(200);
    assertEquals(id, u.path("id").asText());
    assertEquals(2, u.path("version").asInt());
    assertEquals("The cache server is Redis 7 on port 6379", u.path("content").asText());
    assertEquals(List.of("redis"), strings(u.path("tags")), "tags are replaced, not merged");
    assertEquals(
        HttpFixture.millis(m).path("created_at"), HttpFixture.millis(u).path("created_at"));
    assertFalse(
        Instant.parse(u.path("updated_at").asText())
            .isBefore(Instant.parse(m.path("created_at").asText())));
    assertEquals(
        HttpFixture.millis(u),
        HttpFixture.millis(http.get("/v1/memories/" + id, t.key()).expect(200)),
        "stored as answered");

    assertEquals(1, bm25Hits(t.key(), "redis"), "new content is indexed");
    assertEquals(0, bm25Hits(t.key(), "memcached"), "old content is not");

    JsonNode archived =
        http.put("/v1/memories/" + id, t.key(), "{\"state\": \"archived\"}").expect(200);
    assertEquals("archived", archived.path("state").asText());
    assertEquals(3, archived.path("version").asInt());
    assertEquals(List.of("redis"), strings(archived.path("tags")), "absent tags stay");
    assertEquals(1, listAs(t.key(), "?state=archived").size());
  }

  @Test
  void deleteIsSoftAndHidesTheMemory() {
    HttpFixture.Tenant t = http.newTenant("delete");
    String id = http.create(t.key(), "The VPN endpoint is vpn.corp.example").path("id").asText();
    String keep = http.create(t.key(), "The wiki lives at wiki.corp.example").path("id").asText();
    assertEquals(id, searchIds(t.key(), "vpn endpoint").get(0));

    JsonNode r = http.delete("/v1/memories/" + id, t.key()).expect(200);
    assertEquals(Map.of("status", "deleted"), HttpFixture.JSON.convertValue(r, Map.class));

    JsonNode gone = http.get("/v1/memories/" + id, t.key()).expect(200);
    assertEquals("deleted", gone.path("state").asText(), "soft: still readable by id");
    assertEquals(2, gone.path("version").asInt());
    assertFalse(searchIds(t.key(), "vpn endpoint").contains(id), "gone from search");
    List<String> listed = new ArrayList<>();
    listAs(t.key(), "").forEach(m -> listed.add(m.path("id").asText()));
    assertEquals(List.of(keep), listed);
    assertEquals(1, listAs(t.key(), "?state=deleted").size());
    assertEquals(1, http.get("/v1/stats", t.key()).expect(200).path("total").asInt());

    // Deleting again changes nothing.
    http.delete("/v1/memories/" + id, t.key()).expect(200);
    assertEquals(2, http.get("/v1/memories/" + id, t.key()).expect(200).path("version").asInt());
  }

  @Test
  void getCountsAccesses() {
    HttpFixture.Tenant t = http.newTenant("access");
    String id = http.create(t.key(), "The on-call rota is in PagerDuty").path("id").asText();
    http.get("/v1/memories/" + id, t.key()).expect(200);
    http.get("/v1/memories/" + id, t.key()).expect(200);
    http.service.awaitAccesses(); // counts are written after the answer
    JsonNode listed = listAs(t.key(), "").get(0);
    assertEquals(2, listed.path("access_count").asInt(), listed.toString());
    assertNotEquals("null", listed.path("last_accessed_at").asText());
  }

  // ---- helpers ----

  static JsonNode listAs(String key, String query, String... headers) {
    return http.send("GET", "/v1/memories" + query, key, (String) null, headers)
        .expect(200)
        .path("memories");
  }

  static List<String> searchIds(String key, String q) {
    List<String> ids = new ArrayList<>();
    http.get("/v1/memories/search?q=" + q.replace(" ", "%20"), key)
        .expect(200)
        .path("results")
        .forEach(r -> ids.add(r.path("memory").path("id").asText()));
    return ids;
  }

  /** How many memories the text retriever found, from the trace's {@code bm25} stage. */
  static int bm25Hits(String key, String q) {
    JsonNode trace =
        http.get("/v1/memories/search?include_trace=true&q=" + q, key).expect(200).path("trace");
    for (JsonNode stage : trace.path("stages")) {
      if (stage.path("name").asText().equals("bm25")) {
        return stage.path("output_count").asInt();
      }
    }
    throw new AssertionError("no bm25 stage: " + trace);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> firstWords(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("memories").forEach(m -> out.add(m.path("content").asText().split(" ")[0]));
    return out;
  }
}
