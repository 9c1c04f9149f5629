package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.hooks.CaptureQueue;
import dev.omem.hooks.HookEvent;
import dev.omem.hooks.HookSettings;
import dev.omem.http.HookResponder;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.Caller;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.ListRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five hooks against a remote {@code omem serve} (issue 17): a real team server on loopback
 * (SQLite, Lucene, the ONNX model), and on the user's side a real local store in another directory
 * for the session state, with the hooks as the daemon serves them ({@link HookHandlers}). Also a
 * server that accepts and never answers (a broken network), a server that is down and comes back,
 * and the server with omem's extensions off ({@code --ourmem-only}).
 */
class RemoteHooksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Caller DAEMON = new Caller(null, null, null, null);
  private static final String PROJECT = "example.com/acme/shop";
  private static final String PREFERENCE = "I prefer pnpm over npm for JavaScript packages.";
  private static final String DEPLOY = "The deploy script of the shop is scripts/ship.sh";
  private static final String SECRET = "sk-ant-api03-Zq8xVb2LkP0wT5yHnR7cJ3mD9fG1sA4e";

  @TempDir static Path tmp;
  private static LocalMemoryService serverStore;
  private static OmemHttpServer server;
  private static OmemHttpServer plainServer;
  private static final List<AutoCloseable> open = new ArrayList<>();
  private static Path shop;

  @BeforeAll
  static void startServer() throws Exception {
    serverStore =
        LocalMemoryService.open(new OmemConfig(tmp.resolve("server"), OmemConfig.DEFAULT_MODEL));
    assertTrue(serverStore.awaitModel(Duration.ofSeconds(120)), "model loads");
    server = serve(settings(0));
    plainServer = serve(settings(0).withOurmemOnly(true));
    shop = repo("shop", "https://example.com/acme/shop.git");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    plainServer.close();
    server.close();
    serverStore.close();
  }

  /** The team server over the one store, as {@code omem serve} starts it (keyed writes once). */
  private static OmemHttpServer serve(ServeSettings settings) throws Exception {
    return OmemHttpServer.start(
        serverStore,
        serverStore.tenants(),
        settings,
        "test",
        OmemHttpServer.Mounts.NONE,
        serverStore.idempotentWrites());
  }

  private static ServeSettings settings(int port) {
    ServeSettings d = ServeSettings.defaults("127.0.0.1", port);
    return d.toBuilder().requestsPerSecond(0).build();
  }

  // ---- a user's machine: a local store for the hook state, the hooks as the daemon runs them ----

  private record Machine(LocalMemoryService store, HookHandlers hooks, Path home) {}

  /**
   * Budgets for tests of what is recalled, not of how long it may take: on the shared 2-core
   * machine at load 30 a search takes seconds. The stalled-server test uses the budgets.
   */
  private static final HookHandlers.Budgets PATIENT =
      new HookHandlers.Budgets(
          Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));

  private static Machine machine(String name) {
    return machine(name, PATIENT);
  }

  private static Machine machine(String name, HookHandlers.Budgets budgets) {
    Path home = tmp.resolve(name);
    LocalMemoryService s = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    HookHandlers h = new HookHandlers(s, s.hookSessions(), HookSettings.defaults(), home, budgets);
    open.add(s);
    open.add(h);
    return new Machine(s, h, home);
  }

  private record Tenant(String id, String key) {}

  private static Tenant tenant(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tenants"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"team\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    JsonNode j = JSON.readTree(r.body());
    return new Tenant(j.path("id").asText(), j.path("api_key").asText());
  }

  private static RemoteMemoryService client(String url, String key) {
    return new RemoteMemoryService(RemoteConfig.of(url, key).withTimeout(Duration.ofSeconds(60)));
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  private static Map<?, ?> call(
      Machine m, HookResponder.Server srv, HookEvent e, String session, String... fields) {
    ObjectNode in = JSON.createObjectNode();
    in.put("session_id", session);
    in.put("cwd", shop.toString());
    in.put("hook_event_name", e.wire());
    for (int i = 0; i < fields.length; i += 2) {
      in.put(fields[i], fields[i + 1]);
    }
    return (Map<?, ?>) m.hooks().answer(e.wire(), DAEMON, in, srv);
  }

  private static String context(Map<?, ?> answer) {
    JsonNode j = JSON.valueToTree(answer);
    return j.path("hookSpecificOutput").path("additionalContext").asText(null);
  }

  private static Path transcript(String session, String... userTurns) throws IOException {
    Path t = tmp.resolve("transcripts/" + session + ".jsonl");
    Files.createDirectories(t.getParent());
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String turn : userTurns) {
      ObjectNode u = JSON.createObjectNode();
      u.put("type", "user");
      u.put("uuid", "00000000-0000-4000-8000-00000000000" + n++);
      u.put("sessionId", session);
      u.putObject("message").put("role", "user").put("content", turn);
      ObjectNode a = JSON.createObjectNode();
      a.put("type", "assistant");
      a.put("uuid", "00000000-0000-4000-8000-00000000010" + n);
      a.put("sessionId", session);
      ObjectNode msg = a.putObject("message").put("role", "assistant");
      msg.putArray("content").addObject().put("type", "text").put("text", "Noted.");
      b.append(u).append('\n').append(a).append('\n');
    }
    Files.writeString(t, b.toString());
    return t;
  }

  private static Path repo(String name, String origin) throws IOException {
    Path d = tmp.resolve("projects/" + name);
    Files.createDirectories(d.resolve(".git"));
    Files.writeString(
        d.resolve(".git/config"), "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = " + origin);
    return d;
  }

  /** Waits for a memory of the tenant on the server (extraction runs after ingest answers). */
  private static List<Memory> awaitOnServer(Tenant t, Predicate<Memory> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<Memory> found = serverMemories(t).stream().filter(wanted).toList();
      if (!found.isEmpty() || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(100);
    }
  }

  private static List<Memory> serverMemories(Tenant t) {
    return serverStore
        .list(
            new Caller(t.id(), null, null, null),
            ListRequest.builder().limit(200).offset(0).scope("all").build())
        .memories();
  }

  private static List<Path> queued(Machine m) throws IOException {
    Path dir = m.home().resolve(CaptureQueue.DIR);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).toList();
    }
  }

  // ---- the tests ----

  @Test
  void oneMachineCapturesAndStoresAnotherRecallsBothAtStartAndOnAPrompt() throws Exception {
    Tenant t = tenant(server.port());
    HookResponder.Server srv = new HookResponder.Server(url(server.port()), t.key());
    Machine first = machine("first");
    try (RemoteMemoryService client = client(url(server.port()), t.key())) {
      client.store(new Caller(null, PROJECT, "test", null), StoreRequest.of(DEPLOY));
    }
    Path log = transcript("s1", PREFERENCE);
    assertEquals(
        Map.of(), call(first, srv, HookEvent.STOP, "s1", "transcript_path", log.toString()));
    assertTrue(first.hooks().awaitCaptures(Duration.ofSeconds(60)));
    List<Memory> captured = awaitOnServer(t, m -> m.content().contains("pnpm"));
    assertEquals(1, captured.size(), "the captured preference is on the server: " + captured);
    assertEquals("s1", captured.get(0).sessionId(), "the capture carries its session");
    assertTrue(queued(first).isEmpty(), "a delivered capture leaves the queue");
    // The transcript's offset is the local store's: a second Stop sends nothing again.
    call(first, srv, HookEvent.STOP, "s1", "transcript_path", log.toString());
    assertTrue(first.hooks().awaitCaptures(Duration.ofSeconds(60)));
    Thread.sleep(500);
    assertEquals(1, serverMemories(t).stream().filter(m -> m.content().contains("pnpm")).count());

    Machine second = machine("second"); // another home: nothing of the first machine's state
    String start = context(call(second, srv, HookEvent.SESSION_START, "s2"));
    assertTrue(start != null && start.contains("scripts/ship.sh"), "stored fact: " + start);
    assertTrue(start.contains("pnpm"), "captured preference at SessionStart: " + start);
    assertTrue(start.startsWith("<omem-memories>"), "the local hooks' framing: " + start);
    String onPrompt =
        context(
            call(
                second,
                srv,
                HookEvent.USER_PROMPT_SUBMIT,
                "s3",
                "prompt",
                "Which script deploys the shop?"));
    assertTrue(
        onPrompt != null && onPrompt.contains("scripts/ship.sh"),
        "a related prompt recalls it: " + onPrompt);
    // what a session was shown is kept on its machine: the same prompt repeats nothing
    assertEquals(
        Map.of(),
        call(
            second,
            srv,
            HookEvent.USER_PROMPT_SUBMIT,
            "s3",
            "prompt",
            "Which script deploys the shop?"));
  }

  @Test
  void aStalledServerCostsAtMostTheBudgetAndTheCaptureWaitsQueuedAndRedacted() throws Exception {
    try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> accepted = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(stalled.accept()); // read nothing, answer nothing
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      HookResponder.Server srv = new HookResponder.Server(url(stalled.getLocalPort()), "k-123");
      Machine m = machine("stalled", HookHandlers.Budgets.DEFAULT);

      long t0 = System.nanoTime();
      assertEquals(Map.of(), call(m, srv, HookEvent.SESSION_START, "s1"));
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      assertEquals(
          Map.of(),
          call(m, srv, HookEvent.USER_PROMPT_SUBMIT, "s1", "prompt", "How do we deploy?"));
      long promptMs = (System.nanoTime() - t0) / 1_000_000;
      // The budgets are 2 s and 1 s; the slack is for a loaded 2-core machine.
      assertTrue(startMs >= 1_900 && startMs < 2_800, "SessionStart took " + startMs + " ms");
      assertTrue(promptMs >= 900 && promptMs < 1_800, "UserPromptSubmit took " + promptMs + " ms");
      assertFalse(accepted.isEmpty(), "the hooks did reach the stalled server");

      Path log = transcript("stalled", "Our staging password is in vault; key " + SECRET);
      t0 = System.nanoTime();
      assertEquals(
          Map.of(), call(m, srv, HookEvent.STOP, "stalled", "transcript_path", log.toString()));
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "Stop answers at once");
      assertTrue(m.hooks().awaitCaptures(Duration.ofSeconds(60)));
      List<Path> q = queued(m);
      assertEquals(1, q.size(), "the capture that could not be sent is queued");
      String file = Files.readString(q.get(0));
      assertTrue(file.contains("staging password"), file);
      assertFalse(file.contains(SECRET), "the queue holds the turn redacted: " + file);
      assertFalse(file.contains("k-123"), "the queue never holds the key");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(q.get(0))));
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(q.get(0).getParent())));
      accepted.forEach(
          s -> {
            try {
              s.close();
            } catch (IOException e) {
              // closing
            }
          });
    }
  }

  @Test
  void aCaptureMadeWhileTheServerIsDownIsDeliveredOnceItIsBack() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Tenant t = tenant(server.port()); // the same store answers on the port once it is back
    HookResponder.Server srv = new HookResponder.Server(url(port), t.key());
    Machine m = machine("offline");
    String fact = "I prefer yarn workspaces for the monorepo packages.";
    Path log = transcript("off", fact);
    call(m, srv, HookEvent.STOP, "off", "transcript_path", log.toString());
    assertTrue(m.hooks().awaitCaptures(Duration.ofSeconds(60)));
    assertEquals(1, queued(m).size(), "down: the capture is queued");
    Path kept = tmp.resolve("kept-chunk.json");
    Files.copy(queued(m).get(0), kept);

    try (OmemHttpServer back = serve(settings(port))) {
      assertEquals(port, back.port(), "back on the same address");
      // the next hook run sends what waits
      call(m, srv, HookEvent.SESSION_START, "off2");
      assertTrue(m.hooks().awaitCaptures(Duration.ofSeconds(60)));
      assertTrue(queued(m).isEmpty(), "delivered: the queue is empty");
      List<Memory> got = awaitOnServer(t, x -> x.content().contains("yarn"));
      assertEquals(1, got.size(), got.toString());

      // The answer was lost after the server applied it (the file is back): sent again with its
      // key, the server answers the first ingest's task again instead of ingesting twice.
      Files.copy(kept, m.home().resolve(CaptureQueue.DIR).resolve(kept.getFileName()));
      JsonNode chunk = JSON.readTree(kept.toFile());
      String key = chunk.path("idempotency_key").asText();
      try (RemoteMemoryService client = client(url(port), t.key())) {
        IngestRequest again =
            new IngestRequest(List.of(new IngestRequest.Message("user", fact)), "smart");
        IngestResult r1 = client.ingest(new Caller(null, null, "claude-code", "off"), again, key);
        IngestResult r2 = client.ingest(new Caller(null, null, "claude-code", "off"), again, key);
        assertEquals(r1.taskId(), r2.taskId(), "one key, one ingest");
        IngestResult fresh =
            client.ingest(new Caller(null, null, "claude-code", "off"), again, "another-key");
        assertNotEquals(r1.taskId(), fresh.taskId(), "a new key is a new ingest");
      }
      try (RemoteMemoryService client = client(url(port), t.key())) {
        String id = CaptureQueue.serverId(url(port), t.key());
        assertEquals(1, new CaptureQueue(m.home()).drain(id, client), "the resent chunk");
      }
      assertTrue(queued(m).isEmpty());
      Thread.sleep(500);
      assertEquals(1, serverMemories(t).stream().filter(x -> x.content().contains("yarn")).count());
    }
  }

  @Test
  void theHooksWorkWithWhatPlainOurmemOffers() throws Exception {
    Tenant t = tenant(plainServer.port());
    String base = url(plainServer.port());
    HookResponder.Server srv = new HookResponder.Server(base, t.key());
    // the server really is plain: an extension route is not there
    HttpResponse<String> tasks =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/tasks/abc"))
                    .header("X-API-Key", t.key())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(404, tasks.statusCode(), tasks.body());
    assertTrue(tasks.body().contains("\"not_found\""), tasks.body());

    Machine a = machine("plain-a");
    String fact = "I prefer Deno over Node for small scripts.";
    Path log = transcript("p1", fact);
    call(a, srv, HookEvent.STOP, "p1", "transcript_path", log.toString());
    assertTrue(a.hooks().awaitCaptures(Duration.ofSeconds(60)));
    assertTrue(queued(a).isEmpty(), "delivered without the tasks route");
    List<Memory> got = awaitOnServer(t, x -> x.content().contains("Deno"));
    assertEquals(1, got.size(), got.toString());
    try (RemoteMemoryService client = client(base, t.key())) {
      Memory ci =
          client.store(
              new Caller(null, PROJECT, "test", null),
              StoreRequest.of("The shop's CI is Buildkite"));
      assertEquals(null, ci.project(), "plain ourmem has no project header: " + ci);
    }

    Machine b = machine("plain-b");
    String start = context(call(b, srv, HookEvent.SESSION_START, "p2"));
    assertTrue(start != null && start.contains("Deno"), "SessionStart from list/profile: " + start);
    String prompt =
        context(
            call(
                b,
                srv,
                HookEvent.USER_PROMPT_SUBMIT,
                "p3",
                "prompt",
                "Which CI does the shop use?"));
    assertTrue(prompt != null && prompt.contains("Buildkite"), "search on a prompt: " + prompt);
  }
}
