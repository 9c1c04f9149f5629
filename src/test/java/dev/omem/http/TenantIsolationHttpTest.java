package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation matrix: for every route, tenant B gets nothing of tenant A and changes nothing of
 * A's, and A's memories are intact (same content, state, version, access counts) afterwards.
 */
class TenantIsolationHttpTest {
  private static final String PROJECT = "github.com/acme/alpha";

  @TempDir static Path home;
  static HttpFixture http;
  static HttpFixture.Tenant a;
  static HttpFixture.Tenant b;

  /** A's memories, in every state, and what they looked like before B did anything. */
  static Map<String, JsonNode> aBefore;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.start(home);
    a = http.newTenant("a");
    b = http.newTenant("b");
    String[] project = {"X-Omem-Project", PROJECT};
    post(
        a,
        "{\"content\": \"The deploy password rotates every Monday\", \"tags\": [\"secret\"]}",
        project);
    http.create(a.key(), "I prefer vim keybindings everywhere", "category", "preferences");
    http.create(a.key(), "Yesterday we migrated the billing database", "category", "events");
    http.post(
            "/v1/memories",
            a.key(),
            "{\"messages\": [{\"role\": \"user\", \"content\": \"Our deploy window is Friday"
                + " afternoon only\"}]}")
        .expect(202);
    String edited = http.create(a.key(), "The deploy bot is called Hermes").path("id").asText();
    http.put("/v1/memories/" + edited, a.key(), "{\"tags\": [\"bot\"]}").expect(200);
    String archived = http.create(a.key(), "The old deploy bot was Jenkins").path("id").asText();
    http.put("/v1/memories/" + archived, a.key(), "{\"state\": \"archived\"}").expect(200);
    String deleted = http.create(a.key(), "The deploy staging key is in Vault").path("id").asText();
    http.delete("/v1/memories/" + deleted, a.key()).expect(200);
    post(b, "{\"content\": \"B schedules the deploy on Thursdays\", \"tags\": [\"ops\"]}", project);
    aBefore = http.snapshot(a.key());
    assertEquals(7, aBefore.size());
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  private static void post(HttpFixture.Tenant t, String body, String... headers) {
    http.send("POST", "/v1/memories", t.key(), body, headers).expect(201);
  }

  /** A is exactly as before, and its own search still finds its memories. */
  private static void assertAIntact() {
    assertEquals(aBefore, http.snapshot(a.key()), "A's memories changed");
    JsonNode r =
        http.get("/v1/memories/search?scope=all&q=deploy%20password%20rotates", a.key())
            .expect(200);
    assertEquals(
        "The deploy password rotates every Monday",
        r.path("results").get(0).path("memory").path("content").asText());
    // A's own search counts accesses to A's memories: that is A's doing, so it becomes the
    // baseline the next probe of B is held to (access counts included).
    aBefore = http.snapshot(a.key());
  }

  @TestFactory
  Stream<DynamicTest> bCannotReachAsMemoriesById() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode m : aBefore.values()) {
      String id = m.path("id").asText();
      String label = m.path("state").asText() + " " + m.path("content").asText();
      tests.add(probe("GET " + label, () -> notFound(http.get(path(id), b.key()), id)));
      tests.add(
          probe(
              "GET upper-case id " + label,
              () ->
                  http.get(path(id.toUpperCase(Locale.ROOT)), b.key())
                      .expectError(404, "not_found")));
      tests.add(
          probe(
              "PUT content " + label,
              () ->
                  notFound(
                      http.put(path(id), b.key(), "{\"content\": \"hijacked\", \"tags\": [\"x\"]}"),
                      id)));
      tests.add(
          probe(
              "PUT state " + label,
              () -> notFound(http.put(path(id), b.key(), "{\"state\": \"active\"}"), id)));
      tests.add(probe("DELETE " + label, () -> notFound(http.delete(path(id), b.key()), id)));
    }
    tests.add(
        probe(
            "batch-delete A's ids",
            () -> {
              String body =
                  HttpFixture.json(Map.of("memory_ids", new ArrayList<>(aBefore.keySet())));
              JsonNode r = http.post("/v1/memories/batch-delete", b.key(), body).expect(200);
              assertEquals(0, r.path("deleted").asInt(), r.toString());
            }));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> bSeesNoneOfAsMemories() {
    Map<String, Runnable> probes = new LinkedHashMap<>();
    for (JsonNode m : aBefore.values()) {
      String q = m.path("content").asText().replace(" ", "%20");
      for (String extra : new String[] {"", "&scope=all", "&state=active,archived,deleted"}) {
        probes.put(
            "search " + m.path("content").asText() + extra,
            () -> {
              JsonNode r =
                  http.send(
                          "GET",
                          "/v1/memories/search?limit=100&include_trace=true&q=" + q + extra,
                          b.key(),
                          (String) null,
                          "X-Omem-Project",
                          PROJECT)
                      .expect(200);
              r.path("results").forEach(res -> assertB(res.path("memory")));
              // Not even a count of A's memories shows in the trace.
              int bCount = http.snapshot(b.key()).size();
              r.path("trace")
                  .path("stages")
                  .forEach(
                      st -> assertTrue(st.path("output_count").asInt() <= bCount, r.toString()));
            });
      }
    }
    for (String query :
        new String[] {
          "?scope=all",
          "?scope=all&state=archived",
          "?scope=all&state=deleted",
          "?tags=secret",
          "?category=preferences",
          "?memory_type=session",
          "?scope=project:" + PROJECT,
          "?sort=access_count&order=desc&limit=200"
        }) {
      probes.put(
          "list " + query,
          () -> {
            JsonNode page = http.get("/v1/memories" + query, b.key()).expect(200);
            page.path("memories").forEach(TenantIsolationHttpTest::assertB);
            assertEquals(page.path("memories").size(), page.path("total_count").asInt());
          });
    }
    probes.put(
        "profile with q",
        () -> {
          JsonNode p = http.get("/v1/profile?q=vim%20keybindings", b.key()).expect(200);
          assertEquals(0, p.path("static_facts").size(), p.toString());
          assertEquals(0, p.path("dynamic_context").size(), p.toString());
          p.path("search_results").forEach(r -> assertB(r.path("memory")));
        });
    probes.put(
        "stats",
        () -> {
          Map<String, JsonNode> bMemories = http.snapshot(b.key());
          JsonNode s = http.get("/v1/stats", b.key()).expect(200);
          long bLive =
              bMemories.values().stream()
                  .filter(m -> !m.path("state").asText().equals("deleted"))
                  .count();
          // B's own searches count accesses to B's own memories, and only to those (stats
          // leave deleted memories out, as its total does).
          long bAccesses =
              bMemories.values().stream()
                  .filter(m -> !m.path("state").asText().equals("deleted"))
                  .mapToLong(m -> m.path("access_count").asLong())
                  .sum();
          assertEquals(bLive, s.path("total").asLong(), s.toString());
          assertFalse(s.path("by_space").has("personal/" + a.id()), s.toString());
          assertFalse(s.path("by_category").has("preferences"), s.toString());
          assertFalse(s.path("by_type").has("session"), s.toString());
          assertEquals(bAccesses, s.path("total_access_count").asLong(), s.toString());
        });
    return probes.entrySet().stream().map(e -> probe(e.getKey(), e.getValue()));
  }

  @TestFactory
  Stream<DynamicTest> bsWritesTouchOnlyB() {
    String future = Instant.now().plusSeconds(3600).toString();
    Map<String, Runnable> probes = new LinkedHashMap<>();
    for (String filter :
        new String[] {
          "{\"tags\": [\"secret\"]}",
          "{\"category\": \"preferences\"}",
          "{\"memory_type\": \"session\"}",
          "{\"state\": \"archived\"}",
          "{\"state\": \"deleted\"}",
          "{\"before\": \"" + future + "\"}"
        }) {
      probes.put(
          "batch-delete filter " + filter,
          () -> {
            String body = "{\"filter\": " + filter + ", \"confirm\": %s}";
            JsonNode dry =
                http.post("/v1/memories/batch-delete", b.key(), body.formatted("false"))
                    .expect(200);
            JsonNode done =
                http.post("/v1/memories/batch-delete", b.key(), body.formatted("true")).expect(200);
            int bCount = http.snapshot(b.key()).size();
            assertTrue(dry.path("would_delete").asInt(-1) >= 0, dry.toString());
            assertTrue(dry.path("would_delete").asInt() <= bCount, dry.toString());
            assertTrue(done.path("deleted").asInt(-1) >= 0, done.toString());
            assertTrue(done.path("deleted").asInt() <= dry.path("would_delete").asInt());
            restoreB();
          });
    }
    probes.put(
        "delete all",
        () -> {
          JsonNode r =
              http.delete("/v1/memories/all", b.key(), "X-Confirm", "delete-all").expect(200);
          assertEquals(1, r.path("deleted").asInt(), r.toString());
          restoreB();
        });
    probes.put(
        "create naming A as tenant and space",
        () -> {
          JsonNode m = http.create(b.key(), "B writes while claiming to be A", "tenant_id", a.id());
          assertB(m);
          http.delete(path(m.path("id").asText()), b.key()).expect(200);
          // A's personal space is no space B can see, let alone write.
          http.post(
                  "/v1/memories",
                  b.key(),
                  "{\"content\": \"B writes into A's space\", \"space_id\": \"personal/"
                      + a.id()
                      + "\"}")
              .expectError(404, "not_found");
        });
    probes.put(
        "A's public id is no key",
        () -> {
          http.get("/v1/memories", a.id()).expectError(401, "unauthorized");
          http.delete("/v1/memories/all", a.id(), "X-Confirm", "delete-all")
              .expectError(401, "unauthorized");
        });
    return probes.entrySet().stream().map(e -> probe(e.getKey(), e.getValue()));
  }

  // ---- helpers ----

  private static DynamicTest probe(String name, Runnable body) {
    return dynamicTest(
        name,
        () -> {
          body.run();
          assertAIntact();
        });
  }

  /** A 404 exactly as for an id that does not exist: nothing tells B that A's id is real. */
  private static void notFound(Res r, String id) {
    r.expectError(404, "not_found");
    String unknown = UUID.randomUUID().toString();
    Res other = http.get(path(unknown), b.key());
    assertEquals(
        other.json().path("error").path("message").asText().replace(unknown, id),
        r.json().path("error").path("message").asText());
  }

  private static void assertB(JsonNode memory) {
    assertEquals(b.id(), memory.path("tenant_id").asText(), memory.toString());
    assertFalse(aBefore.containsKey(memory.path("id").asText()), memory.toString());
  }

  /** B's own memory back as it was, so each probe starts from the same state. */
  private static void restoreB() {
    for (JsonNode m : http.snapshot(b.key()).values()) {
      if (m.path("content").asText().startsWith("B schedules")
          && !m.path("state").asText().equals("active")) {
        http.put(path(m.path("id").asText()), b.key(), "{\"state\": \"active\"}").expect(200);
      }
    }
  }

  private static String path(String id) {
    return "/v1/memories/" + id;
  }
}
