package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryState;
import dev.omem.domain.MemoryType;
import dev.omem.domain.OmemException;
import dev.omem.domain.Tier;
import dev.omem.service.LocalMemoryService;
import dev.omem.store.MemoryWrite;
import dev.omem.store.Storage;
import dev.omem.store.StoredMemory;
import dev.omem.store.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health}, {@code /ready}, {@code /metrics} and the JSON request log of a real server on
 * loopback over a real store.
 */
class OperationsHttpTest {
  @TempDir Path home;
  @TempDir Path logs;

  private HttpFixture start(Operations ops, ServeSettings settings) throws Exception {
    // The model loads in the background: nothing here needs a vector.
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    try {
      return new HttpFixture(
          s,
          OmemHttpServer.start(
              s,
              s.tenants(),
              settings,
              "test",
              OmemHttpServer.Mounts.NONE,
              null,
              new Operations(s.probe(), ops.metrics(), ops.readyMaxLag(), ops.requestLog())),
          true);
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  @Test
  void metricsNameRoutesByPatternAndCountRefusals() throws Exception {
    Path logFile = logs.resolve("requests.log");
    try (HttpFixture http =
        start(
            new Operations(null, true, 100, RequestLog.toFile(logFile)), HttpFixture.settings())) {
      http.get("/health", null).expect(200);
      JsonNode ready = http.get("/ready", null).expect(200);
      assertEquals("ready", ready.path("status").asText());
      assertEquals(0, ready.path("index_lag").asLong());

      HttpFixture.Tenant t = http.newTenant("ops");
      String id =
          http.create(t.key(), "The deploy runs from the release branch").path("id").asText();
      http.get("/v1/memories/" + id, t.key()).expect(200);
      http.get("/v1/memories/" + id, t.key()).expect(200);
      http.get("/v1/memories?q=zanzibarquokka", t.key()).expect(200);
      http.get("/v1/memories/" + id, "not-a-key").expectError(401, "unauthorized");
      http.get("/no/such/route", t.key()).expectError(404, "not_found");

      for (int i = 0; i < 5; i++) {
        http.send("PROBE" + i, "/health", null, (String) null); // a client names any method
      }

      Res m = http.get("/metrics", null);
      assertEquals(200, m.status());
      assertTrue(m.header("Content-Type").orElse("").startsWith("text/plain"), m.toString());
      String text = m.body();
      assertTrue(
          text.contains(
              "omem_http_requests_seconds_count{method=\"GET\",route=\"/v1/memories/{id}\",status=\"200\"} 2"),
          text);
      assertTrue(
          text.contains(
              "omem_http_requests_seconds_count{method=\"GET\",route=\"/v1/memories/{id}\",status=\"401\"} 1"),
          "a refusal at the gate counts under its route");
      assertTrue(text.contains("route=\"unmatched\",status=\"404\""), "unknown paths are one name");
      assertFalse(text.contains(id), "no memory id becomes a series");
      assertFalse(text.contains("PROBE"), "a made-up method does not become a series");
      assertTrue(text.contains("method=\"OTHER\""), "made-up methods count under one name");
      assertTrue(text.contains("omem_http_requests_seconds_bucket{"), "latency histogram buckets");
      assertTrue(text.contains("\nomem_index_lag 0.0"), text);
      assertTrue(text.contains("\nomem_ingest_queue_depth 0.0"), text);
      assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM metrics");
      assertTrue(text.contains("jvm_threads_live_threads"), "JVM metrics");
      assertFalse(text.contains("hikaricp_"), "SQLite has no pool to report");
    }

    List<String> lines = Files.readAllLines(logFile);
    assertTrue(lines.size() >= 8, lines.toString());
    String all = String.join("\n", lines);
    assertFalse(all.contains("zanzibarquokka"), "the query string is never logged");
    boolean sawTenantLine = false;
    for (String line : lines) {
      JsonNode j = HttpFixture.JSON.readTree(line);
      assertEquals("request", j.path("msg").asText());
      assertTrue(j.path("duration_ms").isNumber(), line);
      assertFalse(j.path("route").asText().matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"), line);
      if (j.path("route").asText().equals("/v1/memories/{id}") && j.path("status").asInt() == 200) {
        assertFalse(j.path("tenant").asText().isEmpty(), line);
        sawTenantLine = true;
      }
    }
    assertTrue(sawTenantLine, all);
    assertTrue(all.contains("\"status\":401") && all.contains("\"level\":\"warn\""), all);
  }

  @Test
  void readyIs503WhileTheIndexTrailsTheChangeLogThenCatchesUp() throws Exception {
    try (HttpFixture http = start(new Operations(null, false, 0, null), HttpFixture.settings())) {
      http.get("/ready", null).expect(200);
      // Another writer of the same store (a second node of a cluster does so through its own
      // connection): the change log moves, this server's index has not applied it yet.
      try (Storage other = SqliteStorage.open(home)) {
        other.memories().apply(MemoryWrite.insertAll(List.of(row())), () -> {});
      }
      Res r = http.get("/ready", null);
      r.expectError(503, "unavailable");
      assertTrue(r.body().contains("behind the change log"), r.body());
      long end = System.nanoTime() + 15_000_000_000L;
      while (http.get("/ready", null).status() != 200) {
        assertTrue(System.nanoTime() < end, "the index catches up by itself");
        Thread.sleep(100);
      }
      assertEquals(404, http.get("/metrics", null).status(), "metrics off: no route");
    }
  }

  @Test
  void readyIs503WhenTheStoreDoesNotAnswer() throws Exception {
    HttpFixture http = start(new Operations(null, false, 100, null), HttpFixture.settings());
    try {
      http.get("/ready", null).expect(200);
      http.service.close();
      http.get("/ready", null).expectError(503, "unavailable");
      http.get("/health", null).expect(200); // alive, not ready
    } finally {
      http.server.close();
    }
  }

  @Test
  void theDaemonServesMetricsOnlyWhenAskedAndOnlyToItsToken() throws Exception {
    assertFalse(Operations.resolve(Map.of(), true, null).metrics(), "off on the daemon");
    assertTrue(Operations.resolve(Map.of(), false, null).metrics(), "on on a team server");
    Operations on = Operations.resolve(Map.of("OMEM_METRICS", "on"), true, null);
    assertTrue(on.metrics());
    String token = "daemon-token-" + UUID.randomUUID();
    ServeSettings daemon =
        HttpFixture.settings().withLocalToken(token).withLocalOwner(true, Map.of("pid", 1));
    try (HttpFixture http = start(on, daemon)) {
      http.get("/metrics", null).expectError(401, "unauthorized");
      http.get("/ready", null).expectError(401, "unauthorized");
      Res m = http.get("/metrics", token);
      assertEquals(200, m.status());
      assertTrue(m.body().contains("omem_http_requests_seconds_count"), m.body());
    }
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> Operations.resolve(Map.of("OMEM_METRICS", "sometimes"), false, null));
    assertTrue(e.getMessage().contains("OMEM_METRICS"), e.getMessage());
    e =
        assertThrows(
            OmemException.class,
            () -> Operations.resolve(Map.of("OMEM_READY_MAX_LAG", "-3"), false, null));
    assertTrue(e.getMessage().contains("OMEM_READY_MAX_LAG"), e.getMessage());
    e =
        assertThrows(
            OmemException.class,
            () -> Operations.resolve(Map.of("OMEM_LOG_FORMAT", "xml"), false, null));
    assertTrue(e.getMessage().contains("OMEM_LOG_FORMAT"), e.getMessage());
    assertTrue(
        Operations.resolve(Map.of("OMEM_LOG_FORMAT", "json"), false, null).requestLog() != null);
  }

  private static StoredMemory row() {
    float[] v = new float[384];
    v[0] = 1f;
    return new StoredMemory(
        Memory.builder()
            .id(UUID.randomUUID().toString())
            .tenantId("someone")
            .spaceId("personal/someone")
            .content("written by another node")
            .category(Category.ENTITIES)
            .memoryType(MemoryType.PINNED)
            .state(MemoryState.ACTIVE)
            .tier(Tier.PERIPHERAL)
            .importance(0.5)
            .confidence(0.5)
            .accessCount(0)
            .tags(List.of())
            .scope("global")
            .relations(Map.of())
            .provenance(Map.of())
            .version(1)
            .createdAt(Instant.now())
            .updatedAt(Instant.now())
            .build(),
        v,
        OmemConfig.DEFAULT_MODEL);
  }
}
