package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parts of ourmem's dialect its clients use that omem lacked (issue 17), over real HTTP:
 * reshare, the stats views, the tier filter, the agent and source filters of search, {@code
 * stale_info} beside each result, the layer fields of a Memory, and {@code If-Match} on DELETE.
 */
class OurmemDialectHttpTest extends OneServerPerClass {
  private static String enc(String space) {
    return space.replace("/", "%2F");
  }

  private static List<String> ids(JsonNode results) {
    List<String> out = new ArrayList<>();
    results.forEach(r -> out.add(r.path("memory").path("id").asText()));
    return out;
  }

  @Test
  void aStaleCopyIsReportedBesideItsResultAndRefreshedByReshare() {
    HttpFixture.Tenant alice = http.newTenant("alice");
    HttpFixture.Tenant bob = http.newTenant("bob");
    String team = SpaceSupport.team(http, alice, "platform", bob.id());
    SpaceSupport.accept(http, bob, team);
    String source =
        http.create(alice.key(), "The billing service deploys from the release branch.")
            .path("id")
            .asText();
    JsonNode copy =
        http.post(
                "/v1/memories/" + source + "/share",
                alice.key(),
                "{\"target_space\": \"" + team + "\"}")
            .expect(201);
    String copyId = copy.path("id").asText();
    assertEquals("team", copy.path("visibility").asText());

    http.put(
            "/v1/memories/" + source,
            alice.key(),
            "{\"content\": \"The billing service deploys from the main branch since March.\"}")
        .expect(200);

    // Bob's search: stale_info sits beside memory and score, not inside the memory.
    JsonNode found =
        http.get(
                "/v1/memories/search?q=billing%20service%20deploys&min_score=0&check_stale=true"
                    + "&space="
                    + enc(team),
                bob.key())
            .expect(200)
            .path("results");
    assertEquals(List.of(copyId), ids(found));
    JsonNode result = found.get(0);
    assertTrue(result.path("stale_info").path("is_stale").asBoolean(), result.toString());
    assertEquals(1, result.path("stale_info").path("source_version").asLong());
    assertEquals(2, result.path("stale_info").path("current_source_version").asLong());
    assertTrue(result.path("memory").path("stale_info").isMissingNode(), result.toString());

    // Bob cannot read Alice's personal space, so he may not copy its new text into the team.
    http.post("/v1/memories/" + copyId + "/reshare", bob.key(), "{}").expectError(404, "not_found");
    // The source itself is no copy.
    http.post("/v1/memories/" + source + "/reshare", alice.key(), "{}")
        .expectError(400, "validation_error");
    // A target space the copy is not in.
    http.post(
            "/v1/memories/" + copyId + "/reshare",
            alice.key(),
            "{\"target_space\": \"personal/" + alice.id() + "\"}")
        .expectError(404, "not_found");

    JsonNode refreshed =
        http.post(
                "/v1/memories/" + copyId + "/reshare",
                alice.key(),
                "{\"target_space\": \"" + team + "\"}")
            .expect(200);
    assertEquals(copyId, refreshed.path("id").asText());
    assertEquals(
        "The billing service deploys from the main branch since March.",
        refreshed.path("content").asText());
    assertEquals(refreshed.path("content"), refreshed.path("l2_content"));
    assertEquals(2, refreshed.path("version").asLong());
    assertEquals(2, refreshed.path("provenance").path("source_version").asLong());

    JsonNode after =
        http.get("/v1/memories/" + copyId + "?check_stale=true", bob.key()).expect(200);
    assertFalse(after.path("stale_info").path("is_stale").asBoolean(), after.toString());
    // Bob's search finds the new text under the copy (re-embedded and re-indexed).
    JsonNode again =
        http.get(
                "/v1/memories/search?q=main%20branch%20since%20March&min_score=0&space="
                    + enc(team),
                bob.key())
            .expect(200)
            .path("results");
    assertEquals(List.of(copyId), ids(again));
    // A second reshare of a fresh copy changes nothing.
    assertEquals(
        2,
        http.post("/v1/memories/" + copyId + "/reshare", alice.key(), null)
            .expect(200)
            .path("version")
            .asLong());
  }

  @Test
  void aMemoryCarriesOurmemsLayersAndOwner() {
    HttpFixture.Tenant t = http.newTenant("layers");
    String content =
        "Use pnpm, never npm, in the web repo. The lockfile is pnpm-lock.yaml.\n\nCI fails"
            + " otherwise.";
    JsonNode m =
        http.post("/v1/memories", t.key(), HttpFixture.json(java.util.Map.of("content", content)))
            .expect(201);
    assertEquals(content, m.path("l2_content").asText());
    assertEquals("Use pnpm, never npm, in the web repo.", m.path("l0_abstract").asText());
    assertEquals(
        "Use pnpm, never npm, in the web repo. The lockfile is pnpm-lock.yaml.",
        m.path("l1_overview").asText());
    assertEquals("private", m.path("visibility").asText());
    assertEquals("", m.path("owner_agent_id").asText());
    JsonNode byAgent =
        http.send(
                "POST",
                "/v1/memories",
                t.key(),
                "{\"content\": \"Deploys happen on Tuesdays.\"}",
                "X-Agent-Id",
                "codex")
            .expect(201);
    assertEquals("codex", byAgent.path("owner_agent_id").asText());
  }

  @Test
  void listFiltersByTierAndSearchByAgentAndSource() {
    HttpFixture.Tenant t = http.newTenant("filters");
    String a =
        http.send(
                "POST",
                "/v1/memories",
                t.key(),
                "{\"content\": \"The staging cluster runs Kubernetes 1.29.\", \"source\": \"cli\"}",
                "X-Agent-Id",
                "claude")
            .expect(201)
            .path("id")
            .asText();
    String b =
        http.send(
                "POST",
                "/v1/memories",
                t.key(),
                "{\"content\": \"The staging cluster has three nodes.\", \"source\": \"mcp\"}",
                "X-Agent-Id",
                "codex")
            .expect(201)
            .path("id")
            .asText();
    String q = "/v1/memories/search?q=staging%20cluster&min_score=0";
    assertEquals(List.of(a), ids(http.get(q + "&source=cli", t.key()).expect(200).path("results")));
    assertEquals(
        List.of(b), ids(http.get(q + "&agent_id=codex", t.key()).expect(200).path("results")));
    assertEquals(
        List.of(),
        ids(http.get(q + "&agent_id=codex&source=cli", t.key()).expect(200).path("results")));
    assertEquals(2, http.get(q, t.key()).expect(200).path("results").size());

    JsonNode peripheral = http.get("/v1/memories?tier=peripheral&limit=1", t.key()).expect(200);
    assertEquals(2, peripheral.path("total_count").asLong());
    assertEquals(1, peripheral.path("memories").size());
    assertEquals("peripheral", peripheral.path("memories").get(0).path("tier").asText());
    JsonNode second =
        http.get("/v1/memories?tier=peripheral&limit=1&offset=1", t.key()).expect(200);
    assertEquals(1, second.path("memories").size());
    assertFalse(
        second
            .path("memories")
            .get(0)
            .path("id")
            .equals(peripheral.path("memories").get(0).path("id")));
    assertEquals(
        0, http.get("/v1/memories?tier=core", t.key()).expect(200).path("total_count").asLong());
    http.get("/v1/memories?tier=hot", t.key()).expectError(400, "validation_error");
  }

  @Test
  void everyStatsViewAnswers() {
    HttpFixture.Tenant t = http.newTenant("stats");
    String id =
        http.send(
                "POST",
                "/v1/memories",
                t.key(),
                "{\"content\": \"Releases are cut on Fridays.\", \"tags\": [\"release\", \"ops\"]}",
                "X-Agent-Id",
                "claude")
            .expect(201)
            .path("id")
            .asText();
    http.create(t.key(), "Ops rotations change weekly.", "tags", List.of("ops"));

    JsonNode config = http.get("/v1/stats/config", t.key()).expect(200);
    assertEquals(0.8, config.path("spaces").path("search_weights").path("team").asDouble());
    assertTrue(config.path("categories").toString().contains("preferences"));

    JsonNode tags = http.get("/v1/stats/tags?min_count=2", t.key()).expect(200);
    assertEquals(1, tags.path("tags").size(), tags.toString());
    assertEquals("ops", tags.path("tags").get(0).path("name").asText());
    assertEquals(2, tags.path("tags").get(0).path("count").asLong());
    assertEquals(3, tags.path("total_tag_usages").asLong());

    JsonNode decay =
        http.get("/v1/stats/decay?memory_id=" + id + "&points=10", t.key()).expect(200);
    assertEquals(10, decay.path("decay_curve").size());
    assertEquals(1.0, decay.path("decay_curve").get(0).path("strength").asDouble());
    assertTrue(
        decay.path("decay_curve").get(9).path("strength").asDouble()
            < decay.path("decay_curve").get(1).path("strength").asDouble());
    http.get("/v1/stats/decay", t.key()).expectError(400, "validation_error");
    HttpFixture.Tenant other = http.newTenant("other-stats");
    http.get("/v1/stats/decay?memory_id=" + id, other.key()).expectError(404, "not_found");

    JsonNode spaces = http.get("/v1/stats/spaces", t.key()).expect(200);
    assertEquals(1, spaces.path("total_spaces").asInt());
    assertEquals(2, spaces.path("spaces").get(0).path("memory_count").asInt());

    JsonNode agents = http.get("/v1/stats/agents", t.key()).expect(200);
    assertEquals(2, agents.path("total_agents").asInt(), agents.toString());

    http.get("/v1/stats/relations", t.key()).expect(200).path("nodes").isArray();
    JsonNode sharing = http.get("/v1/stats/sharing", t.key()).expect(200);
    assertEquals(0, sharing.path("summary").path("total_shares").asInt());
    http.get("/v1/stats/nothing", t.key()).expectError(404, "not_found");
    http.get("/v1/stats/tags", null).expectError(401, "unauthorized");
  }

  @Test
  void deleteWithIfMatchDeletesOnlyTheVersionItNames() {
    HttpFixture.Tenant t = http.newTenant("deleter");
    String id = http.create(t.key(), "The cache TTL is ten minutes.").path("id").asText();
    http.put("/v1/memories/" + id, t.key(), "{\"content\": \"The cache TTL is five minutes.\"}")
        .expect(200);
    Res stale = http.delete("/v1/memories/" + id, t.key(), "If-Match", "\"1\"");
    assertEquals(412, stale.status(), stale.body());
    assertEquals("precondition_failed", stale.json().path("error").path("code").asText());
    assertEquals(2, stale.json().path("error").path("current_version").asLong());
    assertEquals(
        "active", http.get("/v1/memories/" + id, t.key()).expect(200).path("state").asText());
    assertEquals(
        "deleted",
        http.delete("/v1/memories/" + id, t.key(), "If-Match", "\"2\"")
            .expect(200)
            .path("status")
            .asText());
    assertEquals(
        "deleted",
        http.get("/v1/memories/" + id + "?state=deleted", t.key())
            .expect(200)
            .path("state")
            .asText());
    http.delete("/v1/memories/" + id, t.key(), "If-Match", "two")
        .expectError(400, "validation_error");
  }
}
