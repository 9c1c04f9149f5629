package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a person runs it: the built jar in a child process, with the store in-process ({@code
 * OMEM_DAEMON=off}, the fallback when no daemon can start); the daemon has its own tests.
 */
class CliIT {
  static final String JAR = BuiltJar.path().toString();

  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  /**
   * Runs {@code cmd} in {@code work} with stdin closed, its environment changed by {@code env} (a
   * null value removes the variable), failing the test after {@code seconds}.
   */
  /**
   * {@code omem ARGS --home HOME} in {@code work} with the local daemon allowed (no remote server),
   * plus {@code env}.
   */
  static Run omemWithDaemon(
      Path home, Path work, java.util.Map<String, String> env, int seconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    java.util.Map<String, String> all = new java.util.HashMap<>(env);
    all.put("OMEM_DAEMON", null);
    all.put("OMEM_API_URL", null);
    return run(cmd, work, all, seconds);
  }

  static Run run(List<String> cmd, Path work, java.util.Map<String, String> env, int seconds)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Process p =
        pb.directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  Run omem(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    return run(cmd, work, java.util.Map.of("OMEM_DAEMON", "off"), 120);
  }

  @Test
  void storeSearchGetUpdateForgetAsJson() throws Exception {
    Run stored = omem("store", "--json", "--tag", "ops", "Deploys", "go", "through", "ArgoCD");
    assertEquals(0, stored.code(), stored.err());
    JsonNode m = new ObjectMapper().readTree(stored.out());
    String id = m.get("id").asText();
    assertEquals("Deploys go through ArgoCD", m.get("content").asText());
    assertEquals("ops", m.get("tags").get(0).asText());
    omem("store", "The staging database is Postgres 15");

    Run found =
        omem("search", "--json", "--min-score", "0", "how do we ship releases to production");
    assertEquals(0, found.code(), found.err());
    JsonNode results = new ObjectMapper().readTree(found.out()).get("results");
    assertEquals(id, results.get(0).get("id").asText());

    Run updated = omem("update", id, "--content", "Deploys go through Spinnaker", "--json");
    assertEquals(0, updated.code(), updated.err());
    assertEquals(2, new ObjectMapper().readTree(updated.out()).get("version").asInt());
    assertTrue(omem("get", id).out().contains("Spinnaker"));

    assertEquals(0, omem("forget", id).code());
    Run after = omem("search", "--json", "Spinnaker deploys");
    assertFalse(after.out().contains(id), "a forgotten memory is not found");

    Run list = omem("list", "--json");
    assertEquals(1, new ObjectMapper().readTree(list.out()).get("total_count").asInt());
    Run doctor = omem("doctor", "--json");
    assertEquals(0, doctor.code(), doctor.err());
    JsonNode health = new ObjectMapper().readTree(doctor.out());
    assertEquals(0, health.get("index_lag").asInt());
    assertEquals(2, health.get("index_documents").asInt());
    assertEquals("ready", health.get("model_status").asText());
  }

  @Test
  void decayPromotesAMemoryUsedThreeTimesAndSaysWhatChanged() throws Exception {
    Run stored = omem("store", "--json", "Integration", "tests", "use", "Testcontainers");
    String id = new ObjectMapper().readTree(stored.out()).get("id").asText();
    for (int i = 0; i < 3; i++) {
      assertEquals(0, omem("get", id).code());
    }
    Run pass = omem("decay", "--json");
    assertEquals(0, pass.code(), pass.err());
    JsonNode r = new ObjectMapper().readTree(pass.out());
    assertEquals(1, r.get("examined").asInt());
    assertEquals(1, r.get("promoted").asInt());
    assertEquals(1, r.get("transitions").get("peripheral->working").asInt());
    Run again = omem("decay");
    assertEquals(0, again.code(), again.err());
    assertTrue(
        again.out().startsWith("Examined 1 active memories: 0 promoted, 0 demoted, 0 archived"),
        again.out());
  }

  @Test
  void badInputExitsNonZeroWithOneLineOnStderrAndStoresNothing() throws Exception {
    assertOneLineError(omem("store", " "), "content is required");
    assertOneLineError(omem("get", "nope"), "not a memory id");
    assertOneLineError(omem("get", "3f2a9c1e-0000-4000-8000-000000000000"), "no memory with id");
    assertOneLineError(omem("store", "--category", "recipes", "x y z"), "unknown category");
    assertOneLineError(omem("search", "--limit", "0", "anything"), "limit must be between");
    assertOneLineError(omem("search", "--bogus", "x"), "Unknown option");
    Run list = omem("list", "--json");
    assertEquals(0, new ObjectMapper().readTree(list.out()).get("total_count").asInt());
  }

  static void assertOneLineError(Run r, String expected) {
    assertNotEquals(0, r.code());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("omem: ") && err.contains(expected), err);
  }

  @Test
  void reindexRebuildsTheIndexAndEverythingIsFoundAgain() throws Exception {
    omem("store", "Feature flags live in LaunchDarkly");
    Run r = omem("reindex");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("Reindexed 1 memories"), r.out());
    assertTrue(
        omem("search", "--min-score", "0", "LaunchDarkly")
            .out()
            .contains("Feature flags live in LaunchDarkly"));
  }

  @Test
  void aSecondProcessOnTheSameDataDirGetsAClearMessage() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR, "mcp", "--home", home.toString());
    pb.environment().put("OMEM_DAEMON", "off");
    pb.environment().put("OMEM_STORE_IDLE_SECONDS", "300"); // holds it for the whole test
    Process holder =
        pb.redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start(); // stdin stays open: the server runs until we close it
    try {
      // The store opens at the session's first call (and is given back when it goes idle).
      holder
          .getOutputStream()
          .write(
              ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                      + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}\n"
                      + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                      + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                      + "{\"name\":\"memory_list\",\"arguments\":{}}}\n")
                  .getBytes(StandardCharsets.UTF_8));
      holder.getOutputStream().flush();
      Path lock = home.resolve("omem.lock");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(lock) && Files.size(lock) > 0) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(
          String.valueOf(holder.pid()),
          Files.readString(lock, StandardCharsets.UTF_8).lines().findFirst().orElse(""));
      Run second = omem("list");
      assertOneLineError(second, "in use by another omem process (pid " + holder.pid() + ")");
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "mcp server exits when stdin closes");
    }
    assertEquals(0, omem("list").code(), "the lock is released when the holder exits");
  }
}
