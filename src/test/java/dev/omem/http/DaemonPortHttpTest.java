package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.config.RerankSetting;
import dev.omem.hooks.HookHandler;
import dev.omem.hooks.HookSettings;
import dev.omem.mcp.McpHttpEndpoint;
import dev.omem.service.LocalMemoryService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local daemon's port as an attacker on the same machine sees it: every route the router holds
 * (enumerated at run time, so a route added later is covered), the MCP servlet and the hooks route
 * refuse a request without the daemon's token, and with a tenant's key; sign-up included. Keyed
 * writes are applied once.
 */
class DaemonPortHttpTest {
  private static final String TOKEN = "daemon-token-for-the-test-0123456789abcdef";

  @TempDir static Path tmp;
  static LocalMemoryService service;
  static HttpFixture daemon;
  static HttpFixture team;

  @BeforeAll
  static void start() throws Exception {
    service = HttpFixture.openService(tmp.resolve("home"));
    HookHandler hooks = new HookHandler(service, service.hookSessions(), HookSettings.defaults());
    McpHttpEndpoint mcp =
        new McpHttpEndpoint(service, "test", "/mcp", false, false, RerankSetting.Mode.OFF);
    ServeSettings settings =
        HttpFixture.settings()
            .withLocalToken(TOKEN)
            .withLocalOwner(
                true,
                Map.of(
                    "pid",
                    ProcessHandle.current().pid(),
                    "home",
                    service.homeIdentity().home(),
                    "home_id",
                    service.homeIdentity().id()));
    daemon =
        new HttpFixture(
            service,
            OmemHttpServer.start(
                service,
                service.tenants(),
                settings,
                "test",
                new OmemHttpServer.Mounts(mcp.servlet(), hooks::handle, List.of(mcp, hooks)),
                service.idempotentWrites()),
            false);
    // A team server on the same store, as `omem serve` (not a daemon) runs it.
    team = HttpFixture.serve(service, HttpFixture.settings().withLocalToken(TOKEN));
  }

  @AfterAll
  static void stop() {
    daemon.close();
    team.close();
    service.close();
  }

  /** Each route with its placeholders filled, plus the MCP servlet's methods. */
  private static List<String[]> everyRoute() {
    List<String[]> out = new ArrayList<>();
    for (String r : daemon.server.routes()) {
      String[] mp = r.split(" ", 2);
      out.add(new String[] {mp[0], mp[1].replaceAll("\\{[^/]+}", "x1")});
    }
    for (String m : List.of("GET", "POST", "DELETE")) {
      out.add(new String[] {m, "/mcp"});
    }
    return out;
  }

  @Test
  void everyRouteOfTheDaemonRefusesAnyoneWithoutItsToken() {
    List<String[]> routes = everyRoute();
    assertTrue(routes.size() > 30, "the router's routes were enumerated: " + routes.size());
    assertTrue(
        routes.stream().anyMatch(r -> r[0].equals("POST") && r[1].equals("/v1/tenants")),
        "sign-up is among them");
    // A tenant key made on the team server over the same store: worth nothing on the daemon.
    Res signup = team.send("POST", "/v1/tenants", (String) null, "{}");
    assertEquals(201, signup.status(), signup.body());
    String tenantKey = signup.json().get("api_key").asText();
    List<String> open = new ArrayList<>();
    for (String[] r : routes) {
      String body = r[0].equals("GET") || r[0].equals("DELETE") ? null : "{}";
      for (String key : new String[] {null, "", "wrong-" + TOKEN, tenantKey}) {
        Res res = daemon.send(r[0], r[1], key, body);
        if (res.status() != 401) {
          open.add(r[0] + " " + r[1] + " with key " + key + " → " + res.status());
        } else {
          // Each dialect answers in its own envelope (mem9's {"error": "<message>"}): the one
          // its Dialect writes for a 401, whatever the message says.
          JsonNode expected =
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .valueToTree(
                      Dialect.of(r[1]).envelope(new ApiError(401, "unauthorized", ANY_MESSAGE)));
          assertTrue(sameEnvelope(expected, res.json()), r[1] + ": " + res.body());
        }
      }
    }
    assertEquals(List.of(), open, "routes of the daemon that answered without its token");
    // With the token they are the daemon owner's: sign-up too.
    Res owner = daemon.send("POST", "/v1/tenants", TOKEN, "{}");
    assertEquals(201, owner.status(), owner.body());
    Res health = daemon.send("GET", "/health", TOKEN, (String) null);
    assertEquals(200, health.status(), health.body());
  }

  /** Stands for the error's message, which says why in words of its own. */
  private static final String ANY_MESSAGE = "<any message>";

  /** Equal JSON, except that {@link #ANY_MESSAGE} matches any non-empty text. */
  private static boolean sameEnvelope(JsonNode expected, JsonNode actual) {
    if (expected.isTextual() && expected.asText().equals(ANY_MESSAGE)) {
      return actual.isTextual() && !actual.asText().isBlank();
    }
    if (expected.isObject()) {
      if (!actual.isObject() || expected.size() != actual.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        if (!actual.has(e.getKey()) || !sameEnvelope(e.getValue(), actual.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(actual);
  }

  @Test
  void theDaemonSaysWhichHomeItServesToItsTokenOnly() {
    Res who = daemon.send("GET", "/v1/daemon", TOKEN, (String) null);
    assertEquals(200, who.status(), who.body());
    assertEquals(service.homeIdentity().id(), who.json().path("home_id").asText());
    assertEquals(service.homeIdentity().home(), who.json().path("home").asText());
    Res tenant = team.send("POST", "/v1/tenants", (String) null, "{}");
    String key = tenant.json().get("api_key").asText();
    assertEquals(
        404, team.send("GET", "/v1/daemon", key, (String) null).status(), "not to a tenant");
  }

  @Test
  void aTeamServerKeepsSignUpAndHealthOpen() {
    assertEquals(200, team.send("GET", "/health", null, (String) null).status());
    assertEquals(201, team.send("POST", "/v1/tenants", (String) null, "{}").status());
  }

  @Test
  void aKeyedWriteIsAppliedOnceAndItsAnswerRepeated() {
    String key = "retry-" + System.nanoTime();
    Res first =
        daemon.send(
            "POST",
            "/v1/memories",
            TOKEN,
            "{\"content\":\"Idempotent: the first attempt of this store.\"}",
            "Idempotency-Key",
            key);
    assertEquals(201, first.status(), first.body());
    String id = first.json().get("id").asText();
    // The same key again (a retry after a kill), even with another body: the first answer.
    Res again =
        daemon.send(
            "POST",
            "/v1/memories",
            TOKEN,
            "{\"content\":\"Idempotent: a body the retry must not store.\"}",
            "Idempotency-Key",
            key);
    assertEquals(201, again.status(), again.body());
    assertEquals(id, again.json().get("id").asText());
    JsonNode list =
        daemon.send("GET", "/v1/memories?q=retry+must+not", TOKEN, (String) null).json();
    for (JsonNode m : list.path("memories")) {
      assertNotEquals(
          "Idempotent: a body the retry must not store.", m.path("content").asText(), list + "");
    }
    // Without a key, or with another, the write is a new one.
    Res other =
        daemon.send(
            "POST",
            "/v1/memories",
            TOKEN,
            "{\"content\":\"Idempotent: a body the retry must not store.\"}",
            "Idempotency-Key",
            key + "-b");
    assertEquals(201, other.status(), other.body());
    assertNotEquals(id, other.json().get("id").asText());
    // The same key for another request is a client's mistake, said plainly.
    Res misuse = daemon.send("POST", "/v1/decay", TOKEN, (String) null, "Idempotency-Key", key);
    assertEquals(409, misuse.status(), misuse.body());
    assertTrue(misuse.json().path("error").path("message").asText().contains("POST /v1/memories"));
  }
}
