package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.Tenants;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-key rate limit, and the local daemon's token: the store's own tenant, never limited. The
 * limited server allows 3 requests at once and one per 10 s after, so the 4th quick one is refused
 * however slow the machine; a second, unlimited server over the same store checks what was stored.
 */
class RateLimitHttpTest {
  private static final String LOCAL_TOKEN = Tenants.newKey();

  @TempDir static Path home;
  static LocalMemoryService service;
  static HttpFixture limited;
  static HttpFixture open;

  @BeforeAll
  static void start() throws Exception {
    service = HttpFixture.openService(home);
    ServeSettings d = HttpFixture.settings();
    ServeSettings slow =
        d.toBuilder().requestsPerSecond(0.1).burst(3).build().withLocalToken(LOCAL_TOKEN);
    limited = HttpFixture.serve(service, slow);
    open = HttpFixture.serve(service, d);
  }

  @AfterAll
  static void stop() {
    try {
      limited.close();
      open.close();
    } finally {
      service.close();
    }
  }

  @Test
  void theFourthQuickRequestIs429AndChangesNothing() {
    HttpFixture.Tenant a = limited.newTenant("a");
    HttpFixture.Tenant b = limited.newTenant("b");
    limited.create(a.key(), "The first of three allowed requests stores this");
    limited.get("/v1/stats", a.key()).expect(200);
    limited.get("/v1/memories", a.key()).expect(200);
    Map<String, JsonNode> before = open.snapshot(a.key());

    Res refused = limited.post("/v1/memories", a.key(), "{\"content\": \"over the limit\"}");
    refused.expectError(429, "rate_limited");
    long retry = Long.parseLong(refused.header("Retry-After").orElseThrow());
    assertTrue(retry >= 1 && retry <= 10, "Retry-After " + retry);
    limited.get("/v1/stats", a.key()).expectError(429, "rate_limited");
    assertEquals(before, open.snapshot(a.key()), "the refused create stored nothing");

    // Another tenant has its own bucket.
    for (int i = 0; i < 3; i++) {
      limited.get("/v1/stats", b.key()).expect(200);
    }
    limited.get("/v1/stats", b.key()).expectError(429, "rate_limited");
  }

  @Test
  void unknownKeysAre401NotRateLimited() {
    for (int i = 0; i < 6; i++) {
      limited.get("/v1/stats", "omem_not-a-key").expectError(401, "unauthorized");
    }
    // Sign-up is public and so outside any key's bucket.
    for (int i = 0; i < 5; i++) {
      limited.newTenant(null);
    }
  }

  @Test
  void theLocalTokenIsTheStoresOwnTenantAndNotLimited() {
    HttpFixture.Tenant a = limited.newTenant("a2");
    limited.create(a.key(), "Tenant A's private note about its VPN");
    for (int i = 0; i < 10; i++) {
      limited.get("/v1/stats", LOCAL_TOKEN).expect(200);
    }
    JsonNode mine = limited.create(LOCAL_TOKEN, "The local user's note about the laptop backup");
    assertEquals(service.localTenantId(), mine.path("tenant_id").asText());
    assertEquals("personal/" + service.localTenantId(), mine.path("space_id").asText());

    // The token sees its own memories and none of a tenant's; tenants do not see its memories.
    JsonNode page = limited.get("/v1/memories?scope=all&limit=200", LOCAL_TOKEN).expect(200);
    page.path("memories")
        .forEach(
            m -> assertEquals(service.localTenantId(), m.path("tenant_id").asText(), m.toString()));
    assertTrue(page.path("total_count").asInt() >= 1);
    assertFalse(open.snapshot(a.key()).containsKey(mine.path("id").asText()));

    // A server started without a token does not know it.
    open.get("/v1/stats", LOCAL_TOKEN).expectError(401, "unauthorized");
  }
}
