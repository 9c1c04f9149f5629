package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation matrix of issue 12: every REST route of the router and every MCP tool, enumerated
 * at run time, probed by tenant B against the ids and spaces of A (two tenants) and of C, a member
 * of A's space (three tenants). B is also invited to A's space without having accepted. Each probe
 * asserts that another tenant's id is answered exactly like a missing one (same status, same
 * envelope code, same message once the ids are swapped), that no answer carries A's or C's content,
 * and that A's and C's memories are exactly as before.
 *
 * <p>A route or tool without a case fails {@link #everyRouteAndToolHasACase}, which prints the
 * uncovered ones: a new route's case is one line in {@link #routeCases} or {@link #toolCases}.
 */
class IsolationMatrixHttpTest {
  private static final String TOKEN = "omem_matrix-daemon-token";

  /** In every memory of A and C: no answer to B may contain it. */
  private static final String MARK = "zebracorn";

  /** In every memory of B: nothing of A's or C's may contain it. */
  private static final String B_MARK = "quokka";

  @TempDir static Path home;
  static HttpFixture http;
  static HttpFixture.Tenant a;
  static HttpFixture.Tenant b;
  static HttpFixture.Tenant c;
  static McpSyncClient bMcp;

  static String aMem;
  static String aDeleted;
  static String cMem;
  static String aSpaceMem;
  static String aSpace;
  static String aSpace2;
  static String aRule;
  static String aTask;
  static String aImport;
  static String cInvitation;
  static String bMem;
  static String aKeyId;
  static String aKeySecret;
  static String bSpace;
  static Map<String, JsonNode> aBefore;
  static Map<String, JsonNode> cBefore;

  @BeforeAll
  static void world() throws Exception {
    http = HttpFixture.startFull(home, HttpFixture.settings().withLocalToken(TOKEN));
    a = http.newTenant("a");
    b = http.newTenant("b");
    c = http.newTenant("c");
    aMem = id(http.create(a.key(), MARK + ": A deploys the billing service on Fridays"));
    aDeleted = id(http.create(a.key(), MARK + ": A's old staging key was rotated"));
    http.delete("/v1/memories/" + aDeleted, a.key()).expect(200);
    cMem = id(http.create(c.key(), MARK + ": C keeps the kubeconfig in the ops vault"));
    bMem = id(http.create(b.key(), B_MARK + ": B prefers tabs over spaces"));
    aSpace = SpaceSupport.team(http, a, "alpha-team", c.id(), b.id());
    SpaceSupport.accept(http, c, aSpace); // B's invitation stays pending
    aSpaceMem =
        id(http.create(a.key(), MARK + ": the team's on-call rota is weekly", "space_id", aSpace));
    http.create(c.key(), MARK + ": C's note for the team", "space_id", aSpace);
    aRule =
        http.post("/v1/spaces/" + aSpace + "/auto-share-rules", a.key(), "{\"tags\": [\"team\"]}")
            .expect(201)
            .path("id")
            .asText();
    aSpace2 = SpaceSupport.team(http, a, "beta-team", c.id());
    cInvitation = http.get("/v1/invitations", c.key()).expect(200).get(0).path("id").asText();
    aTask =
        http.post(
                "/v1/memories",
                a.key(),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"I always use "
                    + MARK
                    + " themes\"}]}")
            .expect(202)
            .path("task_id")
            .asText();
    http.finishedTask(a.key(), aTask);
    aImport =
        http.post(
                "/v1/imports",
                a.key(),
                HttpFixture.json(
                    Map.of(
                        "file_type",
                        "jsonl",
                        "content",
                        "{\"content\": \"" + MARK + ": imported by A\"}\n")))
            .expect(200)
            .path("id")
            .asText();
    bSpace =
        http.post("/v1/spaces", b.key(), "{\"name\": \"b-team\"}").expect(201).path("id").asText();
    JsonNode aKey = http.post("/v1/keys", a.key(), "{\"name\": \"ci\"}").expect(201);
    aKeyId = aKey.path("id").asText();
    aKeySecret = aKey.path("api_key").asText();
    aBefore = http.snapshot(a.key());
    cBefore = http.snapshot(c.key());
    bMcp =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + http.server.port())
                    .endpoint("/mcp")
                    .requestBuilder(HttpRequest.newBuilder().header("X-API-Key", b.key()))
                    .build())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    bMcp.initialize();
  }

  @AfterAll
  static void stop() {
    if (bMcp != null) {
      bMcp.closeGracefully();
    }
    http.close();
  }

  // ---- the cases: one line per route or tool ----

  /** Each REST route ({@code METHOD /pattern}, as the router lists it) and its probe. */
  static Map<String, Runnable> routeCases() {
    Map<String, Runnable> m = new LinkedHashMap<>();
    m.put("GET /health", () -> noLeak(http.get("/health", null)));
    m.put("POST /v1/tenants", () -> noLeak(http.post("/v1/tenants", null, "{\"name\": \"d\"}")));
    m.put("GET /v1/profile", () -> noLeak(get("/v1/profile?q=" + MARK)));
    m.put("GET /v1/stats", () -> noLeak(get("/v1/stats")));
    m.put("POST /v1/decay", () -> noLeak(post("/v1/decay", "{}")));
    m.put("POST /v1/hooks/{event}", IsolationMatrixHttpTest::hooks);
    m.put("GET /v1/export", IsolationMatrixHttpTest::exports);
    m.put("POST /v1/imports", IsolationMatrixHttpTest::imports);
    m.put("GET /v1/imports", () -> noLeak(get("/v1/imports")));
    m.put("GET /v1/imports/{id}", () -> same("GET", "/v1/imports/{X}", null, aImport));
    m.put(
        "POST /v1/imports/{id}/rollback",
        () -> same("POST", "/v1/imports/{X}/rollback", "{}", aImport));
    m.put(
        "POST /v1/memories",
        () ->
            same(
                "POST",
                "/v1/memories",
                "{\"content\": \"" + B_MARK + " x\", \"space_id\": \"{X}\"}",
                aSpace,
                aSpace2));
    m.put("GET /v1/memories/search", IsolationMatrixHttpTest::search);
    m.put(
        "GET /v1/memories",
        () -> {
          noLeak(get("/v1/memories?scope=all&state=active,archived,deleted&limit=200"));
          same("GET", "/v1/memories?space={X}", null, aSpace, aSpace2);
        });
    m.put(
        "POST /v1/memories/batch-delete",
        () ->
            same(
                "POST",
                "/v1/memories/batch-delete",
                "{\"memory_ids\": [\"{X}\"]}",
                theirMemories()));
    m.put("DELETE /v1/memories/all", IsolationMatrixHttpTest::deleteAll);
    m.put("GET /v1/memories/{id}", () -> same("GET", "/v1/memories/{X}", null, theirMemories()));
    m.put(
        "GET /v1/memories/{id}/history",
        () -> same("GET", "/v1/memories/{X}/history", null, theirMemories()));
    m.put(
        "GET /v1/memories/{id}/stale-info",
        () -> same("GET", "/v1/memories/{X}/stale-info", null, theirMemories()));
    m.put("GET /v1/tasks/{id}", () -> same("GET", "/v1/tasks/{X}", null, aTask));
    m.put(
        "PUT /v1/memories/{id}",
        () -> same("PUT", "/v1/memories/{X}", "{\"content\": \"hijacked\"}", theirMemories()));
    m.put(
        "DELETE /v1/memories/{id}",
        () -> same("DELETE", "/v1/memories/{X}", null, theirMemories()));
    m.put("POST /v1/spaces", IsolationMatrixHttpTest::spaceNamingOthers);
    m.put(
        "GET /v1/spaces",
        () -> {
          Res r = get("/v1/spaces");
          noLeak(r);
          assertFalse(r.body().contains(aSpace), r.body());
        });
    m.put(
        "GET /v1/spaces/{kind}/{sid}", () -> same("GET", "/v1/spaces/{X}", null, aSpace, aSpace2));
    m.put(
        "PUT /v1/spaces/{kind}/{sid}",
        () -> same("PUT", "/v1/spaces/{X}", "{\"name\": \"mine\"}", aSpace, aSpace2));
    m.put(
        "DELETE /v1/spaces/{kind}/{sid}",
        () -> same("DELETE", "/v1/spaces/{X}", null, aSpace, aSpace2));
    m.put(
        "POST /v1/spaces/{kind}/{sid}/members",
        () ->
            same(
                "POST",
                "/v1/spaces/{X}/members",
                "{\"user_id\": \"" + b.id() + "\"}",
                aSpace,
                aSpace2));
    m.put(
        "PUT /v1/spaces/{kind}/{sid}/members/{user}",
        () ->
            same(
                "PUT",
                "/v1/spaces/{X}/members/" + b.id(),
                "{\"role\": \"admin\"}",
                aSpace,
                aSpace2));
    m.put(
        "DELETE /v1/spaces/{kind}/{sid}/members/{user}",
        () -> {
          same("DELETE", "/v1/spaces/{X}/members/" + b.id(), null, aSpace, aSpace2);
          same("DELETE", "/v1/spaces/{X}/members/" + c.id(), null, aSpace, aSpace2);
        });
    m.put(
        "GET /v1/spaces/{kind}/{sid}/invitations",
        () -> same("GET", "/v1/spaces/{X}/invitations", null, aSpace, aSpace2));
    m.put(
        "DELETE /v1/spaces/{kind}/{sid}/invitations/{invitation}",
        () -> {
          same("DELETE", "/v1/spaces/{X}/invitations/" + cInvitation, null, aSpace2);
          same("DELETE", "/v1/spaces/" + bSpace + "/invitations/{X}", null, cInvitation);
        });
    m.put("GET /v1/invitations", IsolationMatrixHttpTest::ownInvitationsOnly);
    m.put("POST /v1/backups", IsolationMatrixHttpTest::noBackupForATenant);
    m.put("GET /v1/keys", IsolationMatrixHttpTest::ownKeysOnly);
    m.put(
        "GET /v1/daemon",
        () -> {
          Res r = get("/v1/daemon"); // the local token's alone: a tenant learns no path or pid
          r.expectError(404, "not_found");
          assertFalse(r.body().contains(home.toString()), r.body());
          noLeak(r);
        });
    m.put("POST /v1/keys", () -> noLeak(post("/v1/keys", "{\"name\": \"b-laptop\"}")));
    m.put(
        "POST /v1/keys/{id}/rotate",
        () -> {
          same("POST", "/v1/keys/{X}/rotate", null, aKeyId);
          aKeyStillWorks();
        });
    m.put(
        "DELETE /v1/keys/{id}",
        () -> {
          same("DELETE", "/v1/keys/{X}", null, aKeyId);
          aKeyStillWorks();
        });
    m.put(
        "POST /v1/invitations/{invitation}/accept",
        () -> same("POST", "/v1/invitations/{X}/accept", "{}", cInvitation));
    m.put(
        "POST /v1/invitations/{invitation}/decline",
        () -> same("POST", "/v1/invitations/{X}/decline", "{}", cInvitation));
    m.put(
        "GET /v1/spaces/{kind}/{sid}/auto-share-rules",
        () -> same("GET", "/v1/spaces/{X}/auto-share-rules", null, aSpace, aSpace2));
    m.put(
        "POST /v1/spaces/{kind}/{sid}/auto-share-rules",
        () -> same("POST", "/v1/spaces/{X}/auto-share-rules", "{}", aSpace, aSpace2));
    m.put(
        "DELETE /v1/spaces/{kind}/{sid}/auto-share-rules/{rule}",
        () -> {
          same("DELETE", "/v1/spaces/{X}/auto-share-rules/" + aRule, null, aSpace);
          same("DELETE", "/v1/spaces/" + bSpace + "/auto-share-rules/{X}", null, aRule);
        });
    m.put(
        "POST /v1/memories/{id}/share",
        () -> {
          same(
              "POST",
              "/v1/memories/{X}/share",
              "{\"target_space\": \"" + bSpace + "\"}",
              theirMemories());
          same(
              "POST",
              "/v1/memories/" + bMem + "/share",
              "{\"target_space\": \"{X}\"}",
              aSpace,
              aSpace2);
        });
    m.put(
        "POST /v1/memories/batch-share",
        () ->
            same(
                "POST",
                "/v1/memories/batch-share",
                "{\"memory_ids\": [\"{X}\"], \"target_space\": \"" + bSpace + "\"}",
                theirMemories()));
    m.put(
        "POST /v1/memories/share-all",
        () ->
            same("POST", "/v1/memories/share-all", "{\"target_space\": \"{X}\"}", aSpace, aSpace2));
    m.put(
        "POST /v1/memories/{id}/pull",
        () -> {
          same(
              "POST",
              "/v1/memories/{X}/pull",
              "{\"source_space\": \"" + bSpace + "\"}",
              theirMemories());
          same(
              "POST", "/v1/memories/" + aSpaceMem + "/pull", "{\"source_space\": \"{X}\"}", aSpace);
        });
    m.put(
        "POST /v1/memories/{id}/unshare",
        () -> {
          same(
              "POST",
              "/v1/memories/{X}/unshare",
              "{\"target_space\": \"" + bSpace + "\"}",
              theirMemories());
          same(
              "POST",
              "/v1/memories/" + bMem + "/unshare",
              "{\"target_space\": \"{X}\"}",
              aSpace,
              aSpace2);
        });
    m.put(
        "POST /v1/memories/{id}/share-to-user",
        () ->
            same(
                "POST",
                "/v1/memories/{X}/share-to-user",
                "{\"target_user\": \"" + c.id() + "\"}",
                theirMemories()));
    m.put(
        "POST /v1/memories/share-all-to-user",
        () ->
            noLeak(
                post("/v1/memories/share-all-to-user", "{\"target_user\": \"" + a.id() + "\"}")));
    m.put(
        "GET /v1/stats/{view}",
        () -> {
          for (String view :
              List.of("config", "tags", "relations", "spaces", "sharing", "agents")) {
            noLeak(get("/v1/stats/" + view));
          }
          same("GET", "/v1/stats/decay?memory_id={X}", null, theirMemories());
        });
    m.put(
        "POST /v1/memories/{id}/reshare",
        () -> {
          same("POST", "/v1/memories/{X}/reshare", "{}", theirMemories());
          same("POST", "/v1/memories/" + bMem + "/reshare", "{\"target_space\": \"{X}\"}", aSpace);
        });
    dialectCases(m);
    m.put("MCP /mcp", IsolationMatrixHttpTest::mcpSessions);
    return m;
  }

  /** The OMP and mem9 dialects' routes (issue 17): B's bearer or key against A's and C's ids. */
  private static void dialectCases(Map<String, Runnable> m) {
    String omp = "/omp/v1/memories";
    m.put(
        "POST " + omp,
        () -> noLeak(post(omp, "{\"content\": \"" + B_MARK + " omp\", \"type\": \"semantic\"}")));
    m.put("GET " + omp, () -> noLeak(send("GET", omp + "?limit=200", null)));
    m.put("GET " + omp + "/{id}", () -> same("GET", omp + "/{X}", null, theirOmpIds()));
    m.put(
        "PUT " + omp + "/{id}",
        () -> same("PUT", omp + "/{X}", "{\"content\": \"hijacked\"}", theirOmpIds()));
    m.put(
        "PATCH " + omp + "/{id}",
        () -> same("PATCH", omp + "/{X}", "{\"content\": \"hijacked\"}", theirOmpIds()));
    m.put("DELETE " + omp + "/{id}", () -> same("DELETE", omp + "/{X}", null, theirOmpIds()));
    m.put(
        "POST " + omp + "/search",
        () -> noLeak(post(omp + "/search", "{\"query\": \"" + MARK + "\", \"min_score\": 0}")));
    m.put("GET /omp/v1/export", () -> noLeak(send("GET", "/omp/v1/export", null)));
    m.put(
        "POST /omp/v1/import",
        () -> noLeak(post("/omp/v1/import", "{\"omp_version\": \"0.1\", \"memories\": []}")));
    String mem9 = "/v1alpha2/mem9s/memories";
    m.put("POST " + mem9, () -> noLeak(post(mem9, "{\"content\": \"" + B_MARK + " mem9\"}")));
    m.put(
        "GET " + mem9,
        () -> {
          noLeak(get(mem9 + "?limit=200"));
          noLeak(get(mem9 + "?q=" + MARK));
        });
    m.put("GET " + mem9 + "/{id}", () -> same("GET", mem9 + "/{X}", null, theirMemories()));
    m.put(
        "PUT " + mem9 + "/{id}",
        () -> same("PUT", mem9 + "/{X}", "{\"content\": \"hijacked\"}", theirMemories()));
    m.put("DELETE " + mem9 + "/{id}", () -> same("DELETE", mem9 + "/{X}", null, theirMemories()));
    m.put(
        "POST " + mem9 + "/batch-delete",
        () -> same("POST", mem9 + "/batch-delete", "{\"ids\": [\"{X}\"]}", theirMemories()));
  }

  /** A's and C's memories by their OMP ids ({@code mem_} + the first 16 hex digits). */
  private static String[] theirOmpIds() {
    return theirMemoriesList().stream()
        .map(id -> "mem_" + id.replace("-", "").substring(0, 16))
        .toArray(String[]::new);
  }

  /**
   * Each MCP tool (as {@code tools/list} names it) and its probe, called by B over {@code /mcp}.
   */
  static Map<String, Runnable> toolCases() {
    Map<String, Runnable> m = new LinkedHashMap<>();
    m.put(
        "memory_store",
        () ->
            sameTool(
                "memory_store", Map.of("content", B_MARK + " y", "space", "{X}"), aSpace, aSpace2));
    m.put(
        "memory_search",
        () -> {
          noLeak(tool("memory_search", Map.of("query", MARK, "scope", "all")));
          sameTool("memory_search", Map.of("query", MARK, "space", "{X}"), aSpace, aSpace2);
        });
    m.put("memory_get", () -> sameTool("memory_get", Map.of("id", "{X}"), theirMemories()));
    m.put(
        "memory_update",
        () ->
            sameTool("memory_update", Map.of("id", "{X}", "content", "hijacked"), theirMemories()));
    m.put("memory_forget", () -> sameTool("memory_forget", Map.of("id", "{X}"), theirMemories()));
    m.put("memory_list", () -> noLeak(tool("memory_list", Map.of("scope", "all", "limit", 100))));
    m.put(
        "memory_ingest",
        () ->
            noLeak(
                tool(
                    "memory_ingest",
                    Map.of(
                        "messages",
                        List.of(Map.of("role", "user", "content", "I use " + B_MARK + " fonts")),
                        "wait",
                        20))));
    m.put("memory_profile", () -> noLeak(tool("memory_profile", Map.of())));
    m.put("memory_stats", () -> noLeak(tool("memory_stats", Map.of())));
    m.put("space_create", () -> noLeak(tool("space_create", Map.of("name", B_MARK + " space"))));
    m.put(
        "space_list",
        () -> {
          String t = tool("space_list", Map.of());
          noLeak(t);
          assertFalse(t.contains(aSpace), t);
        });
    m.put(
        "space_add_member",
        () ->
            sameTool(
                "space_add_member", Map.of("space_id", "{X}", "user_id", b.id()), aSpace, aSpace2));
    m.put(
        "space_remove_member",
        () ->
            sameTool(
                "space_remove_member",
                Map.of("space_id", "{X}", "user_id", c.id()),
                aSpace,
                aSpace2));
    m.put(
        "space_invitations",
        () -> {
          noLeak(tool("space_invitations", Map.of()));
          sameTool("space_invitations", Map.of("space_id", "{X}"), aSpace, aSpace2);
        });
    m.put(
        "space_accept",
        () -> sameTool("space_accept", Map.of("invitation_id", "{X}"), cInvitation));
    m.put(
        "space_decline",
        () -> sameTool("space_decline", Map.of("invitation_id", "{X}"), cInvitation));
    m.put(
        "memory_share",
        () -> {
          sameTool("memory_share", Map.of("id", "{X}", "target_space", bSpace), theirMemories());
          sameTool("memory_share", Map.of("id", bMem, "target_space", "{X}"), aSpace, aSpace2);
        });
    m.put(
        "memory_share_to_user",
        () ->
            sameTool(
                "memory_share_to_user",
                Map.of("id", "{X}", "target_user", c.id()),
                theirMemories()));
    m.put(
        "memory_pull",
        () -> sameTool("memory_pull", Map.of("id", aSpaceMem, "source_space", "{X}"), aSpace));
    m.put(
        "memory_unshare",
        () ->
            sameTool("memory_unshare", Map.of("id", bMem, "target_space", "{X}"), aSpace, aSpace2));
    return m;
  }

  // ---- the matrix ----

  @Test
  void everyRouteAndToolHasACase() {
    TreeSet<String> uncovered = new TreeSet<>(http.server.routes());
    uncovered.add("MCP /mcp");
    uncovered.removeAll(routeCases().keySet());
    for (McpSchema.Tool t : bMcp.listTools().tools()) {
      if (!toolCases().containsKey(t.name())) {
        uncovered.add("tool " + t.name());
      }
    }
    System.err.println(
        "isolation matrix: "
            + routeCases().size()
            + " route cases, "
            + toolCases().size()
            + " tool cases; uncovered: "
            + (uncovered.isEmpty() ? "none" : String.join(", ", uncovered)));
    assertTrue(uncovered.isEmpty(), "routes and tools without an isolation case: " + uncovered);
  }

  @TestFactory
  Stream<DynamicTest> routes() {
    return probes(routeCases());
  }

  @TestFactory
  Stream<DynamicTest> tools() {
    return probes(toolCases());
  }

  /** Last: nothing of B's reached A's or C's search, listing or profile. */
  @Test
  void nothingOfBReachedAOrC() {
    for (HttpFixture.Tenant t : List.of(a, c)) {
      for (String path :
          List.of(
              "/v1/memories/search?scope=all&limit=100&q=" + B_MARK,
              "/v1/memories?scope=all&limit=200",
              "/v1/profile?q=" + B_MARK)) {
        Res r = http.get(path, t.key());
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains(B_MARK), path + ": " + r.body());
      }
    }
  }

  private static Stream<DynamicTest> probes(Map<String, Runnable> cases) {
    return cases.entrySet().stream()
        .map(
            e ->
                dynamicTest(
                    e.getKey(),
                    () -> {
                      e.getValue().run();
                      assertEquals(aBefore, http.snapshot(a.key()), "A's memories changed");
                      assertEquals(cBefore, http.snapshot(c.key()), "C's memories changed");
                    }));
  }

  // ---- probes of several steps ----

  private static void hooks() {
    // A tenant's key never reaches the hooks (the local user's only), whatever the event.
    http.post("/v1/hooks/UserPromptSubmit", b.key(), "{}").expectError(401, "unauthorized");
    // The local user (a third party to A, B and C) gets nothing of theirs injected.
    for (String event : List.of("SessionStart", "UserPromptSubmit")) {
      ObjectNode in = HttpFixture.JSON.createObjectNode();
      in.put("session_id", UUID.randomUUID().toString());
      in.put("cwd", home.toString());
      in.put("hook_event_name", event);
      in.put("prompt", "where does " + MARK + " deploy the billing service on Fridays");
      in.put("transcript_path", home.resolve("none.jsonl").toString());
      Res r = http.post("/v1/hooks/" + event, TOKEN, in.toString());
      assertEquals(200, r.status(), r.body());
      noLeak(r);
    }
  }

  private static void exports() {
    for (String format : List.of("omem", "omp", "markdown")) {
      Res r = get("/v1/export?format=" + format);
      assertEquals(200, r.status(), r.body());
      noLeak(r);
    }
  }

  /** An omem file naming another tenant's ids imports exactly as one naming missing ids. */
  private static void imports() {
    JsonNode file = get("/v1/export").json();
    List<String> answers = new ArrayList<>();
    List<String> ids = new ArrayList<>(theirMemoriesList());
    ids.add(UUID.randomUUID().toString());
    for (String id : ids) {
      ObjectNode f = file.deepCopy();
      ObjectNode mem = (ObjectNode) f.withArray("memories").get(0);
      mem.put("id", id);
      mem.put("content", B_MARK + " imported " + UUID.randomUUID());
      StringBuilder answer = new StringBuilder();
      for (boolean force : new boolean[] {false, true}) {
        JsonNode rec =
            post(
                    "/v1/imports",
                    HttpFixture.json(
                        Map.of("file_type", "omem", "content", f.toString(), "force", force)))
                .expect(200);
        noLeak(rec.toString());
        for (String field : List.of("status", "imported", "skipped", "errors")) {
          answer.append(field).append('=').append(rec.path(field)).append(' ');
        }
      }
      answers.add(answer.toString());
    }
    assertEquals(1, answers.stream().distinct().count(), "answers differ: " + answers);
  }

  private static void search() {
    for (String extra : List.of("", "&scope=all", "&state=active,archived,deleted")) {
      noLeak(get("/v1/memories/search?limit=100&include_trace=true&q=" + MARK + extra));
    }
    same("GET", "/v1/memories/search?q=" + MARK + "&space={X}", null, aSpace, aSpace2);
  }

  private static void deleteAll() {
    JsonNode r = http.delete("/v1/memories/all", b.key(), "X-Confirm", "delete-all").expect(200);
    noLeak(r.toString());
    for (JsonNode m : http.snapshot(b.key()).values()) {
      if (m.path("content").asText().contains(B_MARK) && m.path("id").asText().equals(bMem)) {
        http.put("/v1/memories/" + bMem, b.key(), "{\"state\": \"active\"}").expect(200);
      }
    }
  }

  /** B names A and C as members: invitations only; nothing of theirs reaches B's space. */
  private static void spaceNamingOthers() {
    String s = SpaceSupport.team(http, b, B_MARK + " trap", a.id(), c.id());
    post("/v1/spaces/" + s + "/auto-share-rules", "{}").expect(201);
    Res space = get("/v1/spaces/" + s);
    assertEquals(List.of(b.id()), memberIds(space.json()), space.body());
    noLeak(get("/v1/memories?space=" + s));
  }

  private static void ownInvitationsOnly() {
    Res r = get("/v1/invitations");
    noLeak(r);
    for (JsonNode i : r.json()) {
      assertEquals(b.id(), i.path("user_id").asText(), r.body());
    }
    assertFalse(r.body().contains(cInvitation), r.body());
  }

  /** A's MCP session is no session for B: refused exactly like a session id that never was. */
  private static void mcpSessions() {
    String init =
        "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\":"
            + " {\"protocolVersion\": \"2025-06-18\", \"capabilities\": {}, \"clientInfo\":"
            + " {\"name\": \"matrix\", \"version\": \"1\"}}}";
    Res opened =
        http.send("POST", "/mcp", a.key(), init, "Accept", "application/json, text/event-stream");
    assertEquals(200, opened.status(), opened.body());
    String session = opened.header("Mcp-Session-Id").orElseThrow();
    String list = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}";
    Res theirs = mcp(list, session);
    String never = UUID.randomUUID().toString();
    Res missing = mcp(list, never);
    assertEquals(missing.status(), theirs.status(), theirs.body());
    assertEquals(missing.body().replace(never, "{X}"), theirs.body().replace(session, "{X}"));
    assertTrue(theirs.status() >= 400, theirs.body());
  }

  private static Res mcp(String body, String session) {
    return http.send(
        "POST",
        "/mcp",
        b.key(),
        body,
        "Accept",
        "application/json, text/event-stream",
        "Mcp-Session-Id",
        session,
        "MCP-Protocol-Version",
        "2025-06-18");
  }

  // ---- helpers ----

  /** A's live and deleted memories, A's memory in its space, and C's: the ids B must not reach. */
  private static String[] theirMemories() {
    return theirMemoriesList().toArray(String[]::new);
  }

  private static List<String> theirMemoriesList() {
    return List.of(aMem, aDeleted, aSpaceMem, cMem);
  }

  /**
   * Sends as B once per {@code theirs} value and once with a missing one of the same shape, {@code
   * {X}} standing for it in the path and body, and asserts the answers are the same.
   */
  private static void same(String method, String path, String body, String... theirs) {
    for (String their : theirs) {
      String missing = missingLike(their);
      Res t =
          send(
              method, path.replace("{X}", their), body == null ? null : body.replace("{X}", their));
      Res m =
          send(
              method,
              path.replace("{X}", missing),
              body == null ? null : body.replace("{X}", missing));
      String context = method + " " + path + " with " + their;
      assertEquals(m.status(), t.status(), context + ": " + t.body() + " vs " + m.body());
      assertEquals(
          m.body().replace(missing, "{X}"),
          t.body().replace(their, "{X}"),
          context + ": the answer tells another tenant's id from a missing one");
      noLeak(t.body().replace(their, "{X}"), path + body);
    }
  }

  private static void sameTool(String name, Map<String, Object> args, String... theirs) {
    for (String their : theirs) {
      String missing = missingLike(their);
      String t = tool(name, substitute(args, their));
      String m = tool(name, substitute(args, missing));
      assertEquals(
          m.replace(missing, "{X}"),
          t.replace(their, "{X}"),
          name + " with " + their + ": tells another tenant's id from a missing one");
      noLeak(t.replace(their, "{X}"), args.toString());
    }
  }

  /** B lists its own keys: never A's id, name or secret. */
  private static void ownKeysOnly() {
    String body = get("/v1/keys").expect(200).toString();
    assertFalse(body.contains(aKeyId), "another tenant's key id leaks: " + body);
    assertFalse(body.contains(aKeySecret.substring(0, 12)), "another tenant's key leaks: " + body);
    noLeak(body);
  }

  /** A backup holds every tenant's memories: a tenant may never take one, to any path. */
  private static void noBackupForATenant() {
    Path target = home.resolve("b-copy.db");
    for (String body : List.of("{}", "{\"file\": \"" + target + "\"}")) {
      Res r = post("/v1/backups", body);
      r.expectError(403, "forbidden");
      noLeak(r);
    }
    assertFalse(Files.exists(target), "nothing was written for the tenant");
    assertFalse(Files.exists(home.resolve("backups")), "no backup was taken");
  }

  private static void aKeyStillWorks() {
    http.get("/v1/stats", aKeySecret).expect(200);
  }

  /** A missing id of the same shape: a space keeps its prefix, a key id its form. */
  private static String missingLike(String id) {
    if (id.startsWith("mem_")) {
      return "mem_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
    if (id.startsWith("key_")) {
      return "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
    int slash = id.indexOf('/');
    return (slash < 0 ? "" : id.substring(0, slash + 1)) + UUID.randomUUID();
  }

  private static Map<String, Object> substitute(Map<String, Object> args, String value) {
    Map<String, Object> out = new LinkedHashMap<>();
    args.forEach((k, v) -> out.put(k, "{X}".equals(v) ? value : v));
    return out;
  }

  /** B's call of a tool: isError and the text, as one string. */
  private static String tool(String name, Map<String, Object> args) {
    McpSchema.CallToolResult r =
        bMcp.callTool(McpSchema.CallToolRequest.builder(name).arguments(args).build());
    StringBuilder sb = new StringBuilder("isError=" + r.isError() + " ");
    for (McpSchema.Content content : r.content()) {
      if (content instanceof McpSchema.TextContent text) {
        sb.append(text.text());
      }
    }
    if (r.structuredContent() != null) {
      sb.append(' ').append(r.structuredContent());
    }
    return sb.toString();
  }

  /** B's request; OMP's routes take B's key as a bearer token. */
  private static Res send(String method, String path, String body) {
    return path.startsWith("/omp/")
        ? http.send(method, path, null, body, "Authorization", "Bearer " + b.key())
        : http.send(method, path, b.key(), body);
  }

  private static Res get(String path) {
    return send("GET", path, null);
  }

  private static Res post(String path, String body) {
    return send("POST", path, body);
  }

  private static void noLeak(Res r) {
    noLeak(r.body());
  }

  private static void noLeak(String body) {
    noLeak(body, "");
  }

  /** No content of A's or C's in an answer, nor an id of their memories B did not send itself. */
  private static void noLeak(String body, String request) {
    assertFalse(body.contains(MARK), "another tenant's content leaks: " + body);
    for (String id : theirMemoriesList()) {
      if (!request.contains(id)) {
        assertFalse(body.contains(id), "another tenant's memory id leaks: " + body);
      }
    }
  }

  private static String id(JsonNode memory) {
    return memory.path("id").asText();
  }

  private static List<String> memberIds(JsonNode space) {
    List<String> out = new ArrayList<>();
    space.path("members").forEach(x -> out.add(x.path("user_id").asText()));
    return out;
  }
}
