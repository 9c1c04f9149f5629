package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency on {@code PUT /v1/memories/{id}} (issue 17): {@code version} in the body
 * (409 on a mismatch) or {@code If-Match} (412), each with the current version in the envelope, and
 * nothing written; without either, the write goes through as in ourmem.
 */
class VersionedUpdatesHttpTest extends OneServerPerClass {
  private static final String PATH = "/v1/memories/";

  @Test
  void aStaleVersionInTheBodyIs409WithTheCurrentVersionAndWritesNothing() {
    HttpFixture.Tenant t = http.newTenant("body-version");
    String id = http.create(t.key(), "The cache is Redis 6").path("id").asText();
    JsonNode v2 =
        http.put(PATH + id, t.key(), "{\"content\": \"The cache is Redis 7\", \"version\": 1}")
            .expect(200);
    assertEquals(2, v2.path("version").asLong());
    JsonNode e =
        http.put(PATH + id, t.key(), "{\"content\": \"The cache is Memcached\", \"version\": 1}")
            .expect(409)
            .path("error");
    assertEquals("conflict", e.path("code").asText());
    assertEquals(2, e.path("current_version").asLong());
    assertTrue(e.path("message").asText().contains("version 2"), e.toString());
    JsonNode now = http.get(PATH + id, t.key()).expect(200);
    assertEquals("The cache is Redis 7", now.path("content").asText());
    assertEquals(2, now.path("version").asLong());
    JsonNode free = http.put(PATH + id, t.key(), "{\"tags\": [\"infra\"]}").expect(200);
    assertEquals(3, free.path("version").asLong(), "no version: the write goes through");
  }

  @Test
  void aStaleIfMatchIs412AndAMatchingOneWrites() {
    HttpFixture.Tenant t = http.newTenant("if-match");
    String id = http.create(t.key(), "Staging runs on k3s").path("id").asText();
    http.put(PATH + id, t.key(), "{\"content\": \"Staging runs on EKS\"}").expect(200);
    for (String stale : List.of("1", "\"1\"", "W/\"1\"")) {
      Res r =
          http.send(
              "PUT",
              PATH + id,
              t.key(),
              "{\"content\": \"Staging runs on GKE\"}",
              "If-Match",
              stale);
      JsonNode e = r.expect(412).path("error");
      assertEquals("precondition_failed", e.path("code").asText(), stale);
      assertEquals(2, e.path("current_version").asLong());
    }
    assertEquals(
        "Staging runs on EKS", http.get(PATH + id, t.key()).expect(200).path("content").asText());
    JsonNode ok =
        http.send(
                "PUT",
                PATH + id,
                t.key(),
                "{\"content\": \"Staging runs on GKE\"}",
                "If-Match",
                "\"2\"")
            .expect(200);
    assertEquals(3, ok.path("version").asLong());
    assertEquals("Staging runs on GKE", ok.path("content").asText());
    http.send("PUT", PATH + id, t.key(), "{\"tags\": [\"k8s\"]}", "If-Match", "*").expect(200);
  }

  @Test
  void aMalformedOrContradictingVersionIsA400AndWritesNothing() {
    HttpFixture.Tenant t = http.newTenant("bad-version");
    String id = http.create(t.key(), "Pager duty rotates weekly").path("id").asText();
    http.send("PUT", PATH + id, t.key(), "{\"tags\": [\"x\"]}", "If-Match", "\"abc\"")
        .expectError(400, "validation_error");
    http.send("PUT", PATH + id, t.key(), "{\"tags\": [\"x\"], \"version\": 1}", "If-Match", "2")
        .expectError(400, "validation_error");
    http.put(PATH + id, t.key(), "{\"tags\": [\"x\"], \"version\": \"1\"}")
        .expectError(400, "validation_error");
    http.put(PATH + id, t.key(), "{\"tags\": [\"x\"], \"version\": 0}")
        .expectError(400, "validation_error");
    JsonNode now = http.get(PATH + id, t.key()).expect(200);
    assertEquals(1, now.path("version").asLong());
    assertEquals(0, now.path("tags").size());
  }

  /** Two agents read version 1 and both PUT at once: one 200, one 409, in every round. */
  @Test
  void twoAgentsWhoReadVersionOneGetOneSuccessAndOneConflict() throws Exception {
    HttpFixture.Tenant t = http.newTenant("two-agents");
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        String id =
            http.create(t.key(), "Deploy window " + round + " is Tuesday").path("id").asText();
        CyclicBarrier go = new CyclicBarrier(2);
        List<Future<Res>> puts = new ArrayList<>();
        for (String agent : List.of("agent-a", "agent-b")) {
          String body =
              HttpFixture.json(
                  java.util.Map.of(
                      "content", "Deploy window " + round + " is " + agent, "version", 1));
          puts.add(
              two.submit(
                  () -> {
                    go.await();
                    return http.send("PUT", PATH + id, t.key(), body, "X-Agent-Id", agent);
                  }));
        }
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        for (Future<Res> f : puts) {
          Res r = f.get(60, TimeUnit.SECONDS);
          statuses.add(r.status());
          if (r.status() == 200) {
            winner = r.json().path("content").asText();
          } else {
            assertEquals(2, r.expect(409).path("error").path("current_version").asLong());
          }
        }
        statuses.sort(null);
        assertEquals(List.of(200, 409), statuses, "round " + round);
        JsonNode now = http.get(PATH + id, t.key()).expect(200);
        assertEquals(winner, now.path("content").asText());
        assertEquals(2, now.path("version").asLong());
      }
    } finally {
      two.shutdownNow();
    }
  }

  /** ourmem answers 404 for an id that names no memory, a malformed one included. */
  @Test
  void aMemoryIdThatIsNotAUuidIs404() {
    HttpFixture.Tenant t = http.newTenant("bad-ids");
    for (String bad : List.of("not-a-uuid", "123", "3f2a9c1e")) {
      http.get(PATH + bad, t.key()).expectError(404, "not_found");
      http.put(PATH + bad, t.key(), "{\"content\": \"x\"}").expectError(404, "not_found");
      http.delete(PATH + bad, t.key()).expectError(404, "not_found");
      http.get(PATH + bad + "/history", t.key()).expectError(404, "not_found");
    }
    assertEquals(0, http.snapshot(t.key()).size());
  }
}
