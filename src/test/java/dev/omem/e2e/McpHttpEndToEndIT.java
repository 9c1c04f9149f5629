package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/mcp-http-e2e.mjs}: the official MCP TypeScript SDK client drives {@code
 * java -jar target/omem.jar serve} over Streamable HTTP at {@code /mcp}, next to the REST API. This
 * class starts the real jar on a free loopback port (read from {@code daemon.json}), creates two
 * tenants over REST, hands the node test the URL and both keys, and stops the server at the end.
 * Needs Node.js on the PATH (skipped without it, except under CI).
 */
class McpHttpEndToEndIT {
  private static final long NODE_TEST_MINUTES = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void officialMcpClientDrivesTheHttpServer() throws Exception {
    Path jar = BuiltJar.path();
    NodeRunner.requireNode("the MCP over HTTP end-to-end test");
    Path home = work.resolve("home");
    Path log = work.resolve("serve.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server =
        new ProcessBuilder(
                java.toString(),
                "-jar",
                jar.toString(),
                "serve",
                "--home",
                home.toString(),
                "--port",
                "0")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      JsonNode daemon = awaitDaemonFile(server, home, log);
      String url = "http://127.0.0.1:" + daemon.path("port").asInt();
      System.out.println("omem serve (pid " + server.pid() + ") listening on " + url);

      HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(url + "/health")));
      assertEquals(200, health.statusCode(), health.body());
      String keyA = createTenant(url, "tenant-a");
      String keyB = createTenant(url, "tenant-b");
      assertFalse(keyA.equals(keyB), "two tenants, two keys");

      runScript("mcp-http-e2e.mjs", "the MCP over HTTP end-to-end test", url, keyA, keyB, log);
      // ourmem's MCP client's requests (issue 17), on the same server, two tenants of their own.
      runScript(
          "ourmem-client-e2e.mjs",
          "the ourmem client end-to-end test",
          url,
          createTenant(url, "alice"),
          createTenant(url, "bob"),
          log);

      // Stop it the way a service manager does (SIGTERM): it exits, and its shutdown hook
      // removes the daemon file and closes the port.
      server.destroy();
      assertTrue(
          server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          "omem serve did not exit within " + STOP_TIMEOUT + " of SIGTERM:\n" + tail(log));
      int exit = server.exitValue();
      assertTrue(exit == 0 || exit == 143, "exit code " + exit + " after SIGTERM:\n" + tail(log));
      assertFalse(
          Files.exists(home.resolve("daemon.json")),
          "daemon.json is removed when the server stops");
      assertThrows(
          ConnectException.class,
          () -> send(HttpRequest.newBuilder(URI.create(url + "/health"))),
          "the port is closed after the server stopped");
    } finally {
      if (server.isAlive()) {
        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Runs a node test script against the server with two tenants' keys; the log on failure. */
  private static void runScript(
      String script, String what, String url, String keyA, String keyB, Path log) throws Exception {
    try {
      NodeRunner.runTestScript(
          script,
          what,
          env -> {
            env.put("OMEM_URL", url);
            env.put("OMEM_KEY_A", keyA);
            env.put("OMEM_KEY_B", keyB);
          },
          NODE_TEST_MINUTES);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + tail(log), e);
    }
  }

  /** Waits for the server's daemon.json (written once the port is bound) and returns it. */
  private static JsonNode awaitDaemonFile(Process server, Path home, Path log) throws Exception {
    Path file = home.resolve("daemon.json");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        fail("omem serve exited with " + server.exitValue() + " before listening:\n" + tail(log));
      }
      if (Files.isRegularFile(file)) {
        try {
          JsonNode j = JSON.readTree(Files.readAllBytes(file));
          if (j.path("pid").asLong() == server.pid() && j.path("port").asInt() > 0) {
            return j;
          }
        } catch (IOException e) {
          // written atomically, so this is a file of another process; wait
        }
      }
      Thread.sleep(100);
    }
    fail("omem serve wrote no daemon.json within " + START_TIMEOUT + ":\n" + tail(log));
    return null;
  }

  private String createTenant(String url, String name) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(url + "/v1/tenants"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
    assertEquals(201, r.statusCode(), "POST /v1/tenants: " + r.body());
    JsonNode j = JSON.readTree(r.body());
    String key = j.path("api_key").asText();
    assertTrue(key.length() > 20, "an api_key: " + r.body());
    assertFalse(key.equals(j.path("id").asText()), "the key is not the public id");
    return key;
  }

  private HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
    return http.send(
        req.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log, StandardCharsets.UTF_8);
      return "----- omem serve log (last 4000 chars) -----\n"
          + s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return "(no server log: " + e + ")";
    }
  }
}
