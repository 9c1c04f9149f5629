package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.ScoredMemory;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.Caller;
import dev.omem.service.ListRequest;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import dev.omem.service.StoreRequest;
import dev.omem.service.Tenants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The divergences issue 15 found between the in-process service and the same call over the wire,
 * each fixed and shown here against a real server (Jetty on loopback over a real store): a search
 * without a limit, and a search that must not count as an access.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireDefaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STORED = 25;

  @TempDir static Path home;
  private LocalMemoryService local;
  private OmemHttpServer server;
  private RemoteMemoryService remote;
  private Caller inProcess;
  private String key;

  @BeforeAll
  void start() throws Exception {
    local = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(local.awaitModel(Duration.ofSeconds(120)), "model loads");
    server =
        OmemHttpServer.start(
            local, local.tenants(), ServeSettings.defaults("127.0.0.1", 0), "wire-defaults");
    Tenants.NewTenant t = local.tenants().create("wire");
    key = t.apiKey();
    inProcess = new Caller(t.id(), null, null, null);
    remote = RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), key);
    for (int i = 0; i < STORED; i++) {
      remote.store(
          Caller.local(null),
          StoreRequest.of("Deploy step " + i + ": run the kubernetes rollout for service s" + i));
    }
  }

  @AfterAll
  void stop() {
    remote.close();
    server.close();
    local.close();
  }

  /** Everything above the floor, so that only the limit decides how many come back. */
  private static SearchRequest unlimited(boolean countAccess) {
    return SearchRequest.builder("kubernetes rollout deploy")
        .minScore(0.0)
        .countAccess(countAccess)
        .build();
  }

  @Test
  void aSearchWithoutLimitGivesTheSameTenInProcessAndOverTheWire() throws Exception {
    List<ScoredMemory> here = local.search(inProcess, unlimited(true)).results();
    List<ScoredMemory> there = remote.search(Caller.local(null), unlimited(true)).results();
    assertEquals(10, here.size());
    // Before issue 15 the remote client sent no limit and the server's REST default gave 20.
    assertEquals(ids(here), ids(there));

    // The REST dialect itself keeps ourmem's default of 20.
    HttpResponse<String> rest =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.port()
                                + "/v1/memories/search?q=kubernetes+rollout+deploy&min_score=0"))
                    .header("X-API-Key", key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, rest.statusCode(), rest.body());
    JsonNode results = JSON.readTree(rest.body()).path("results");
    assertEquals(20, results.size());
  }

  @Test
  void aSearchThatMustNotCountAccessesDoesNotOverTheWire() throws Exception {
    Memory m =
        remote.store(
            Caller.local(null), StoreRequest.of("The staging cluster runs on zebrafish-07 nodes"));
    SearchRequest quiet =
        SearchRequest.builder("zebrafish-07 staging cluster")
            .limit(1)
            .minScore(0.0)
            .countAccess(false)
            .build();
    assertEquals(m.id(), remote.search(Caller.local(null), quiet).results().get(0).memory().id());
    // An explicit search after it counts once; had the quiet one counted, the total would be 2.
    SearchRequest counted = SearchRequest.builder(quiet.query()).limit(1).minScore(0.0).build();
    remote.search(Caller.local(null), counted);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (accesses(m.id()) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(300); // a late second count would show here
    assertEquals(1, accesses(m.id()));
  }

  @Test
  void askingWhetherACopyIsStaleIsNoAccessOverTheWire() throws Exception {
    Memory m =
        remote.store(Caller.local(null), StoreRequest.of("Release notes live in docs/releases"));
    // An original is no shared copy: nothing to say, in-process and over the wire alike.
    assertEquals(null, local.staleInfo(inProcess, m.id()));
    assertEquals(null, remote.staleInfo(Caller.local(null), m.id()));
    // Before issue 15 the remote client fetched the memory to ask, and a fetch counts an access.
    Thread.sleep(500);
    assertEquals(0, accesses(m.id()));
  }

  /** Read without counting (a listing is not an access). */
  private long accesses(String id) {
    return local
        .list(inProcess, ListRequest.builder().limit(200).scope("all").build())
        .memories()
        .stream()
        .filter(x -> x.id().equals(id))
        .findFirst()
        .orElseThrow()
        .accessCount();
  }

  private static List<String> ids(List<ScoredMemory> results) {
    return results.stream().map(s -> s.memory().id()).toList();
  }
}
