package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Details of the wire a client depends on: encodings, content types, limits at their edge. */
class WireDetailsHttpTest extends OneServerPerClass {
  @Test
  void textOutsideAsciiRoundTrips() {
    HttpFixture.Tenant t = http.newTenant("ünïcödé ✓");
    String content = "Zürich office: the Wi‑Fi is “omem-gäste” ✓ — 日本語のメモ 🚀";
    JsonNode m = http.create(t.key(), content, "tags", List.of("größe", "東京"));
    assertEquals(content, m.path("content").asText());
    JsonNode got = http.get("/v1/memories/" + m.path("id").asText(), t.key()).expect(200);
    assertEquals(content, got.path("content").asText());
    assertEquals(List.of("größe", "東京"), MemoryRoutesHttpTest.strings(got.path("tags")));
    JsonNode found =
        http.get("/v1/memories/search?q=Z%C3%BCrich&tags=gr%C3%B6%C3%9Fe", t.key()).expect(200);
    assertEquals(content, found.path("results").get(0).path("memory").path("content").asText());
  }

  @Test
  void contentOfExactly32KiBIsAccepted() {
    HttpFixture.Tenant t = http.newTenant("edge");
    String content = "é".repeat(16 * 1024); // 32 KiB of UTF-8 in 16 Ki characters
    assertEquals(content, http.create(t.key(), content).path("content").asText());
  }

  /** curl -d sends a form content type; the body is JSON all the same (and not eaten as a form). */
  @Test
  void theBodyIsJsonWhateverTheContentType() {
    HttpFixture.Tenant t = http.newTenant("curl");
    for (String type :
        new String[] {
          "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-8"
        }) {
      http.send(
              "POST",
              "/v1/memories",
              t.key(),
              "{\"content\": \"Sent as " + type + "\"}",
              "Content-Type",
              type)
          .expect(201);
    }
    assertEquals(3, http.snapshot(t.key()).size());
  }

  @Test
  void searchAndListShowTwentyByDefaultAsOurmem() {
    HttpFixture.Tenant t = http.newTenant("defaults");
    String[] topics = {
      "backups",
      "billing",
      "builds",
      "caching",
      "certificates",
      "containers",
      "dashboards",
      "databases",
      "deploys",
      "dns",
      "email",
      "feature flags",
      "firewalls",
      "logging",
      "metrics",
      "monitoring",
      "networking",
      "queues",
      "secrets",
      "storage",
      "testing",
      "tracing",
      "vpn",
      "wiki",
      "search"
    };
    for (String topic : topics) {
      http.create(t.key(), "Team note about " + topic + " for the infrastructure handbook");
    }
    JsonNode list = http.get("/v1/memories", t.key()).expect(200);
    assertEquals(20, list.path("memories").size());
    assertEquals(20, list.path("limit").asInt());
    assertEquals(topics.length, list.path("total_count").asInt());
    JsonNode search =
        http.get(
                "/v1/memories/search?q=team%20note%20infrastructure%20handbook&min_score=0",
                t.key())
            .expect(200);
    assertEquals(20, search.path("results").size(), "ourmem's default, not the MCP tool's 10");
  }
}
