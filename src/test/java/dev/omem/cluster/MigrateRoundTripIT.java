package dev.omem.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import dev.omem.testing.PostgresCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem migrate} through the built jar: a team server on SQLite is filled over HTTP and
 * stopped, its home migrated into a real PostgreSQL, and {@code omem serve --database} on the
 * target answers the same key's searches with the same ids in the same order as the SQLite server
 * started again on the source, and lists as many memories.
 */
class MigrateRoundTripIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(120);
  private static final List<String> FACTS =
      List.of(
          "The staging database is Postgres 15 on db-staging.internal",
          "Releases are cut from the release branch every Thursday",
          "The team prefers tabs over spaces and a 100 column limit",
          "Deploy credentials are kept in Vault under secret/deploy",
          "CI runs unit tests, spotless and the integration suite",
          "The on-call rotation changes every Monday at 10:00",
          "Feature flags live in LaunchDarkly",
          "Metrics are scraped by Prometheus every 15 seconds");
  private static final List<String> QUERIES =
      List.of(
          "which SQL server do we test against",
          "how are releases made",
          "code formatting",
          "where are secrets kept",
          "monitoring");

  @TempDir Path work;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void aMigratedStoreAnswersAsItsSource() throws Exception {
    String url = PostgresCluster.shared().newDatabase("migrate_it");
    Path source = work.resolve("source");
    String key;
    Process sqlite = serve(source, null, "source-1");
    int port = port(sqlite);
    try {
      awaitReady(sqlite, port, "source-1");
      HttpResponse<String> t = post(port, "/v1/tenants", null, "{\"name\":\"team\"}");
      assertEquals(201, t.statusCode(), t.body());
      key = JSON.readTree(t.body()).path("api_key").asText();
      for (String f : FACTS) {
        HttpResponse<String> r =
            post(port, "/v1/memories", key, JSON.writeValueAsString(Map.of("content", f)));
        assertEquals(201, r.statusCode(), r.body());
      }
    } finally {
      stop(sqlite);
    }

    Process migrate =
        new ProcessBuilder(
                java(),
                "-jar",
                BuiltJar.path().toString(),
                "migrate",
                "--from",
                source.toString(),
                "--to",
                url)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("migrate.log").toFile())
            .start();
    assertTrue(migrate.waitFor(120, TimeUnit.SECONDS), "migrate finished");
    String out = Files.readString(work.resolve("migrate.log"));
    assertEquals(0, migrate.exitValue(), out);
    assertTrue(out.matches("(?s).*\\nmemories +8 +8\\n.*"), out);

    Process a = serve(source, null, "source-2");
    Process b = serve(work.resolve("node"), url, "target");
    try {
      int pa = port(a);
      int pb = port(b);
      awaitReady(a, pa, "source-2");
      awaitReady(b, pb, "target");
      assertEquals(total(pa, key), total(pb, key));
      assertEquals(FACTS.size(), total(pb, key));
      // Vectors of memories stored before the model was loaded are made in the background on
      // both sides (the same model, the same vectors): wait until both have settled.
      Map<String, List<String>> fromSource = null;
      Map<String, List<String>> fromTarget = null;
      long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < end) {
        fromSource = searches(pa, key);
        fromTarget = searches(pb, key);
        // Equal while both still rank by words alone is not settled: a query that shares no word
        // with any fact finds nothing until the vectors are there.
        if (fromSource.equals(fromTarget)
            && fromTarget.values().stream().noneMatch(List::isEmpty)) {
          break;
        }
        Thread.sleep(500);
      }
      assertEquals(fromSource, fromTarget, "the same ids in the same order for every query");
      for (List<String> ids : fromTarget.values()) {
        assertTrue(!ids.isEmpty(), fromTarget.toString());
      }
    } finally {
      stop(a);
      stop(b);
    }
  }

  private Map<String, List<String>> searches(int port, String key) throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String q : QUERIES) {
      HttpResponse<String> r =
          get(
              port,
              "/v1/memories/search?scope=all&min_score=0&count_access=false&limit=5&q="
                  + URLEncoder.encode(q, StandardCharsets.UTF_8),
              key);
      assertEquals(200, r.statusCode(), r.body());
      List<String> ids = new ArrayList<>();
      for (JsonNode hit : JSON.readTree(r.body()).path("results")) {
        ids.add(hit.path("memory").path("id").asText());
      }
      out.put(q, ids);
    }
    return out;
  }

  private long total(int port, String key) throws Exception {
    HttpResponse<String> r = get(port, "/v1/memories?scope=all&limit=1", key);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("total_count").asLong();
  }

  private final Map<Process, Integer> ports = new java.util.HashMap<>();

  private Process serve(Path home, String database, String name) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                java(),
                "-Xmx384m",
                "-jar",
                BuiltJar.path().toString(),
                "serve",
                "--home",
                home.toString(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()));
    pb.environment().put("OMEM_DAEMON", "off");
    pb.environment().remove("OMEM_DATABASE_URL");
    if (database != null) {
      pb.environment().put("OMEM_DATABASE_URL", database);
    }
    Process p = pb.start();
    ports.put(p, port);
    return p;
  }

  private int port(Process p) {
    return ports.get(p);
  }

  private void awaitReady(Process p, int port, String name) throws Exception {
    long end = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        fail(
            name
                + " exited "
                + p.exitValue()
                + ":\n"
                + Files.readString(work.resolve(name + ".log")));
      }
      try {
        if (get(port, "/ready", null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    fail(name + " not ready:\n" + Files.readString(work.resolve(name + ".log")));
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM: a clean shutdown releases the home's lock
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private HttpResponse<String> get(int port, String path, String key)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path, String key, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
