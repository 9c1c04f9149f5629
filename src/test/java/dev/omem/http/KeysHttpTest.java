package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.service.Tenants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's API keys over real HTTP: several named keys that all work, a list that never shows a
 * secret, rotation and revocation that hold from the next request on (MCP sessions included),
 * another tenant's key ids answered as missing ones, the last key kept, bad names refused.
 */
class KeysHttpTest {
  private static final String MCP_ACCEPT = "application/json, text/event-stream";
  private static final Set<String> KEY_FIELDS =
      new TreeSet<>(
          List.of(
              "id",
              "name",
              "prefix",
              "status",
              "created_at",
              "last_used_at",
              "rotated_at",
              "revoked_at"));

  @TempDir static Path home;
  static HttpFixture http;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.startWithMcp(home);
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  /** {@code POST /v1/keys}: the new key with its secret ({@code api_key}). */
  private static JsonNode create(String key, String name) {
    JsonNode k = http.post("/v1/keys", key, HttpFixture.json(Map.of("name", name))).expect(201);
    assertEquals(name, k.path("name").asText());
    assertTrue(k.path("api_key").asText().startsWith("omem_"), k.toString());
    return k;
  }

  private static List<JsonNode> list(String key) {
    JsonNode j = http.get("/v1/keys", key).expect(200);
    List<JsonNode> out = new ArrayList<>();
    j.path("keys").forEach(out::add);
    return out;
  }

  private static JsonNode listed(String key, String id) {
    return list(key).stream()
        .filter(k -> k.path("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not listed"));
  }

  private static void works(String key) {
    http.get("/v1/stats", key).expect(200);
  }

  private static void refused(String key) {
    http.get("/v1/stats", key).expectError(401, "unauthorized");
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void severalNamedKeysAllWorkAndTheListNeverShowsASecret() throws Exception {
    HttpFixture.Tenant t = http.newTenant("keys-several");
    JsonNode laptop = create(t.key(), "laptop");
    JsonNode ci = create(laptop.path("api_key").asText(), "ci runner");
    String laptopKey = laptop.path("api_key").asText();
    String ciKey = ci.path("api_key").asText();
    assertNotEquals(laptopKey, ciKey);
    assertNotEquals(t.key(), laptopKey);
    assertEquals(laptopKey.substring(0, 12), laptop.path("prefix").asText());
    assertEquals("active", laptop.path("status").asText());

    // Every key acts as the one tenant.
    for (String key : List.of(t.key(), laptopKey)) {
      assertEquals(
          t.id(),
          http.create(key, "Stored with " + key.substring(0, 12)).path("tenant_id").asText());
    }

    List<JsonNode> keys = list(t.key());
    assertEquals(
        List.of("default", "laptop", "ci runner"),
        keys.stream().map(k -> k.path("name").asText()).toList());
    String body = http.get("/v1/keys", laptopKey).body();
    for (String secret : List.of(t.key(), laptopKey, ciKey)) {
      assertFalse(body.contains(secret), "a secret in the list: " + body);
      assertFalse(body.contains(secret.substring(5)), "a secret's body in the list: " + body);
      assertFalse(body.contains(sha256(secret)), "a key's hash in the list: " + body);
    }
    for (JsonNode k : keys) {
      Set<String> fields = new TreeSet<>();
      k.fieldNames().forEachRemaining(fields::add);
      assertEquals(KEY_FIELDS, fields, k.toString());
      assertTrue(k.path("id").asText().startsWith("key_"), k.toString());
    }
    // Uses are recorded: the two keys that made requests, not the one that never did.
    assertTrue(listed(t.key(), ci.path("id").asText()).path("last_used_at").isNull());
    assertTrue(listed(t.key(), laptop.path("id").asText()).path("last_used_at").isTextual());
    works(ciKey);
    assertTrue(listed(t.key(), ci.path("id").asText()).path("last_used_at").isTextual());
  }

  @Test
  void rotationRefusesTheOldSecretAtOnceAndTheNewOneWorks() {
    HttpFixture.Tenant t = http.newTenant("keys-rotate");
    JsonNode k = create(t.key(), "build box");
    String old = k.path("api_key").asText();
    works(old);

    JsonNode rotated =
        http.post("/v1/keys/" + k.path("id").asText() + "/rotate", t.key(), null).expect(200);
    String fresh = rotated.path("api_key").asText();
    assertEquals(k.path("id").asText(), rotated.path("id").asText(), "the same key");
    assertEquals("build box", rotated.path("name").asText());
    assertNotEquals(old, fresh);
    assertEquals(fresh.substring(0, 12), rotated.path("prefix").asText());
    assertTrue(rotated.path("rotated_at").isTextual(), rotated.toString());

    refused(old);
    http.post("/v1/keys", old, "{\"name\": \"sneaky\"}").expectError(401, "unauthorized");
    works(fresh);
    works(t.key());
    // A key may rotate itself; its answer is the last time the old secret did anything.
    JsonNode self =
        http.post("/v1/keys/" + k.path("id").asText() + "/rotate", fresh, "{}").expect(200);
    refused(fresh);
    works(self.path("api_key").asText());
  }

  @Test
  void revocationRefusesTheKeyOnTheNextRequest() {
    HttpFixture.Tenant t = http.newTenant("keys-revoke");
    JsonNode k = create(t.key(), "old laptop");
    String secret = k.path("api_key").asText();
    String id = k.path("id").asText();
    works(secret);

    JsonNode revoked = http.delete("/v1/keys/" + id, t.key()).expect(200);
    assertEquals("revoked", revoked.path("status").asText());
    assertTrue(revoked.path("revoked_at").isTextual(), revoked.toString());
    assertFalse(revoked.has("api_key"), revoked.toString());

    refused(secret);
    http.create(t.key(), "The default key still stores");
    assertEquals("revoked", listed(t.key(), id).path("status").asText());
    // Revoking again changes nothing; a revoked key cannot be brought back by rotating it.
    assertEquals(revoked, http.delete("/v1/keys/" + id, t.key()).expect(200));
    http.post("/v1/keys/" + id + "/rotate", t.key(), null).expectError(409, "conflict");
    refused(secret);
    // Its name is free again for a new key.
    works(create(t.key(), "old laptop").path("api_key").asText());
  }

  @Test
  void theLastActiveKeyIsNotRevoked() {
    HttpFixture.Tenant t = http.newTenant("keys-last");
    String defaultId = list(t.key()).get(0).path("id").asText();
    Res r = http.delete("/v1/keys/" + defaultId, t.key());
    r.expectError(409, "conflict");
    assertTrue(r.json().path("error").path("message").asText().contains("last"), r.body());
    works(t.key());

    // With a second key, a key may revoke itself; then the other is the last one.
    JsonNode spare = create(t.key(), "spare");
    String spareKey = spare.path("api_key").asText();
    http.delete("/v1/keys/" + defaultId, t.key()).expect(200);
    refused(t.key());
    assertEquals("revoked", listed(spareKey, defaultId).path("status").asText());
    http.delete("/v1/keys/" + spare.path("id").asText(), spareKey).expectError(409, "conflict");
    works(spareKey);
  }

  @Test
  void anotherTenantsKeyIdIsAnsweredAsAMissingOne() {
    HttpFixture.Tenant a = http.newTenant("keys-a");
    HttpFixture.Tenant b = http.newTenant("keys-b");
    JsonNode aKey = create(a.key(), "a's laptop");
    String aId = aKey.path("id").asText();
    List<JsonNode> before = list(a.key());

    for (JsonNode k : list(b.key())) {
      assertNotEquals(aId, k.path("id").asText());
    }
    assertFalse(http.get("/v1/keys", b.key()).body().contains(aId));

    String missing = "key_" + "0".repeat(24);
    for (String[] call : new String[][] {{"POST", "/rotate"}, {"DELETE", ""}}) {
      Res theirs = http.send(call[0], "/v1/keys/" + aId + call[1], b.key(), (String) null);
      Res none = http.send(call[0], "/v1/keys/" + missing + call[1], b.key(), (String) null);
      theirs.expectError(404, "not_found");
      none.expectError(404, "not_found");
      assertEquals(
          none.json().path("error").path("message").asText().replace(missing, "ID"),
          theirs.json().path("error").path("message").asText().replace(aId, "ID"),
          "another tenant's key id reads exactly as a missing one");
    }
    // Nothing of A's changed: its key works with the same secret, the list is as it was.
    works(aKey.path("api_key").asText());
    List<JsonNode> after = list(a.key());
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).path("rotated_at"), after.get(i).path("rotated_at"));
      assertEquals(before.get(i).path("revoked_at"), after.get(i).path("revoked_at"));
    }
  }

  @Test
  void badNamesAndIdsAreRefusedWithTheEnvelope() {
    HttpFixture.Tenant t = http.newTenant("keys-bad");
    String tooLong = "k".repeat(65);
    for (String body :
        new String[] {
          "{}",
          "{\"name\": null}",
          "{\"name\": \"\"}",
          "{\"name\": \"   \"}",
          "{\"name\": 5}",
          "{\"name\": [\"a\"]}",
          "{\"name\": \"" + tooLong + "\"}",
          "{\"name\": \"a\\u0000b\"}",
          "{\"name\": \"semi;colon\"}",
          "{\"name\": \"\\u200b\\u200b\"}",
          "{\"name\": \"bad/name\"}",
          "{\"name\": \"<script>\"}",
          "{\"name\": \"-leading\"}",
          "{\"name\": \"line\\nbreak\"}",
          "[\"laptop\"]",
          "\"laptop\"",
        }) {
      http.post("/v1/keys", t.key(), body).expectError(400, "validation_error");
    }
    http.post("/v1/keys", t.key(), null).expectError(400, "validation_error");
    http.post("/v1/keys", t.key(), "{\"name\": ").expectError(400, "validation_error");
    // Limits are inclusive, and names may be any letters.
    create(t.key(), "k".repeat(64));
    create(t.key(), "Zoë's café laptop");
    // A decomposed name (e + combining marks) is the same name, composed: taken already.
    Res decomposed =
        http.post("/v1/keys", t.key(), "{\"name\": \"Zoe\\u0308's cafe\\u0301 laptop\"}");
    decomposed.expectError(409, "conflict");
    assertTrue(decomposed.body().contains("Zoë's café laptop"), decomposed.body());
    // Two active keys cannot share a name.
    create(t.key(), "twin");
    http.post("/v1/keys", t.key(), "{\"name\": \"twin\"}").expectError(409, "conflict");
    http.post("/v1/keys", t.key(), "{\"name\": \"  twin \"}").expectError(409, "conflict");
    // Ids that cannot be key ids.
    for (String id : new String[] {"nope", "key_XYZ", t.id(), "key_" + "0".repeat(25)}) {
      http.post("/v1/keys/" + id + "/rotate", t.key(), null).expectError(400, "validation_error");
      http.delete("/v1/keys/" + id, t.key()).expectError(400, "validation_error");
    }
    assertEquals(4, list(t.key()).size(), "nothing was made by the refused requests");
    // Without a key, nothing.
    http.get("/v1/keys", null).expectError(401, "unauthorized");
    http.post("/v1/keys", "omem_not-a-key", "{\"name\": \"x\"}").expectError(401, "unauthorized");
  }

  @Test
  void theDaemonsTokenHasNoKeysToManage() throws Exception {
    String token = Tenants.newKey();
    try (HttpFixture local =
        HttpFixture.serve(http.service, HttpFixture.settings().withLocalToken(token))) {
      local.get("/v1/keys", token).expectError(403, "forbidden");
      local.post("/v1/keys", token, "{\"name\": \"x\"}").expectError(403, "forbidden");
    }
  }

  // ---- MCP sessions ----

  /** An MCP session over Streamable HTTP, driven with plain JSON-RPC posts. */
  private static final class McpSession {
    final String id;
    private int next = 2;

    McpSession(String key) {
      Res init =
          http.send(
              "POST",
              "/mcp",
              key,
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                  + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                  + "\"clientInfo\":{\"name\":\"keys-test\",\"version\":\"1\"}}}",
              "Accept",
              MCP_ACCEPT);
      assertEquals(200, init.status(), init.body());
      this.id = init.header("Mcp-Session-Id").orElseThrow();
      Res ack = post(key, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      assertTrue(ack.status() < 300, ack.body());
    }

    Res post(String key, String message) {
      return http.send(
          "POST",
          "/mcp",
          key,
          message,
          "Accept",
          MCP_ACCEPT,
          "Mcp-Session-Id",
          id,
          "Mcp-Protocol-Version",
          "2025-06-18");
    }

    Res call(String key, String tool, String arguments) {
      return post(
          key,
          "{\"jsonrpc\":\"2.0\",\"id\":"
              + next++
              + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
              + tool
              + "\",\"arguments\":"
              + arguments
              + "}}");
    }

    /** A tool call that must succeed: its result (from a JSON or an event-stream answer). */
    JsonNode ok(String key, String tool, String arguments) throws Exception {
      Res r = call(key, tool, arguments);
      assertEquals(200, r.status(), r.body());
      String json = r.body();
      if (r.header("Content-Type").orElse("").startsWith("text/event-stream")) {
        json =
            r.body()
                .lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).trim())
                .filter(l -> !l.isEmpty())
                .reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no data in " + r.body()));
      }
      JsonNode result = HttpFixture.JSON.readTree(json).path("result");
      assertFalse(result.path("isError").asBoolean(), json);
      assertNotNull(result.get("content"), json);
      return result;
    }
  }

  @Test
  void anMcpSessionOfARevokedKeyIsRefusedOnItsNextMessage() throws Exception {
    HttpFixture.Tenant t = http.newTenant("keys-mcp");
    JsonNode agent = create(t.key(), "agent");
    String agentKey = agent.path("api_key").asText();
    McpSession s = new McpSession(agentKey);
    McpSession other = new McpSession(t.key());
    s.ok(agentKey, "memory_store", "{\"content\":\"The deploy bot posts to #releases\"}");

    http.delete("/v1/keys/" + agent.path("id").asText(), t.key()).expect(200);

    s.call(agentKey, "memory_list", "{}").expectError(401, "unauthorized");
    s.call(agentKey, "memory_store", "{\"content\":\"after revocation\"}")
        .expectError(401, "unauthorized");
    // The session was the revoked key's: another key of the tenant cannot take it over.
    s.call(t.key(), "memory_list", "{}").expectError(404, "not_found");
    // A session of another key lives on, and nothing was stored after the revocation.
    JsonNode listed = other.ok(t.key(), "memory_list", "{\"scope\":\"all\"}");
    String text = listed.toString();
    assertTrue(text.contains("The deploy bot posts to #releases"), text);
    assertFalse(text.contains("after revocation"), text);
  }

  @Test
  void anMcpSessionRefusesARotatedSecretAndFollowsTheNewOne() throws Exception {
    HttpFixture.Tenant t = http.newTenant("keys-mcp-rotate");
    JsonNode agent = create(t.key(), "agent");
    String old = agent.path("api_key").asText();
    McpSession s = new McpSession(old);
    s.ok(old, "memory_stats", "{}");

    String fresh =
        http.post("/v1/keys/" + agent.path("id").asText() + "/rotate", t.key(), null)
            .expect(200)
            .path("api_key")
            .asText();

    s.call(old, "memory_stats", "{}").expectError(401, "unauthorized");
    // The session belongs to the key, whose secret changed: its holder carries on with the new one.
    s.ok(fresh, "memory_stats", "{}");
  }
}
