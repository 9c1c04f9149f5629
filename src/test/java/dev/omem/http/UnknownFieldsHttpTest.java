package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * ourmem's clients send fields omem does not know: they are ignored, not rejected, and fields the
 * server owns (id, version, times, tenant) cannot be set through them.
 */
class UnknownFieldsHttpTest extends OneServerPerClass {
  @Test
  void createIgnoresExtrasAndKeepsServerFields() {
    HttpFixture.Tenant t = http.newTenant("create");
    String claimed = UUID.randomUUID().toString();
    JsonNode m =
        http.post(
                "/v1/memories",
                t.key(),
                "{\"content\": \"The metrics stack is Prometheus\", \"tags\": [\"ops\"],"
                    + " \"metadata\": {\"a\": 1}, \"visibility\": \"private\", \"space\":"
                    + " \"team/x\", \"id\": \""
                    + claimed
                    + "\", \"version\": 99, \"created_at\": \"2020-01-01T00:00:00Z\","
                    + " \"tenant_id\": \"someone-else\", \"memory_type\": \"insight\","
                    + " \"tier\": \"core\", \"state\": \"deleted\", \"confidence\": 0.99}")
            .expect(201);
    assertEquals("The metrics stack is Prometheus", m.path("content").asText());
    assertNotEquals(claimed, m.path("id").asText());
    assertEquals(1, m.path("version").asInt());
    assertEquals(t.id(), m.path("tenant_id").asText());
    assertEquals("pinned", m.path("memory_type").asText());
    assertEquals("peripheral", m.path("tier").asText());
    assertEquals("active", m.path("state").asText());
    assertEquals(0.5, m.path("confidence").asDouble());
    assertTrue(
        Instant.parse(m.path("created_at").asText())
            .isAfter(Instant.parse("2025-01-01T00:00:00Z")));
    assertEquals(1, http.snapshot(t.key()).size());
  }

  @Test
  void ingestIgnoresExtrasInTheBodyAndTheMessages() {
    HttpFixture.Tenant t = http.newTenant("ingest");
    JsonNode r =
        http.post(
                "/v1/memories",
                t.key(),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Our alerts page the SRE team"
                    + " through Opsgenie\", \"timestamp\": \"2026-01-01T00:00:00Z\", \"name\":"
                    + " \"bob\", \"id\": 7}], \"mode\": \"smart\", \"space_id\": \"team/x\","
                    + " \"metadata\": {}, \"async\": true}")
            .expect(202);
    assertEquals(1, r.path("stored_count").asInt(), r.toString());
  }

  @Test
  void putIgnoresExtrasAndKeepsServerFields() {
    HttpFixture.Tenant t = http.newTenant("put");
    JsonNode m = http.create(t.key(), "Dashboards live in Grafana");
    String id = m.path("id").asText();
    // version is no longer a server field here: it is the version the writer read (issue 17).
    JsonNode u =
        http.put(
                "/v1/memories/" + id,
                t.key(),
                "{\"content\": \"Dashboards live in Grafana Cloud\", \"id\": \""
                    + UUID.randomUUID()
                    + "\", \"version\": 1, \"memory_type\": \"insight\", \"tier\": \"core\","
                    + " \"tenant_id\": \"someone-else\", \"extra\": [1, 2]}")
            .expect(200);
    assertEquals(id, u.path("id").asText());
    assertEquals("Dashboards live in Grafana Cloud", u.path("content").asText());
    assertEquals(2, u.path("version").asInt());
    assertEquals("pinned", u.path("memory_type").asText());
    assertEquals("peripheral", u.path("tier").asText());
    assertEquals(t.id(), u.path("tenant_id").asText());

    // Only unknown fields: nothing to update, said so, nothing changed.
    Map<String, JsonNode> before = http.snapshot(t.key());
    http.put("/v1/memories/" + id, t.key(), "{\"pinned\": true}")
        .expectError(400, "validation_error");
    assertEquals(before, http.snapshot(t.key()));
  }

  @Test
  void batchDeleteIgnoresExtrasButNeverTurnsThemIntoDeleteEverything() {
    HttpFixture.Tenant t = http.newTenant("batch");
    String one =
        http.create(t.key(), "Temporary note one", "tags", List.of("tmp")).path("id").asText();
    http.create(t.key(), "Temporary note two", "tags", List.of("tmp"));
    http.create(t.key(), "A note to keep");

    JsonNode ids =
        http.post(
                "/v1/memories/batch-delete",
                t.key(),
                "{\"memory_ids\": [\"" + one + "\"], \"reason\": \"cleanup\", \"space_id\": \"x\"}")
            .expect(200);
    assertEquals(1, ids.path("deleted").asInt(), ids.toString());

    // A filter of unknown fields only is no filter at all: refused, not "match everything".
    Map<String, JsonNode> before = http.snapshot(t.key());
    http.post(
            "/v1/memories/batch-delete",
            t.key(),
            "{\"filter\": {\"importance_lt\": 0.3, \"space\": \"all\"}, \"confirm\": true}")
        .expectError(400, "validation_error");
    assertEquals(before, http.snapshot(t.key()));

    JsonNode f =
        http.post(
                "/v1/memories/batch-delete",
                t.key(),
                "{\"filter\": {\"tags\": [\"tmp\"], \"min_importance\": 0.1}, \"confirm\": true,"
                    + " \"note\": \"x\"}")
            .expect(200);
    assertEquals(1, f.path("deleted").asInt(), f.toString());
    assertEquals(1, http.get("/v1/stats", t.key()).expect(200).path("total").asInt());
  }

  @Test
  void signUpIgnoresExtras() {
    JsonNode r =
        http.post(
                "/v1/tenants", null, "{\"name\": \"carol\", \"plan\": \"pro\", \"email\": \"c@x\"}")
            .expect(201);
    assertEquals("active", r.path("status").asText());
    http.get("/v1/stats", r.path("api_key").asText()).expect(200);
  }

  @Test
  void unknownQueryParametersAndHeadersAreIgnored() {
    HttpFixture.Tenant t = http.newTenant("query");
    http.create(t.key(), "The message queue is RabbitMQ");
    JsonNode list =
        http.send(
                "GET",
                "/v1/memories?visibility=all&foo=bar",
                t.key(),
                (String) null,
                "X-Client",
                "ourmem-ts/0.3",
                "X-Space-Id",
                "team/x")
            .expect(200);
    assertEquals(1, list.path("total_count").asInt());
    JsonNode search =
        http.get("/v1/memories/search?q=message%20queue&check_stale=true&space=all", t.key())
            .expect(200);
    assertEquals(
        "The message queue is RabbitMQ",
        search.path("results").get(0).path("memory").path("content").asText());
  }
}
