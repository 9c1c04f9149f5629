package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Health, sign-up, profile and stats. */
class AccountRoutesHttpTest extends OneServerPerClass {
  @Test
  void healthIsPublic() {
    JsonNode h = http.get("/health", null).expect(200);
    assertEquals(
        Map.of("status", "ok", "version", "test"), HttpFixture.JSON.convertValue(h, Map.class));
    assertEquals(h, http.get("/health", "not-a-key").expect(200), "a bad key does not matter");
  }

  @Test
  void signUpGivesAPublicIdAndASeparateSecretKey() {
    JsonNode r = http.post("/v1/tenants", null, "{\"name\": \"alice\"}").expect(201);
    String id = r.path("id").asText();
    String key = r.path("api_key").asText();
    UUID.fromString(id);
    assertTrue(key.length() >= 32, key);
    assertNotEquals(id, key);
    assertEquals("active", r.path("status").asText());

    JsonNode other = http.post("/v1/tenants", null, null).expect(201);
    assertNotEquals(id, other.path("id").asText());
    assertNotEquals(key, other.path("api_key").asText());

    // The key works at once and acts as that tenant; the public id is no key.
    JsonNode m = http.create(key, "Alice keeps her notes in Obsidian");
    assertEquals(id, m.path("tenant_id").asText());
    http.get("/v1/stats", id).expectError(401, "unauthorized");
  }

  @Test
  void profileHasFactsContextAndSearchResultsOnlyWithQ() {
    HttpFixture.Tenant t = http.newTenant("profile");
    String pref = "I prefer tabs over spaces for indentation";
    String event = "Yesterday we migrated the staging database to Postgres 16";
    http.create(t.key(), pref, "category", "preferences", "importance", 0.9);
    http.create(t.key(), event, "category", "events");
    http.create(t.key(), "The API gateway is Kong", "category", "entities");

    JsonNode p = http.get("/v1/profile", t.key()).expect(200);
    assertEquals(List.of(pref), MemoryRoutesHttpTest.strings(p.path("static_facts")));
    assertEquals(List.of(event), MemoryRoutesHttpTest.strings(p.path("dynamic_context")));
    assertTrue(p.has("search_results") && p.get("search_results").isNull(), p.toString());

    JsonNode q = http.get("/v1/profile?q=indentation%20style", t.key()).expect(200);
    assertEquals(p.path("static_facts"), q.path("static_facts"));
    JsonNode results = q.path("search_results");
    assertTrue(results.isArray() && results.size() > 0, q.toString());
    assertEquals(pref, results.get(0).path("memory").path("content").asText());
    assertTrue(results.get(0).path("score").isNumber());
  }

  @Test
  void statsCountTheTenantsMemories() {
    HttpFixture.Tenant t = http.newTenant("stats");
    http.create(t.key(), "I prefer dark mode", "category", "preferences", "importance", 0.9);
    http.create(t.key(), "The API gateway is Kong", "category", "entities", "importance", 0.3);
    String gone =
        http.create(t.key(), "The old proxy was Squid", "category", "entities").path("id").asText();
    http.delete("/v1/memories/" + gone, t.key()).expect(200);

    JsonNode s = http.get("/v1/stats", t.key()).expect(200);
    assertEquals(2, s.path("total").asInt(), s.toString());
    assertEquals(1, s.path("by_category").path("preferences").asInt(), s.toString());
    assertEquals(1, s.path("by_category").path("entities").asInt(), s.toString());
    assertEquals(2, s.path("by_type").path("pinned").asInt(), s.toString());
    assertEquals(2, s.path("by_tier").path("peripheral").asInt(), s.toString());
    assertEquals(1, s.path("by_state").path("deleted").asInt(), s.toString());
    assertEquals(2, s.path("by_state").path("active").asInt(), s.toString());
    assertEquals(2, s.path("by_space").path("personal/" + t.id()).asInt(), s.toString());
    assertEquals(0.6, s.path("avg_importance").asDouble(), 1e-9, s.toString());
    assertEquals(0.5, s.path("avg_confidence").asDouble(), 1e-9, s.toString());
    assertEquals(0, s.path("total_access_count").asInt());
    assertTrue(s.path("by_agent").isObject(), s.toString());
    JsonNode timeline = s.path("timeline");
    assertEquals(1, timeline.size(), s.toString());
    assertTrue(timeline.get(0).path("date").isTextual());
    assertTrue(timeline.get(0).path("count").asInt() >= 2, s.toString());
  }
}
