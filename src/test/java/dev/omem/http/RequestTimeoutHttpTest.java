package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.service.LocalMemoryService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-request time limit. A server allowing 1 ms gets an ingest of 200 turns, which embeds 200
 * texts (seconds on any machine), so the answer is 503 {@code unavailable} deterministically; the
 * work goes on, as documented, and a second server over the same store sees it land.
 */
class RequestTimeoutHttpTest {
  private static final int TURNS = 200;

  @TempDir static Path home;
  static LocalMemoryService service;
  static HttpFixture hasty;
  static HttpFixture patient;

  @BeforeAll
  static void start() throws Exception {
    service = HttpFixture.openService(home);
    ServeSettings d = HttpFixture.settings();
    hasty =
        HttpFixture.serve(
            service,
            d.toBuilder().requestsPerSecond(0).requestTimeout(Duration.ofMillis(1)).build());
    patient = HttpFixture.serve(service, d);
  }

  @AfterAll
  static void stop() {
    try {
      hasty.close();
      patient.close();
    } finally {
      service.close();
    }
  }

  @Test
  void aLongIngestIs503UnavailableAndStillCompletes() throws InterruptedException {
    HttpFixture.Tenant t = patient.newTenant("t");
    List<Map<String, String>> turns = new ArrayList<>();
    for (int i = 0; i < TURNS; i++) {
      turns.add(
          Map.of(
              "role",
              "user",
              "content",
              "Service number "
                  + i
                  + " keeps its nightly backups in bucket "
                  + i
                  + " in Frankfurt"));
    }
    // Raw mode: every turn is stored, so the count says the whole ingest went on.
    Res r =
        hasty.post(
            "/v1/memories", t.key(), HttpFixture.json(Map.of("messages", turns, "mode", "raw")));
    r.expectError(503, "unavailable");
    assertTrue(r.json().path("error").path("message").asText().contains("1 ms"), r.body());

    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    int stored = 0;
    while (System.nanoTime() < deadline && stored < TURNS) {
      Thread.sleep(200);
      stored = patient.get("/v1/memories?limit=1", t.key()).expect(200).path("total_count").asInt();
    }
    assertEquals(TURNS, stored, "the ingest went on after the answer");
  }
}
