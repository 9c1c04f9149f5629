package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Batch delete by ids and by filter, and delete-all, with and without their confirmations. */
class DeletionRoutesHttpTest extends OneServerPerClass {
  @Test
  void batchDeleteByIdsDeletesOnlyThoseNamed() {
    HttpFixture.Tenant t = http.newTenant("ids");
    String a = id(t, "Memory one about the build");
    String b = id(t, "Memory two about the deploy");
    String c = id(t, "Memory three about the tests");
    String body =
        HttpFixture.json(Map.of("memory_ids", List.of(a, b, UUID.randomUUID().toString())));

    JsonNode r = http.post("/v1/memories/batch-delete", t.key(), body).expect(200);
    assertEquals(2, r.path("deleted").asInt(), r.toString());
    assertEquals("ids", r.path("mode").asText());
    Map<String, JsonNode> after = http.snapshot(t.key());
    assertEquals("deleted", after.get(a).path("state").asText());
    assertEquals("deleted", after.get(b).path("state").asText());
    assertEquals("active", after.get(c).path("state").asText());

    JsonNode again = http.post("/v1/memories/batch-delete", t.key(), body).expect(200);
    assertEquals(0, again.path("deleted").asInt(), "already deleted ones are not counted");
    assertEquals(after, http.snapshot(t.key()));
  }

  @Test
  void batchDeleteByFilterCountsFirstAndDeletesOnlyWhenConfirmed() {
    HttpFixture.Tenant t = http.newTenant("filter");
    String temp1 =
        http.create(t.key(), "Scratch note one", "tags", List.of("temp")).path("id").asText();
    String temp2 =
        http.create(t.key(), "Scratch note two", "tags", List.of("temp", "x")).path("id").asText();
    String keep =
        http.create(t.key(), "Keep this note", "tags", List.of("keep")).path("id").asText();
    Map<String, JsonNode> before = http.snapshot(t.key());

    String filter = "{\"filter\": {\"tags\": [\"temp\"]}}";
    JsonNode dry = http.post("/v1/memories/batch-delete", t.key(), filter).expect(200);
    assertEquals(Map.of("would_delete", 2), HttpFixture.JSON.convertValue(dry, Map.class));
    assertEquals(before, http.snapshot(t.key()), "without confirm nothing is deleted");
    JsonNode no =
        http.post(
                "/v1/memories/batch-delete",
                t.key(),
                "{\"filter\": {\"tags\": [\"temp\"]}, \"confirm\": false}")
            .expect(200);
    assertEquals(2, no.path("would_delete").asInt());
    assertEquals(before, http.snapshot(t.key()));

    JsonNode done =
        http.post(
                "/v1/memories/batch-delete",
                t.key(),
                "{\"filter\": {\"tags\": [\"temp\"]}, \"confirm\": true}")
            .expect(200);
    assertEquals(2, done.path("deleted").asInt(), done.toString());
    assertEquals("filter", done.path("mode").asText());
    Map<String, JsonNode> after = http.snapshot(t.key());
    assertEquals("deleted", after.get(temp1).path("state").asText());
    assertEquals("deleted", after.get(temp2).path("state").asText());
    assertEquals(before.get(keep), after.get(keep));
  }

  @Test
  void batchDeleteFiltersByCategoryAndTime() {
    HttpFixture.Tenant t = http.newTenant("filter2");
    http.create(t.key(), "I prefer dark mode in every editor", "category", "preferences");
    http.create(t.key(), "The API gateway is Kong", "category", "entities");
    String past = Instant.now().minusSeconds(3600).toString();
    String future = Instant.now().plusSeconds(3600).toString();

    assertEquals(1, wouldDelete(t, "{\"category\": \"preferences\"}"));
    assertEquals(0, wouldDelete(t, "{\"before\": \"" + past + "\"}"));
    assertEquals(2, wouldDelete(t, "{\"before\": \"" + future + "\"}"));
    assertEquals(2, wouldDelete(t, "{\"memory_type\": \"pinned\"}"));
    assertEquals(0, wouldDelete(t, "{\"memory_type\": \"session\"}"));
    assertEquals(2, http.snapshot(t.key()).size());
  }

  @Test
  void deleteAllNeedsTheConfirmationHeader() {
    HttpFixture.Tenant t = http.newTenant("all");
    id(t, "First of three");
    id(t, "Second of three");
    id(t, "Third of three");
    Map<String, JsonNode> before = http.snapshot(t.key());

    http.delete("/v1/memories/all", t.key()).expectError(400, "validation_error");
    http.delete("/v1/memories/all", t.key(), "X-Confirm", "yes")
        .expectError(400, "validation_error");
    assertEquals(before, http.snapshot(t.key()), "nothing deleted without the header");

    JsonNode r = http.delete("/v1/memories/all", t.key(), "X-Confirm", "delete-all").expect(200);
    assertEquals(Map.of("deleted", 3), HttpFixture.JSON.convertValue(r, Map.class));
    assertEquals(0, http.get("/v1/memories", t.key()).expect(200).path("total_count").asInt());
    assertEquals(
        0, http.get("/v1/memories/search?q=three", t.key()).expect(200).path("results").size());
    Map<String, JsonNode> after = http.snapshot(t.key());
    assertEquals(before.keySet(), after.keySet(), "soft: the records stay");
    after.values().forEach(m -> assertEquals("deleted", m.path("state").asText()));
    assertEquals(0, http.get("/v1/stats", t.key()).expect(200).path("total").asInt());
  }

  private static String id(HttpFixture.Tenant t, String content) {
    return http.create(t.key(), content).path("id").asText();
  }

  private static int wouldDelete(HttpFixture.Tenant t, String filter) {
    JsonNode r =
        http.post("/v1/memories/batch-delete", t.key(), "{\"filter\": " + filter + "}").expect(200);
    return r.path("would_delete").asInt(-1);
  }
}
