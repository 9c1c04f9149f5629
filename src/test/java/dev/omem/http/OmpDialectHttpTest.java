package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Open Memory Protocol dialect under {@code /omp/v1/} over real HTTP (issue 17): requests
 * shaped as OMP v0.1's memory object and export file (../shared/reference/omp.md), {@code
 * Authorization: Bearer}, its error envelope, the same memories as {@code /v1}, and one tenant's
 * bearer never reaching another's memories.
 */
class OmpDialectHttpTest extends OneServerPerClass {
  private static Res omp(String method, String path, String key, String body) {
    return key == null
        ? http.send(method, path, null, body)
        : http.send(method, path, null, body, "Authorization", "Bearer " + key);
  }

  /** OMP's envelope: {@code {"error": {"code", "message"}}}, the code given. */
  private static void expectOmpError(Res r, int status, String code) {
    r.expectError(status, code);
  }

  private static final String OBJECT =
      "{\"content\": \"The API gateway retries idempotent requests twice.\","
          + " \"type\": \"semantic\","
          + " \"source\": {\"tool\": \"cursor\", \"session_id\": \"s-77\","
          + " \"timestamp\": \"2026-06-29T10:00:00Z\"},"
          + " \"tags\": [\"gateway\", \"retries\"], \"namespace\": \"project:gateway\","
          + " \"metadata\": {\"importance\": 0.9}}";

  @Test
  void aMemoryObjectRoundTripsThroughCrudAndIsTheSameMemoryOnV1() {
    HttpFixture.Tenant t = http.newTenant("omp-crud");
    JsonNode created = omp("POST", "/omp/v1/memories", t.key(), OBJECT).expect(201);
    String id = created.path("id").asText();
    assertTrue(id.matches("mem_[a-z0-9]{16}"), id);
    assertEquals("semantic", created.path("type").asText());
    assertEquals("cursor", created.path("source").path("tool").asText());
    assertEquals("s-77", created.path("source").path("session_id").asText());
    assertEquals("project:gateway", created.path("namespace").asText());
    assertTrue(created.path("tags").toString().contains("retries"), created.toString());
    assertEquals(0.9, created.path("metadata").path("importance").asDouble());

    // The same memory through ourmem's dialect, with the ordinary key.
    String omemId = created.path("metadata").path("omem_id").asText();
    JsonNode onV1 = http.get("/v1/memories/" + omemId, t.key()).expect(200);
    assertEquals(
        "The API gateway retries idempotent requests twice.", onV1.path("content").asText());
    assertEquals("project:gateway", onV1.path("scope").asText());
    assertEquals("cursor", onV1.path("source").asText());

    assertEquals(created, omp("GET", "/omp/v1/memories/" + id, t.key(), null).expect(200));
    JsonNode updated =
        omp(
                "PUT",
                "/omp/v1/memories/" + id,
                t.key(),
                "{\"content\": \"The API gateway retries idempotent requests three times.\"}")
            .expect(200);
    assertEquals(id, updated.path("id").asText());
    assertEquals(
        "The API gateway retries idempotent requests three times.",
        updated.path("content").asText());
    JsonNode page =
        omp("GET", "/omp/v1/memories?namespace=project:gateway", t.key(), null).expect(200);
    assertEquals(1, page.path("total").asLong());
    assertEquals(id, page.path("memories").get(0).path("id").asText());

    Res deleted = omp("DELETE", "/omp/v1/memories/" + id, t.key(), null);
    assertEquals(204, deleted.status(), deleted.body());
    expectOmpError(omp("GET", "/omp/v1/memories/" + id, t.key(), null), 404, "not_found");
    assertEquals(
        "deleted", http.get("/v1/memories/" + omemId, t.key()).expect(200).path("state").asText());
  }

  @Test
  void searchTakesAJsonBody() {
    HttpFixture.Tenant t = http.newTenant("omp-search");
    omp("POST", "/omp/v1/memories", t.key(), OBJECT).expect(201);
    omp(
            "POST",
            "/omp/v1/memories",
            t.key(),
            "{\"content\": \"Release notes are written on Fridays.\", \"type\": \"episodic\","
                + " \"source\": {\"tool\": \"cli\", \"timestamp\": \"2026-06-29T10:00:00Z\"}}")
        .expect(201);
    JsonNode r =
        omp(
                "POST",
                "/omp/v1/memories/search",
                t.key(),
                "{\"query\": \"how often does the gateway retry\", \"limit\": 5, \"min_score\": 0}")
            .expect(200);
    JsonNode first = r.path("results").get(0);
    assertEquals(
        "The API gateway retries idempotent requests twice.",
        first.path("memory").path("content").asText());
    assertTrue(first.path("score").isNumber());
    JsonNode episodic =
        omp(
                "POST",
                "/omp/v1/memories/search",
                t.key(),
                "{\"query\": \"gateway retries release notes\", \"type\": \"episodic\","
                    + " \"min_score\": 0}")
            .expect(200)
            .path("results");
    assertEquals(1, episodic.size(), episodic.toString());
    assertEquals("episodic", episodic.get(0).path("memory").path("type").asText());
    expectOmpError(
        omp("POST", "/omp/v1/memories/search", t.key(), "{\"limit\": 3}"), 400, "invalid_request");
    expectOmpError(
        omp("POST", "/omp/v1/memories", t.key(), "{\"content\": \"x y z\", \"type\": \"dream\"}"),
        400,
        "invalid_request");
  }

  @Test
  void theBearerIsTheKeyAndReachesOnlyItsTenant() {
    HttpFixture.Tenant a = http.newTenant("omp-a");
    HttpFixture.Tenant b = http.newTenant("omp-b");
    String id = omp("POST", "/omp/v1/memories", a.key(), OBJECT).expect(201).path("id").asText();

    Res none = omp("GET", "/omp/v1/memories", null, null);
    expectOmpError(none, 401, "unauthorized");
    assertEquals("Bearer", none.header("WWW-Authenticate").orElse(""));
    // ourmem's header does not open the OMP routes: a client speaks one dialect.
    expectOmpError(http.get("/omp/v1/memories", a.key()), 401, "unauthorized");
    expectOmpError(omp("GET", "/omp/v1/memories", "not-a-key", null), 401, "unauthorized");
    Res basic =
        http.send(
            "GET", "/omp/v1/memories", null, (String) null, "Authorization", "Basic " + a.key());
    expectOmpError(basic, 401, "unauthorized");

    expectOmpError(omp("GET", "/omp/v1/memories/" + id, b.key(), null), 404, "not_found");
    expectOmpError(
        omp("PUT", "/omp/v1/memories/" + id, b.key(), "{\"content\": \"overwritten by b\"}"),
        404,
        "not_found");
    expectOmpError(omp("DELETE", "/omp/v1/memories/" + id, b.key(), null), 404, "not_found");
    assertEquals(
        0, omp("GET", "/omp/v1/memories", b.key(), null).expect(200).path("total").asLong());
    assertEquals(
        0,
        omp(
                "POST",
                "/omp/v1/memories/search",
                b.key(),
                "{\"query\": \"API gateway retries\", \"min_score\": 0}")
            .expect(200)
            .path("results")
            .size());
    assertEquals(
        0, omp("GET", "/omp/v1/export", b.key(), null).expect(200).path("memories").size());
    // A's memory is untouched by all of it.
    assertEquals(
        "The API gateway retries idempotent requests twice.",
        omp("GET", "/omp/v1/memories/" + id, a.key(), null).expect(200).path("content").asText());
  }

  @Test
  void anExportImportsIntoAnotherTenantOnceAndUnknownRoutesAnswerTheEnvelope() {
    HttpFixture.Tenant a = http.newTenant("omp-exporter");
    HttpFixture.Tenant b = http.newTenant("omp-importer");
    omp("POST", "/omp/v1/memories", a.key(), OBJECT).expect(201);
    JsonNode file = omp("GET", "/omp/v1/export", a.key(), null).expect(200);
    assertEquals("0.1", file.path("omp_version").asText());
    assertEquals(1, file.path("memories").size());

    JsonNode first = omp("POST", "/omp/v1/import", b.key(), file.toString()).expect(200);
    assertEquals(1, first.path("imported").asInt(), first.toString());
    assertEquals(List.of(), HttpFixture.JSON.convertValue(first.path("errors"), List.class));
    JsonNode again = omp("POST", "/omp/v1/import", b.key(), file.toString()).expect(200);
    assertEquals(0, again.path("imported").asInt());
    assertEquals(1, again.path("skipped").asInt());
    String id = file.path("memories").get(0).path("id").asText();
    assertEquals(
        "The API gateway retries idempotent requests twice.",
        omp("GET", "/omp/v1/memories/" + id, b.key(), null).expect(200).path("content").asText());
    expectOmpError(
        omp("POST", "/omp/v1/import?conflict=overwrite", b.key(), file.toString()),
        400,
        "invalid_request");
    expectOmpError(
        omp("POST", "/omp/v1/import", b.key(), "{\"memories\": []}"), 400, "invalid_request");
    expectOmpError(omp("GET", "/omp/v1/nothing", b.key(), null), 404, "not_found");
    expectOmpError(omp("GET", "/omp/v1/memories/mem_short", b.key(), null), 404, "not_found");
  }
}
