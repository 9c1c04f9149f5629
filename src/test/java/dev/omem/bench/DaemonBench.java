package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stdio server in front of a warm daemon: time to the {@code initialize} answer, time to the
 * first tool answer (which connects to the daemon), and the memory of the thin stdio server and of
 * the daemon holding 1,000 memories. Not a test: {@code scripts/bench-daemon} runs it.
 *
 * <p>Usage: {@code DaemonBench <omem.jar> [runs] [extra JVM options for the stdio server...]}
 */
public final class DaemonBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DaemonBench() {}

  public static void main(String[] args) throws Exception {
    String jar = args[0];
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> jvm = List.of(args).subList(Math.min(2, args.length), args.length);
    Path home = Files.createTempDirectory("omem-daemon-bench");
    run(List.of("java", "-jar", jar, "daemon", "start", "--home", home.toString()));
    JsonNode daemon = JSON.readTree(home.resolve("daemon.json").toFile());
    try {
      double[] stores = seed(daemon, 1000);
      double[] last = java.util.Arrays.copyOfRange(stores, 500, stores.length);
      System.out.printf(
          "REST store through the daemon (stores 501-1,000): p50 %.1f ms, p95 %.1f ms%n",
          LatencyBench.pct(last, 50), LatencyBench.pct(last, 95));
      double[] searches = searches(daemon, 100);
      System.out.printf(
          "REST search through the daemon (1,000 memories, 100 queries): p50 %.1f ms, p95 %.1f ms%n",
          LatencyBench.pct(searches, 50), LatencyBench.pct(searches, 95));
      measure(jar, runs, jvm, home);
      Path archive = awaitArchive(home);
      List<String> withCds = new ArrayList<>(jvm);
      withCds.add("-XX:SharedArchiveFile=" + archive);
      withCds.add("-Xlog:disable");
      withCds.add("-Xlog:all=error:stderr");
      measure(jar, runs, withCds, home);
      long pid = daemon.get("pid").asLong();
      System.out.printf(
          "daemon (1,000 memories, model loaded): VmRSS %.0f MiB, VmHWM %.0f MiB%n",
          status(pid, "VmRSS") / 1024.0, status(pid, "VmHWM") / 1024.0);
    } finally {
      run(List.of("java", "-jar", jar, "daemon", "stop", "--home", home.toString()));
    }
  }

  /** The start-up archive the daemon makes in the background (ClassDataArchive). */
  private static Path awaitArchive(Path home) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      Path dir = home.resolve("cds");
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          Optional<Path> jsa = files.filter(f -> f.toString().endsWith(".jsa")).findFirst();
          if (jsa.isPresent()) {
            return jsa.get();
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the daemon made no start-up archive in " + home);
  }

  private static void measure(String jar, int runs, List<String> jvm, Path home) throws Exception {
    if (runs > 0) {
      double[] init = new double[runs];
      double[] first = new double[runs];
      long[] rss = new long[runs];
      for (int i = 0; i < runs; i++) {
        long[] r = stdioRun(jar, jvm, home);
        init[i] = r[0] / 1e6;
        first[i] = r[1] / 1e6;
        rss[i] = r[2];
      }
      System.out.printf(
          "stdio server with a warm daemon, %d runs, JVM options %s%n",
          runs, jvm.isEmpty() ? "none" : jvm);
      System.out.printf(
          "  initialize answered: p50 %.0f ms, p95 %.0f ms%n",
          LatencyBench.pct(init, 50), LatencyBench.pct(init, 95));
      System.out.printf(
          "  first memory_search answered (from spawn): p50 %.0f ms, p95 %.0f ms%n",
          LatencyBench.pct(first, 50), LatencyBench.pct(first, 95));
      double[] mib = new double[runs];
      for (int i = 0; i < runs; i++) {
        mib[i] = rss[i] / 1024.0;
      }
      System.out.printf(
          "  stdio server peak RSS (VmHWM): p50 %.0f MiB%n", LatencyBench.pct(mib, 50));
    }
  }

  /** {@code n} searches through the daemon's REST API; each one's time in ms. */
  private static double[] searches(JsonNode daemon, int n) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + daemon.get("port").asInt();
    SyntheticMemories gen = new SyntheticMemories(11);
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      String q = java.net.URLEncoder.encode(gen.memory(), StandardCharsets.UTF_8);
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/v1/memories/search?scope=all&min_score=0&q=" + q))
                  .header("X-API-Key", daemon.get("token").asText())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("search failed: " + r.statusCode() + " " + r.body());
      }
    }
    return ms;
  }

  /** Stores {@code n} varied memories through the daemon's REST API; each one's time in ms. */
  private static double[] seed(JsonNode daemon, int n) throws Exception {
    double[] ms = new double[n];
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + daemon.get("port").asInt();
    SyntheticMemories gen = new SyntheticMemories(7);
    for (int i = 0; i < n; i++) {
      String body = JSON.writeValueAsString(java.util.Map.of("content", gen.memory()));
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/memories"))
                  .header("X-API-Key", daemon.get("token").asText())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 201) {
        throw new IllegalStateException("seeding failed: " + r.statusCode() + " " + r.body());
      }
    }
    return ms;
  }

  /** One stdio server: [ns to initialize, ns to first search answer, peak RSS in KiB]. */
  private static long[] stdioRun(String jar, List<String> jvm, Path home) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", jar, "mcp"));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OMEM_HOME", home.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
              + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
      expect(out.readLine(), "\"id\":1");
      long init = System.nanoTime() - t0;
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      send(
          in,
          "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
              + "\"memory_search\",\"arguments\":{\"query\":\"which database do we use\"}}}");
      expect(out.readLine(), "\"id\":2");
      long firstCall = System.nanoTime() - t0;
      long rss = status(p.pid(), "VmHWM");
      return new long[] {init, firstCall, rss};
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static void send(OutputStream in, String line) throws Exception {
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  private static void expect(String line, String marker) {
    if (line == null || !line.contains(marker) || line.contains("\"isError\":true")) {
      throw new IllegalStateException("unexpected answer: " + line);
    }
  }

  /** A {@code /proc/<pid>/status} field in KiB. */
  private static long status(long pid, String field) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith(field + ":")) {
        return Long.parseLong(l.replaceAll("\\D+", ""));
      }
    }
    return -1;
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
