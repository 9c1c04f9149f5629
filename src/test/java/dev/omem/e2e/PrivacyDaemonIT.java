package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.ingest.PrivacyCorpus;
import dev.omem.testing.BuiltJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy scan through the real processes: {@code omem mcp} (the daemon's thin client) stores
 * the privacy corpus in content, tags and source and ingests it as turns; the daemon writes its
 * database, WAL, index and {@code daemon.log}. Then every byte of every file under the home is
 * read, recursively, and no secret may be in any of them; and no file or directory is readable by
 * another user. A query over the limit through the thin client gets the query-length message.
 */
class PrivacyDaemonIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private int id = 1;

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", BuiltJar.path().toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", home.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("OMEM_DAEMON");
    pb.environment().remove("OMEM_API_URL");
    return pb.start();
  }

  @AfterEach
  void stopDaemon() throws Exception {
    Process p = start("daemon", "stop");
    p.getOutputStream().close();
    p.waitFor(60, TimeUnit.SECONDS);
  }

  private JsonNode call(OutputStream in, BufferedReader out, String method, Object params)
      throws IOException {
    int n = id++;
    in.write(
        (JSON.writeValueAsString(
                    Map.of("jsonrpc", "2.0", "id", n, "method", method, "params", params))
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    in.flush();
    for (String line; (line = out.readLine()) != null; ) {
      JsonNode a = JSON.readTree(line);
      if (a.path("id").asInt(-1) == n) {
        return a;
      }
    }
    throw new AssertionError("omem mcp closed stdout");
  }

  private JsonNode tool(OutputStream in, BufferedReader out, String name, Object args)
      throws IOException {
    JsonNode a = call(in, out, "tools/call", Map.of("name", name, "arguments", args));
    assertTrue(a.has("result"), a.toString());
    return a.get("result");
  }

  @Test
  void noSecretInAnyFileOfTheHomeAndNothingReadableByOthers() throws Exception {
    List<PrivacyCorpus.Secret> corpus = PrivacyCorpus.secrets();
    Process mcp = start("mcp");
    try (OutputStream in = mcp.getOutputStream();
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8))) {
      call(
          in,
          out,
          "initialize",
          Map.of(
              "protocolVersion",
              "2025-06-18",
              "capabilities",
              Map.of(),
              "clientInfo",
              Map.of("name", "privacy-it", "version", "1")));
      in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n".getBytes());
      in.flush();
      List<Map<String, String>> turns = new ArrayList<>();
      for (int i = 0; i < corpus.size(); i++) {
        PrivacyCorpus.Secret s = corpus.get(i);
        String oneLine = s.text().replace("\n", " ");
        // A bare secret is a tag where its shape says it is one (AKIA…, ghp_…); a bare AWS
        // secret key or "hunter2!" is not recognisable alone, so the text around it goes there.
        String tag =
            Stream.of(s.secret(), oneLine)
                .filter(t -> t.length() <= 64 && !t.contains("\n"))
                .filter(t -> dev.omem.ingest.Redactor.redact(t).changed())
                .findFirst()
                .orElse("t" + i);
        JsonNode r =
            tool(
                in,
                out,
                "memory_store",
                Map.of(
                    "content",
                    "Daemon note " + i + ": " + s.text(),
                    "tags",
                    List.of(tag),
                    "source",
                    oneLine.length() > 190 ? oneLine.substring(0, 190) : oneLine));
        assertFalse(r.path("isError").asBoolean(), r.toString());
        turns.add(Map.of("role", "user", "content", "We agreed the credential is " + s.text()));
      }
      JsonNode ingest =
          tool(in, out, "memory_ingest", Map.of("messages", turns, "mode", "raw", "wait", 30));
      assertFalse(ingest.path("isError").asBoolean(), ingest.toString());
      JsonNode longQuery = tool(in, out, "memory_search", Map.of("query", "q".repeat(9000)));
      assertTrue(longQuery.path("isError").asBoolean(), longQuery.toString());
      assertTrue(
          longQuery.toString().contains("query is 9000 characters; the limit is 4000"),
          longQuery.toString());
    }
    assertTrue(mcp.waitFor(60, TimeUnit.SECONDS), "omem mcp exits when stdin closes");
    stopDaemon(); // the daemon commits its index and closes the store

    List<String> needles = new ArrayList<>();
    for (PrivacyCorpus.Secret s : corpus) {
      for (String line : s.secret().split("\n")) {
        if (!line.startsWith("-----")) {
          needles.add(line);
        }
      }
    }
    List<String> files = new ArrayList<>();
    List<String> loose = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        String mode =
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        // A start-up archive the JVM is still dumping (cds/<archive>.<pid>, which the JVM makes
        // 0444) when the daemon is stopped: inside cds/, which is 0700 (checked here too), and
        // removed by the next daemon (ClassDataArchive.removeLeftovers).
        boolean dumping = p.getParent().endsWith("cds") && p.toString().matches(".*\\.jsa\\.\\d+");
        if (!mode.endsWith("------") && !dumping) {
          loose.add(home.relativize(p) + " " + mode);
        }
        if (Files.isRegularFile(p)) {
          files.add(home.relativize(p).toString());
          String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
          for (String n : needles) {
            assertFalse(bytes.contains(n), home.relativize(p) + " holds " + n);
          }
        }
      }
    }
    assertTrue(files.contains("omem.db"), files.toString());
    assertTrue(files.contains("daemon.log"), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.startsWith("index/")), files.toString());
    assertEquals(List.of(), loose, "readable by other users");
  }
}
