package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.net.httpserver.HttpServer;
import dev.omem.testing.BuiltJar;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OMEM_HOOKS=off}, which the agent-CLI extractor sets for the CLI it runs: the hook script
 * answers {@code {}} without calling the daemon or starting one, and {@code omem hook} answers
 * {@code {}} without opening a store. A guard for when hooks run in that CLI after all.
 */
class HooksOffIT {
  static final Path SCRIPT = Path.of("plugins/claude-code/hooks/omem-hook").toAbsolutePath();
  static final String STOP =
      "{\"session_id\":\"s-off\",\"transcript_path\":\"/nonexistent.jsonl\",\"cwd\":\"/tmp\","
          + "\"hook_event_name\":\"Stop\"}";

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  Run run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OMEM_"));
    pb.environment().putAll(env);
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().write(STOP.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the hook did not finish");
    }
    return new Run(p.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
  }

  @Test
  void theHookScriptCallsNoDaemon() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer daemon =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    daemon.createContext(
        "/",
        ex -> {
          calls.incrementAndGet();
          byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    daemon.start();
    try {
      Path home = Files.createDirectories(tmp.resolve("data"));
      // The stub daemon runs in this JVM: the script posts only to a live daemon of the user's.
      Files.writeString(
          home.resolve("daemon.json"),
          "{\"pid\":"
              + ProcessHandle.current().pid()
              + ",\"port\":"
              + daemon.getAddress().getPort()
              + ",\"token\":\"t0k3n\"}");
      Map<String, String> env =
          Map.of("OMEM_HOME", home.toString(), "OMEM_JAR", tmp.resolve("none.jar").toString());
      Run on = run(List.of("bash", SCRIPT.toString(), "Stop"), env);
      assertEquals(1, calls.get(), "without the variable the script posts to the daemon: " + on);

      Run off =
          run(
              List.of("bash", SCRIPT.toString(), "Stop"),
              Map.of(
                  "OMEM_HOME", home.toString(),
                  "OMEM_JAR", tmp.resolve("none.jar").toString(),
                  "OMEM_HOOKS", "off"));
      assertEquals(new Run(0, "{}", ""), off);
      assertEquals(1, calls.get(), "with OMEM_HOOKS=off no request reached the daemon");
    } finally {
      daemon.stop(0);
    }
  }

  @Test
  void omemHookOpensNoStore() throws Exception {
    Path home = tmp.resolve("data-cli");
    Run off =
        run(
            List.of("java", "-jar", BuiltJar.path().toString(), "hook", "Stop"),
            Map.of("OMEM_HOME", home.toString(), "OMEM_HOOKS", "off", "OMEM_DAEMON", "off"));
    assertEquals(new Run(0, "{}", ""), off);
    assertFalse(Files.exists(home.resolve("omem.db")), "no store was opened");
  }
}
