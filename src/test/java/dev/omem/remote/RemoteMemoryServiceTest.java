package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.omem.domain.Category;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryPage;
import dev.omem.domain.OmemException;
import dev.omem.domain.Profile;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.BatchDeleteRequest;
import dev.omem.service.BatchDeleteResult;
import dev.omem.service.Caller;
import dev.omem.service.ForgetResult;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.UpdateRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link RemoteMemoryService} against real sockets: a closed port, a server that accepts and never
 * answers, and the JDK's HTTP server standing in for a foreign ourmem-dialect server. (The contract
 * tests against omem's own {@code omem serve} live beside the server.)
 */
class RemoteMemoryServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ID = "7f0c6c9e-2b1a-4b8e-9f43-0c1d2e3f4a5b";
  static final Caller CALLER =
      new Caller("ignored-tenant", "github.com/acme/alpha", "cursor", "s-1");

  final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  <T extends AutoCloseable> T closing(T c) {
    toClose.add(c);
    return c;
  }

  RemoteMemoryService client(String url, Duration timeout) {
    return closing(new RemoteMemoryService(RemoteConfig.of(url, "key-1").withTimeout(timeout)));
  }

  RemoteMemoryService client(Foreign server) {
    return client(server.url(), Duration.ofSeconds(5));
  }

  static OmemException fails(ErrorCode code, Executable call) {
    OmemException e = assertThrows(OmemException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Map<String, Object> memoryJson(String id, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("content", content);
    m.put("category", "entities");
    m.put("memory_type", "pinned");
    m.put("state", "active");
    m.put("tier", "peripheral");
    m.put("importance", 0.5);
    m.put("confidence", 0.5);
    m.put("access_count", 0);
    m.put("tags", List.of());
    m.put("scope", "project:github.com/acme/alpha");
    m.put("version", 1);
    m.put("created_at", "2026-01-01T00:00:00Z");
    m.put("updated_at", "2026-01-01T00:00:00Z");
    return m;
  }

  // ---- no server ----

  @Test
  void aClosedPortIsUnavailableNamingTheUrlWithinTwoSeconds() throws Exception {
    String url = "http://127.0.0.1:" + closedPort();
    RemoteMemoryService s = client(url, Duration.ofSeconds(5));
    for (Executable call :
        List.<Executable>of(() -> s.get(CALLER, ID), () -> s.store(CALLER, StoreRequest.of("x")))) {
      long t0 = System.nanoTime();
      OmemException e = fails(ErrorCode.UNAVAILABLE, call);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 2_000, "took " + ms + " ms");
      assertEquals("omem server at " + url + " is unreachable: connection refused", e.getMessage());
    }
  }

  @Test
  void anUnknownHostIsUnavailable() {
    RemoteMemoryService s = client("http://omem-test-host.invalid:8080", Duration.ofSeconds(5));
    OmemException e = fails(ErrorCode.UNAVAILABLE, () -> s.get(CALLER, ID));
    assertTrue(
        e.getMessage()
            .startsWith("omem server at http://omem-test-host.invalid:8080 is unreachable:"),
        e.getMessage());
  }

  /** Accepts connections, reads what comes, never answers. */
  static final class Silent implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    final List<Socket> open = new CopyOnWriteArrayList<>();

    Silent() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket c = socket.accept();
                    connections.incrementAndGet();
                    open.add(c);
                    Thread r = new Thread(() -> readRequestLine(c));
                    r.setDaemon(true);
                    r.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    private void readRequestLine(Socket c) {
      try {
        InputStream in = c.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
          line.append((char) b);
        }
        requestLines.add(line.toString().strip());
      } catch (IOException e) {
        // the client gave up
      }
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket c : open) {
        c.close();
      }
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutAndAPostIsSentOnce() throws Exception {
    Silent silent = closing(new Silent());
    RemoteMemoryService s = client(silent.url(), Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    OmemException e = fails(ErrorCode.UNAVAILABLE, () -> s.store(CALLER, StoreRequest.of("x")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 900 && ms < 2_500, "took " + ms + " ms");
    assertTrue(
        e.getMessage()
            .startsWith(
                "omem server at " + silent.url() + " is unreachable: no answer within 1000 ms"),
        e.getMessage());
    assertTrue(e.getMessage().contains("may have been applied"), e.getMessage());
    Thread.sleep(500); // a late retry would show up here
    assertEquals(1, silent.connections.get());
    assertEquals(List.of("POST /v1/memories HTTP/1.1"), silent.requestLines);
  }

  @Test
  void aServerThatNeverAnswersTimesOutAndAGetIsTriedThreeTimes() throws Exception {
    Silent silent = closing(new Silent());
    RemoteMemoryService s = client(silent.url(), Duration.ofSeconds(1));
    long t0 = System.nanoTime();
    OmemException e = fails(ErrorCode.UNAVAILABLE, () -> s.get(CALLER, ID));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // three attempts of 1 s, 100 + 300 ms apart
    assertTrue(ms >= 3_000 && ms < 6_000, "took " + ms + " ms");
    assertTrue(e.getMessage().contains("no answer within 1000 ms"), e.getMessage());
    assertFalse(e.getMessage().contains("may have been applied"), e.getMessage());
    Thread.sleep(300);
    assertEquals(3, silent.connections.get());
    assertEquals(3, silent.requestLines.size());
    assertTrue(silent.requestLines.stream().allMatch(l -> l.startsWith("GET /v1/memories/" + ID)));
  }

  /**
   * Answers the first request of each connection (keep-alive), then reads the next one and hangs up
   * without answering: a server that crashed while applying it.
   */
  static final class HangsUpOnSecond implements AutoCloseable {
    final ServerSocket socket;
    final List<String> requestLines = new CopyOnWriteArrayList<>();

    HangsUpOnSecond(byte[] firstAnswer) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket c = socket.accept();
                    Thread r = new Thread(() -> serve(c, firstAnswer));
                    r.setDaemon(true);
                    r.start();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    private void serve(Socket c, byte[] answer) {
      try (c) {
        InputStream in = c.getInputStream();
        for (int n = 0; ; n++) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          requestLines.add(head.lines().findFirst().orElse(""));
          int length =
              head.lines()
                  .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                  .map(l -> Integer.parseInt(l.substring(15).trim()))
                  .findFirst()
                  .orElse(0);
          in.readNBytes(length);
          if (n > 0) {
            return; // hang up
          }
          String h =
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + answer.length
                  + "\r\n\r\n";
          c.getOutputStream().write(h.getBytes(StandardCharsets.US_ASCII));
          c.getOutputStream().write(answer);
          c.getOutputStream().flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    private static String readHead(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = in.read()) != -1) {
        sb.append((char) b);
        if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
          return sb.toString();
        }
      }
      return null;
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aPostOnAPooledConnectionThatBreaksIsNotResentByOkhttp() throws Exception {
    HangsUpOnSecond server =
        closing(new HangsUpOnSecond(JSON.writeValueAsBytes(memoryJson(ID, "x"))));
    RemoteMemoryService s = client(server.url(), Duration.ofSeconds(2));
    s.get(CALLER, ID); // leaves a kept-alive connection in the pool
    OmemException e = fails(ErrorCode.UNAVAILABLE, () -> s.store(CALLER, StoreRequest.of("x")));
    assertTrue(e.getMessage().contains("may have been applied"), e.getMessage());
    Thread.sleep(300);
    assertEquals(
        1,
        server.requestLines.stream().filter(l -> l.startsWith("POST")).count(),
        server.requestLines.toString());
  }

  // ---- a foreign ourmem-dialect server ----

  /** What the stand-in server saw of one request. */
  record Hit(
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      JsonNode body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  record Reply(int status, String body, Map<String, String> headers) {
    static Reply json(int status, Object body) {
      try {
        return new Reply(status, JSON.writeValueAsString(body), Map.of());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static Reply error(int status, String code, String message) {
      return json(status, Map.of("error", Map.of("code", code, "message", message)));
    }

    Reply with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, body, h);
    }
  }

  /** The JDK's HTTP server playing a third-party server of the dialect. */
  static final class Foreign implements AutoCloseable {
    final HttpServer server;
    final List<Hit> hits = new CopyOnWriteArrayList<>();
    volatile Function<Hit, Reply> handler = h -> Reply.json(200, Map.of());

    Foreign() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext(
          "/",
          ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            Map<String, String> query = new LinkedHashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
              for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                query.put(
                    URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
              }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders()
                .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            Hit hit =
                new Hit(
                    ex.getRequestMethod(),
                    ex.getRequestURI().getRawPath(),
                    query,
                    headers,
                    in.length == 0 ? null : JSON.readTree(in));
            hits.add(hit);
            Reply r = handler.apply(hit);
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Hit last() {
      return hits.get(hits.size() - 1);
    }

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  @Test
  void errorEnvelopesBecomeTheirErrorCodesWithTheServersMessage() throws Exception {
    Foreign f = closing(new Foreign());
    RemoteMemoryService s = client(f);
    record Case(int status, String code, ErrorCode want) {}
    for (Case c :
        List.of(
            new Case(400, "validation_error", ErrorCode.VALIDATION),
            new Case(404, "not_found", ErrorCode.NOT_FOUND),
            new Case(413, "payload_too_large", ErrorCode.VALIDATION),
            new Case(429, "rate_limited", ErrorCode.RATE_LIMITED),
            new Case(500, "internal_error", ErrorCode.INTERNAL),
            new Case(503, "unavailable", ErrorCode.UNAVAILABLE),
            new Case(503, "timeout", ErrorCode.UNAVAILABLE),
            new Case(500, "something_new", ErrorCode.INTERNAL),
            new Case(400, "something_new", ErrorCode.VALIDATION))) {
      f.handler = h -> Reply.error(c.status(), c.code(), "the server says " + c.code());
      OmemException e = fails(c.want(), () -> s.store(CALLER, StoreRequest.of("x")));
      if (c.status() < 500) {
        assertEquals("the server says " + c.code(), e.getMessage());
      } else {
        assertEquals("omem server at " + f.url() + ": the server says " + c.code(), e.getMessage());
      }
    }
  }

  @Test
  void aRefusedKeyNamesTheServer() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.error(401, "unauthorized", "invalid API key");
    OmemException e = fails(ErrorCode.UNAUTHORIZED, () -> client(f).get(CALLER, ID));
    assertEquals(
        "the API key (OMEM_API_KEY) was refused by " + f.url() + ": invalid API key",
        e.getMessage());
    assertEquals(1, f.hits.size(), "a 4xx is never retried");
  }

  @Test
  void aNonJsonErrorStillSaysWhatHappened() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> new Reply(500, "<html><body>Internal   Server Error</body></html>", Map.of());
    OmemException e =
        fails(ErrorCode.INTERNAL, () -> client(f).store(CALLER, StoreRequest.of("x")));
    assertEquals(
        "omem server at "
            + f.url()
            + " answered 500 to POST /v1/memories: <html><body>Internal Server Error</body></html>",
        e.getMessage());
    f.handler = h -> new Reply(404, "", Map.of());
    e = fails(ErrorCode.NOT_FOUND, () -> client(f).get(CALLER, ID));
    assertEquals(
        "omem server at " + f.url() + " answered 404 to GET /v1/memories/" + ID, e.getMessage());
  }

  @Test
  void aNonJsonSuccessIsNotTakenForAnAnswer() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> new Reply(200, "<html>a web page</html>", Map.of());
    OmemException e = fails(ErrorCode.INTERNAL, () -> client(f).get(CALLER, ID));
    assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
  }

  @Test
  void idempotentCallsRetry503ButPostsDoNot() throws Exception {
    Foreign f = closing(new Foreign());
    AtomicInteger calls = new AtomicInteger();
    f.handler =
        h ->
            calls.incrementAndGet() <= 2
                ? Reply.error(503, "unavailable", "warming up")
                : Reply.json(200, memoryJson(ID, "found"));
    assertEquals("found", client(f).get(CALLER, ID).content());
    assertEquals(3, f.hits.size());

    f.hits.clear();
    f.handler = h -> Reply.error(503, "unavailable", "warming up");
    fails(ErrorCode.UNAVAILABLE, () -> client(f).get(CALLER, ID));
    assertEquals(3, f.hits.size(), "at most two more tries");

    f.hits.clear();
    fails(ErrorCode.UNAVAILABLE, () -> client(f).store(CALLER, StoreRequest.of("x")));
    fails(
        ErrorCode.UNAVAILABLE, () -> client(f).ingest(CALLER, new IngestRequest(List.of(), null)));
    fails(
        ErrorCode.UNAVAILABLE,
        () -> client(f).batchDelete(CALLER, BatchDeleteRequest.ids(List.of(ID))));
    assertEquals(3, f.hits.size(), "each POST sent once");
  }

  @Test
  void fourHundredsAreNeverRetried() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.error(404, "not_found", "no memory with id " + ID);
    RemoteMemoryService s = client(f);
    OmemException e = fails(ErrorCode.NOT_FOUND, () -> s.get(CALLER, ID));
    assertEquals("no memory with id " + ID, e.getMessage());
    fails(ErrorCode.NOT_FOUND, () -> s.forget(CALLER, ID));
    fails(
        ErrorCode.NOT_FOUND,
        () -> s.update(CALLER, new UpdateRequest(ID, "c", null, null, null, null)));
    assertEquals(3, f.hits.size());
  }

  @Test
  void rateLimitsAreWaitedOutOnlyWhenShortAndIdempotent() throws Exception {
    Foreign f = closing(new Foreign());
    AtomicInteger calls = new AtomicInteger();
    f.handler =
        h ->
            calls.incrementAndGet() == 1
                ? Reply.error(429, "rate_limited", "slow down").with("Retry-After", "1")
                : Reply.json(200, memoryJson(ID, "after the wait"));
    long t0 = System.nanoTime();
    assertEquals("after the wait", client(f).get(CALLER, ID).content());
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 950, "waited the second asked for");
    assertEquals(2, f.hits.size());

    f.hits.clear();
    f.handler = h -> Reply.error(429, "rate_limited", "slow down").with("Retry-After", "5");
    OmemException e = fails(ErrorCode.RATE_LIMITED, () -> client(f).get(CALLER, ID));
    assertEquals("slow down (the server asks to retry after 5 s)", e.getMessage());
    assertEquals(1, f.hits.size(), "a long wait fails at once");

    f.hits.clear();
    f.handler = h -> Reply.error(429, "rate_limited", "slow down").with("Retry-After", "0");
    fails(ErrorCode.RATE_LIMITED, () -> client(f).store(CALLER, StoreRequest.of("x")));
    assertEquals(1, f.hits.size(), "a POST is not retried even for a 429");
  }

  @Test
  void anAnswerWithUnknownFieldsAndWithoutOmemsExtensionsParses() throws Exception {
    Foreign f = closing(new Foreign());
    Map<String, Object> m = memoryJson(ID, "Uses pnpm");
    m.remove("scope");
    m.put("l0_abstract", "pnpm");
    m.put("stale_info", Map.of("is_stale", false));
    m.put("relations", List.of(Map.of("relation_type", "supports", "target_id", "t", "x", 1)));
    f.handler = h -> Reply.json(200, m);
    Memory got = client(f).get(CALLER, ID);
    assertEquals("Uses pnpm", got.content());
    assertEquals("global", got.scope());
    assertNull(got.expiresAt());
    assertNull(got.tenantId());
    assertEquals(Map.of("supports", List.of("t")), got.relations());

    Map<String, Object> search = new LinkedHashMap<>();
    search.put("results", List.of(Map.of("memory", m, "score", 0.9, "explanation", "x")));
    search.put("took_ms", 3);
    f.handler = h -> Reply.json(200, search);
    SearchOutcome out = client(f).search(CALLER, SearchRequest.of("pnpm"));
    assertEquals(1, out.results().size());
    assertEquals(0.9, out.results().get(0).score());
  }

  @Test
  void anAnswerOfTheWrongShapeSaysTheServerSentIt() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(200, Map.of("memories", "not a list"));
    OmemException e =
        fails(ErrorCode.INTERNAL, () -> client(f).list(CALLER, ListRequest.firstPage()));
    assertTrue(
        e.getMessage().startsWith("the omem server at " + f.url() + " sent an answer"),
        e.getMessage());
  }

  @Test
  void anIdThatIsNotAUuidNeverLeaves() throws Exception {
    Foreign f = closing(new Foreign());
    RemoteMemoryService s = client(f);
    for (String bad : new String[] {"", "all", "search", "../stats"}) {
      fails(ErrorCode.VALIDATION, () -> s.get(CALLER, bad));
      fails(ErrorCode.VALIDATION, () -> s.forget(CALLER, bad));
    }
    assertTrue(f.hits.isEmpty());
  }

  // ---- what goes on the wire (the contract the server must honour) ----

  @Test
  void storeSendsTheKeyTheCallerAndTheFields() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(201, memoryJson(ID, "Build with gradle"));
    Memory m =
        client(f)
            .store(
                CALLER,
                new StoreRequest(
                    "Build with gradle", List.of("build"), "cli", "cases", "project", 0.7));
    assertEquals(ID, m.id());
    Hit h = f.last();
    assertEquals("POST", h.method());
    assertEquals("/v1/memories", h.path());
    assertEquals("key-1", h.header("X-API-Key"));
    assertEquals("github.com/acme/alpha", h.header("X-Omem-Project"));
    assertEquals("cursor", h.header("X-Agent-Id"));
    assertEquals("s-1", h.header("X-Omem-Session"));
    assertNull(h.header("X-Tenant-Id"));
    assertTrue(h.header("Content-Type").startsWith("application/json"));
    assertEquals(
        JSON.readTree(
            "{\"content\":\"Build with gradle\",\"tags\":[\"build\"],\"source\":\"cli\","
                + "\"category\":\"cases\",\"scope\":\"project\",\"importance\":0.7}"),
        h.body());

    // Nulls are left out, not sent as null; an unknown caller sends no caller headers.
    client(f).store(Caller.local(null), StoreRequest.of("only content"));
    assertEquals(JSON.readTree("{\"content\":\"only content\"}"), f.last().body());
    assertNull(f.last().header("X-Omem-Project"));
    assertNull(f.last().header("X-Agent-Id"));
  }

  @Test
  void aProjectThatIsNotAsciiTravelsAsAParameter() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(200, Map.of("results", List.of()));
    client(f)
        .search(
            new Caller(null, "/home/zoë/projet", "agent\r\nX-Evil: 1", null),
            SearchRequest.of("q"));
    Hit h = f.last();
    assertNull(h.header("X-Omem-Project"));
    assertEquals("/home/zoë/projet", h.query().get("project"));
    assertEquals("agentX-Evil: 1", h.header("X-Agent-Id"), "no header injection");
    assertNull(h.header("X-Evil"));
  }

  @Test
  void searchSendsEveryParameter() throws Exception {
    Foreign f = closing(new Foreign());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("results", List.of(Map.of("memory", memoryJson(ID, "m"), "score", 0.8)));
    answer.put(
        "trace",
        Map.of(
            "stages",
            List.of(
                Map.of(
                    "name",
                    "bm25",
                    "input_count",
                    0,
                    "output_count",
                    1,
                    "duration_ms",
                    0.5,
                    "score_range",
                    List.of(0.8, 0.8),
                    "note",
                    "model loading")),
            "total_duration_ms",
            1.5,
            "final_count",
            1,
            "mode",
            "bm25"));
    f.handler = h -> Reply.json(200, answer);
    SearchOutcome out =
        client(f)
            .search(
                CALLER,
                SearchRequest.builder("how to build")
                    .limit(5)
                    .tags(List.of("a", "b"))
                    .scope("all")
                    .categories(List.of("cases", "patterns"))
                    .minScore(0.3)
                    .after(Instant.parse("2026-01-01T00:00:00Z"))
                    .before(Instant.parse("2026-02-01T00:00:00Z"))
                    .states(List.of("active", "archived"))
                    .includeTrace(true)
                    .build());
    Hit h = f.last();
    assertEquals("GET", h.method());
    assertEquals("/v1/memories/search", h.path());
    assertNull(h.body());
    Map<String, String> want = new LinkedHashMap<>();
    want.put("q", "how to build");
    want.put("limit", "5");
    want.put("scope", "all");
    want.put("min_score", "0.3");
    want.put("tags", "a,b");
    want.put("category", "cases,patterns");
    want.put("state", "active,archived");
    want.put("after", "2026-01-01T00:00:00Z");
    want.put("before", "2026-02-01T00:00:00Z");
    want.put("include_trace", "true");
    assertEquals(want, h.query());
    assertEquals(0.8, out.results().get(0).score());
    assertEquals("bm25", out.trace().mode());
    assertEquals("model loading", out.trace().stages().get(0).note());

    // The limit is always explicit (issue 15): the service contract's default, not the REST one.
    client(f).search(CALLER, SearchRequest.of("just this"));
    assertEquals(Map.of("q", "just this", "limit", "10"), f.last().query());
  }

  @Test
  void everyOtherRouteAsDocumented() throws Exception {
    Foreign f = closing(new Foreign());
    RemoteMemoryService s = client(f);

    f.handler = h -> Reply.json(200, memoryJson(ID, "got"));
    assertEquals("got", s.get(CALLER, ID.toUpperCase(java.util.Locale.ROOT)).content());
    assertEquals("GET /v1/memories/" + ID, f.last().method() + " " + f.last().path());

    f.handler = h -> Reply.json(200, memoryJson(ID, "new text"));
    Memory m =
        s.update(
            CALLER, new UpdateRequest(ID, "new text", List.of("t"), "events", 0.9, "archived"));
    assertEquals("new text", m.content());
    assertEquals("PUT /v1/memories/" + ID, f.last().method() + " " + f.last().path());
    assertEquals(
        JSON.readTree(
            "{\"content\":\"new text\",\"tags\":[\"t\"],\"state\":\"archived\","
                + "\"category\":\"events\",\"importance\":0.9}"),
        f.last().body());

    f.handler = h -> Reply.json(200, Map.of("status", "deleted"));
    assertEquals(new ForgetResult(ID, "deleted"), s.forget(CALLER, ID));
    assertEquals("DELETE /v1/memories/" + ID, f.last().method() + " " + f.last().path());

    f.handler =
        h ->
            Reply.json(
                200,
                Map.of(
                    "memories", List.of(memoryJson(ID, "a")),
                    "total_count", 41,
                    "limit", 1,
                    "offset", 3));
    MemoryPage page =
        s.list(
            CALLER,
            ListRequest.builder()
                .limit(1)
                .offset(3)
                .category("entities")
                .tags(List.of("x", "y"))
                .scope("global")
                .state("archived")
                .memoryType("pinned")
                .sort("importance")
                .order("asc")
                .build());
    assertEquals(41, page.totalCount());
    assertEquals(3, page.offset());
    assertEquals("GET /v1/memories", f.last().method() + " " + f.last().path());
    assertEquals(
        Map.of(
            "limit",
            "1",
            "offset",
            "3",
            "category",
            "entities",
            "tags",
            "x,y",
            "scope",
            "global",
            "state",
            "archived",
            "memory_type",
            "pinned",
            "sort",
            "importance",
            "order",
            "asc"),
        f.last().query());

    f.handler = h -> Reply.json(200, Map.of("deleted", 2, "mode", "ids"));
    assertEquals(
        new BatchDeleteResult(2L, null, "ids"),
        s.batchDelete(CALLER, BatchDeleteRequest.ids(List.of(ID, ID))));
    assertEquals("POST /v1/memories/batch-delete", f.last().method() + " " + f.last().path());
    assertEquals(
        JSON.readTree("{\"memory_ids\":[\"" + ID + "\",\"" + ID + "\"]}"), f.last().body());

    f.handler = h -> Reply.json(200, Map.of("would_delete", 7));
    assertEquals(
        new BatchDeleteResult(null, 7L, "filter"),
        s.batchDelete(
            CALLER,
            new BatchDeleteRequest(
                null,
                "cli",
                List.of("t"),
                "events",
                "session",
                "active",
                Instant.parse("2026-01-01T00:00:00Z"),
                false)));
    assertEquals(
        JSON.readTree(
            "{\"filter\":{\"source\":\"cli\",\"tags\":[\"t\"],\"category\":\"events\","
                + "\"memory_type\":\"session\",\"state\":\"active\","
                + "\"before\":\"2026-01-01T00:00:00Z\"},\"confirm\":false}"),
        f.last().body());

    f.handler = h -> Reply.json(200, Map.of("deleted", 12));
    assertEquals(12, s.deleteAll(CALLER));
    assertEquals("DELETE /v1/memories/all", f.last().method() + " " + f.last().path());
    assertEquals("delete-all", f.last().header("X-Confirm"));

    f.handler =
        h ->
            Reply.json(202, Map.of("task_id", "t-1", "stored_count", 1, "memory_ids", List.of(ID)));
    IngestResult ingested =
        s.ingest(
            CALLER,
            new IngestRequest(
                List.of(
                    new IngestRequest.Message("user", "I use vim"),
                    new IngestRequest.Message("assistant", "ok")),
                "raw"));
    assertEquals(new IngestResult("t-1", 1), ingested);
    assertEquals("POST /v1/memories", f.last().method() + " " + f.last().path());
    assertEquals(
        JSON.readTree(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"I use vim\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"}],\"mode\":\"raw\","
                + "\"agent_id\":\"cursor\",\"session_id\":\"s-1\"}"),
        f.last().body());

    f.handler = h -> Reply.json(202, Map.of("task_id", "t-2", "stored_count", 0));
    assertEquals(new IngestResult("t-2", 0), s.ingest(CALLER, new IngestRequest(List.of(), null)));

    f.handler =
        h ->
            Reply.json(
                200,
                Map.of(
                    "static_facts", List.of("Prefers tabs"),
                    "dynamic_context", List.of("Fixed the flaky test"),
                    "search_results", List.of()));
    assertEquals(
        new Profile(List.of("Prefers tabs"), List.of("Fixed the flaky test")), s.profile(CALLER));
    assertEquals("GET /v1/profile", f.last().method() + " " + f.last().path());
    assertEquals("github.com/acme/alpha", f.last().header("X-Omem-Project"));

    f.handler = h -> Reply.json(200, Map.of("total", 3, "by_category", Map.of("entities", 3)));
    Map<String, Object> stats = s.stats(CALLER);
    assertEquals(3, stats.get("total"));
    assertEquals(Map.of("entities", 3), stats.get("by_category"));
    assertEquals("GET /v1/stats", f.last().method() + " " + f.last().path());
  }

  @Test
  void healthReportsTheServerAndWhetherTheKeyWorks() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler =
        h ->
            h.path().equals("/health")
                ? Reply.json(200, Map.of("status", "ok", "version", "0.3.1"))
                : Reply.json(200, Map.of("memories", List.of(), "total_count", 0));
    Map<String, Object> health = client(f).health();
    assertEquals("remote", health.get("mode"));
    assertEquals(f.url(), health.get("url"));
    assertEquals("ok", health.get("status"));
    assertEquals("0.3.1", health.get("version"));
    assertEquals("accepted", health.get("api_key"));
    assertNull(f.hits.get(0).header("X-API-Key"), "/health is public: the key stays home");

    f.handler =
        h ->
            h.path().equals("/health")
                ? Reply.json(200, Map.of("status", "ok"))
                : Reply.error(401, "unauthorized", "bad key");
    health = client(f).health();
    assertEquals("refused", health.get("api_key"));
    assertEquals("not reported", health.get("version"));

    Map<String, Object> down =
        client("http://127.0.0.1:" + closedPort(), Duration.ofSeconds(1)).health();
    assertEquals("unreachable", down.get("status"));
    assertTrue(String.valueOf(down.get("error")).contains("connection refused"));
  }

  @Test
  void aBaseUrlWithAPathPrefixKeepsIt() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(200, memoryJson(ID, "x"));
    client(f.url() + "/omem/", Duration.ofSeconds(5)).get(CALLER, ID);
    assertEquals("/omem/v1/memories/" + ID, f.last().path());
  }

  // ---- a moving endpoint (the local daemon) ----

  @Test
  void aRefusedConnectionReconnectsOnceAndThenEvenAPostIsSent() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(201, memoryJson(ID, "stored"));
    RemoteConfig dead = RemoteConfig.of("http://127.0.0.1:" + closedPort(), "old-key");
    RemoteConfig alive = RemoteConfig.of(f.url(), "new-key");
    List<IOException> causes = new CopyOnWriteArrayList<>();
    Endpoint moving =
        new Endpoint() {
          volatile RemoteConfig now = dead;

          @Override
          public RemoteConfig current() {
            return now;
          }

          @Override
          public Optional<RemoteConfig> reconnect(IOException cause) {
            causes.add(cause);
            now = alive;
            return Optional.of(alive);
          }
        };
    RemoteMemoryService s = closing(new RemoteMemoryService(moving));
    assertEquals("stored", s.store(CALLER, StoreRequest.of("x")).content());
    assertEquals(1, causes.size());
    assertEquals(1, f.hits.size());
    assertEquals("new-key", f.last().header("X-API-Key"));
  }

  @Test
  void aReconnectThatFindsNothingFailsOnce() throws Exception {
    RemoteConfig dead = RemoteConfig.of("http://127.0.0.1:" + closedPort(), "k");
    AtomicInteger reconnects = new AtomicInteger();
    Endpoint stillDead =
        new Endpoint() {
          @Override
          public RemoteConfig current() {
            return dead;
          }

          @Override
          public Optional<RemoteConfig> reconnect(IOException cause) {
            reconnects.incrementAndGet();
            return Optional.of(dead);
          }
        };
    RemoteMemoryService s = closing(new RemoteMemoryService(stillDead));
    fails(ErrorCode.UNAVAILABLE, () -> s.store(CALLER, StoreRequest.of("x")));
    assertEquals(1, reconnects.get(), "at most once per call");
  }

  // ---- closing ----

  @Test
  void closeLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
    Foreign f = closing(new Foreign());
    f.handler = h -> Reply.json(200, memoryJson(ID, "x"));
    RemoteMemoryService s = new RemoteMemoryService(RemoteConfig.of(f.url(), "k"));
    for (int i = 0; i < 5; i++) {
      s.get(CALLER, ID);
    }
    s.close();
    fails(ErrorCode.UNAVAILABLE, () -> s.get(CALLER, ID));
    Thread.sleep(200);
    List<String> alive =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !t.isDaemon() && t.getName().contains("OkHttp"))
            .map(Thread::getName)
            .toList();
    assertEquals(List.of(), alive);
    assertEquals(Category.ENTITIES, Category.parse("entities").orElseThrow());
  }
}
