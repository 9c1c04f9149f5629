package dev.omem.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.hooks.HookHandler;
import dev.omem.hooks.HookSettings;
import dev.omem.mcp.McpHttpEndpoint;
import dev.omem.service.LocalMemoryService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real {@code omem serve} for tests: a store in a temporary directory (SQLite, Lucene, the ONNX
 * model), the real Jetty server on a free loopback port, and the JDK's HTTP client.
 */
final class HttpFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A tenant as {@code POST /v1/tenants} answered it. */
  record Tenant(String id, String key) {}

  final LocalMemoryService service;
  final OmemHttpServer server;
  private final boolean ownsService;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  HttpFixture(LocalMemoryService service, OmemHttpServer server, boolean ownsService) {
    this.service = service;
    this.server = server;
    this.ownsService = ownsService;
  }

  /** Loopback, no rate limit (the tests send hundreds of requests a second), default limits. */
  static ServeSettings settings() {
    ServeSettings d = ServeSettings.defaults("127.0.0.1", 0);
    return d.toBuilder().requestsPerSecond(0).build();
  }

  static LocalMemoryService openService(Path home) {
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(s.awaitModel(Duration.ofSeconds(120)), "model loads");
    return s;
  }

  /** A store in {@code home} and a server over it, closed together. */
  static HttpFixture start(Path home) throws Exception {
    return start(home, settings());
  }

  static HttpFixture start(Path home, ServeSettings settings) throws Exception {
    LocalMemoryService s = openService(home);
    try {
      return new HttpFixture(s, OmemHttpServer.start(s, s.tenants(), settings, "test"), true);
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  /**
   * A node of a team server on the PostgreSQL database {@code url} (its index in {@code home}),
   * with {@code /ready} and {@code /metrics} mounted, as {@code omem serve --database} runs it.
   */
  static HttpFixture startOnDatabase(Path home, String url) throws Exception {
    LocalMemoryService s =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL).withDatabase(url));
    try {
      return new HttpFixture(
          s,
          OmemHttpServer.start(
              s,
              s.tenants(),
              settings(),
              "test",
              OmemHttpServer.Mounts.NONE,
              null,
              new Operations(s.probe(), true, 100, null)),
          true);
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  /** A store in {@code home} and a server over it with the hooks route, as the daemon runs. */
  static HttpFixture startWithHooks(Path home, ServeSettings settings) throws Exception {
    LocalMemoryService s = openService(home);
    try {
      HookHandler hooks = new HookHandler(s, s.hookSessions(), HookSettings.defaults());
      return new HttpFixture(
          s,
          OmemHttpServer.start(
              s,
              s.tenants(),
              settings,
              "test",
              new OmemHttpServer.Mounts(null, hooks::handle, java.util.List.of(hooks))),
          true);
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  /** A store in {@code home} and a server over it with MCP over Streamable HTTP at {@code /mcp}. */
  static HttpFixture startWithMcp(Path home) throws Exception {
    return startFull(home, settings());
  }

  /** A store and a server with everything the daemon mounts: the hooks route and {@code /mcp}. */
  static HttpFixture startFull(Path home, ServeSettings settings) throws Exception {
    LocalMemoryService s = openService(home);
    try {
      HookHandler hooks = new HookHandler(s, s.hookSessions(), HookSettings.defaults());
      McpHttpEndpoint mcp =
          new McpHttpEndpoint(s, "test", "/mcp", false, false, RerankSetting.Mode.OFF);
      return new HttpFixture(
          s,
          OmemHttpServer.start(
              s,
              s.tenants(),
              settings,
              "test",
              new OmemHttpServer.Mounts(mcp.servlet(), hooks::handle, List.of(mcp, hooks))),
          true);
    } catch (Exception e) {
      s.close();
      throw e;
    }
  }

  /** Another server over an open store (which the caller closes). */
  static HttpFixture serve(LocalMemoryService s, ServeSettings settings) throws Exception {
    return new HttpFixture(s, OmemHttpServer.start(s, s.tenants(), settings, "test"), false);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  // ---- requests ----

  /** Sends a request; {@code body} null sends none; {@code headers} are name, value pairs. */
  Res send(String method, String path, String key, String body, String... headers) {
    return send(
        method,
        path,
        key,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8),
        headers);
  }

  Res send(
      String method, String path, String key, HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).method(method, body);
    if (!List.of(headers).contains("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("X-API-Key", key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException stale) {
        // A pooled connection the server had already closed (after a refusal): the request never
        // reached it, and the JDK client retries only GETs by itself. okhttp, our client, retries.
        if (!String.valueOf(stale.getMessage()).contains("received no bytes")) {
          throw stale;
        }
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      }
      return new Res(r.statusCode(), r, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Res get(String path, String key) {
    return send("GET", path, key, (String) null);
  }

  Res post(String path, String key, String body) {
    return send("POST", path, key, body);
  }

  Res put(String path, String key, String body) {
    return send("PUT", path, key, body);
  }

  Res delete(String path, String key, String... headers) {
    return send("DELETE", path, key, (String) null, headers);
  }

  // ---- conveniences, each checked ----

  /** An import's raw upload: the body is the file's bytes, the other fields in {@code query}. */
  Res rawImport(String key, String query, byte[] file) {
    return send(
        "POST",
        "/v1/imports?" + query,
        key,
        HttpRequest.BodyPublishers.ofByteArray(file),
        "Content-Type",
        "application/octet-stream");
  }

  Tenant newTenant(String name) {
    Res r = post("/v1/tenants", null, name == null ? null : json(Map.of("name", name)));
    assertEquals(201, r.status(), r.body());
    JsonNode j = r.json();
    Tenant t = new Tenant(j.path("id").asText(), j.path("api_key").asText());
    assertNotEquals("", t.id());
    assertNotEquals("", t.key());
    return t;
  }

  /** Stores one memory with {@code POST /v1/memories}; {@code fields} are extra body fields. */
  JsonNode create(String key, String content, Object... fields) {
    ObjectNode body = JSON.createObjectNode().put("content", content);
    for (int i = 0; i < fields.length; i += 2) {
      body.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
    }
    Res r = post("/v1/memories", key, body.toString());
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  /** The finished ingest task {@code taskId} of the key's tenant (waits for it, over HTTP). */
  JsonNode finishedTask(String key, String taskId) {
    JsonNode t = get("/v1/tasks/" + taskId + "?wait=20", key).expect(200);
    assertEquals("done", t.path("status").asText(), t.toString());
    return t;
  }

  /**
   * Every memory the key's tenant holds, in every state and scope, by id: the whole Memory JSON, so
   * any change to content, state, version, tags or access counts shows.
   */
  Map<String, JsonNode> snapshot(String key) {
    // Access counts are written after the answer that earned them: let them land first.
    service.awaitAccesses();
    Map<String, JsonNode> all = new TreeMap<>();
    for (String state : new String[] {"active", "archived", "deleted"}) {
      for (int offset = 0; ; offset += 200) {
        Res r = get("/v1/memories?scope=all&limit=200&state=" + state + "&offset=" + offset, key);
        assertEquals(200, r.status(), r.body());
        JsonNode page = r.json().path("memories");
        page.forEach(m -> all.put(m.path("id").asText(), m));
        if (page.size() < 200) {
          break;
        }
      }
    }
    return all;
  }

  /**
   * A copy of a Memory JSON with its times at millisecond precision. The store keeps milliseconds,
   * but the answer to a write carries the clock's nanoseconds, so a write's answer and a later read
   * differ below the millisecond (reported; the service, not the HTTP face, sets those times).
   */
  static JsonNode millis(JsonNode memory) {
    ObjectNode copy = memory.deepCopy();
    copy.remove("history"); // only GET /v1/memories/{id} shows it
    for (String f : new String[] {"created_at", "updated_at", "last_accessed_at"}) {
      JsonNode t = copy.get(f);
      if (t != null && t.isTextual()) {
        copy.put(f, Instant.parse(t.asText()).truncatedTo(ChronoUnit.MILLIS).toString());
      }
    }
    return copy;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      if (ownsService) {
        service.close();
      }
    }
  }
}
