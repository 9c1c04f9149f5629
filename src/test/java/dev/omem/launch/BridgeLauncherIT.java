package dev.omem.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' choice between the Node bridge ({@code plugins/claude-code/bin/omem-bridge.js}: no
 * JVM per session in front of the daemon) and the plain jar: the bridge for {@code omem mcp} when
 * node and the bridge file are there, the plain jar in every other case, and the bridge itself
 * handing the session to the plain jar when no daemon can start. Stand-ins for {@code java} and
 * {@code node} print what they were given; the bridge's own MCP behaviour is {@code
 * McpBridgeEndToEndIT}'s.
 */
class BridgeLauncherIT {
  static final Path BRIDGE = LauncherIT.BASE.resolve("plugins/claude-code/bin/omem-bridge.js");

  @TempDir Path tmp;
  Path home;
  Path fakeJdk;
  Path fakeNode;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    fakeJdk = LauncherIT.fakeJdk(tmp.resolve("jdk"), "17.0.2", "printf 'JAVA %s\\n' \"$*\"");
    fakeNode = Files.createDirectories(tmp.resolve("nodebin"));
    Path node = fakeNode.resolve("node");
    Files.writeString(node, "#!/bin/sh\nprintf 'NODE %s\\n' \"$*\"\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  Map<String, String> env(String path) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", path);
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", fakeJdk.toString());
    return env;
  }

  Map<String, String> withNode() {
    return env(fakeNode + ":" + System.getenv("PATH"));
  }

  @Test
  void mcpGoesThroughTheBridgeWhenNodeAndTheBridgeAreThere() throws Exception {
    for (String[] args : List.of(new String[0], new String[] {"mcp"})) {
      LauncherIT.Run r = LauncherIT.run(LauncherIT.SCRIPTS_OMEM, withNode(), args);
      assertEquals(0, r.code(), r.toString());
      String out = r.out().strip();
      assertTrue(out.startsWith("NODE " + BRIDGE.toRealPath()), out);
      assertTrue(out.contains("--java " + fakeJdk.resolve("bin/java")), out);
      List<String> words = List.of(out.split(" "));
      Path jar = Path.of(words.get(words.indexOf("--jar") + 1));
      assertEquals(BuiltJar.path().toRealPath(), jar.toRealPath(), out);
      assertTrue(out.contains("--home " + home.resolve(".omem")), out);
      // The thin client's JVM options go along for the `daemon start` the bridge may run.
      assertTrue(out.contains("--java-opt -XX:+UseSerialGC"), out);
    }
  }

  @Test
  void everyOtherCaseRunsThePlainJar() throws Exception {
    // Another command.
    assertPlainJar(LauncherIT.run(LauncherIT.SCRIPTS_OMEM, withNode(), "stats"), "stats");
    // The store in this process, a remote server, or the bridge turned off.
    for (String[] setting :
        List.of(
            new String[] {"OMEM_DAEMON", "off"},
            new String[] {"OMEM_API_URL", "https://omem.example"},
            new String[] {"OMEM_BRIDGE", "off"})) {
      Map<String, String> e = withNode();
      e.put(setting[0], setting[1]);
      assertPlainJar(LauncherIT.run(LauncherIT.SCRIPTS_OMEM, e, "mcp"), "mcp");
    }
    // No node on the PATH.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("bash", "readlink", "sed", "head", "dirname")) {
      Path real = LauncherIT.whichOrNull(tool);
      if (real != null) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
    assertPlainJar(LauncherIT.run(LauncherIT.SCRIPTS_OMEM, env(bin.toString()), "mcp"), "mcp");
    // A launcher with no bridge beside it (an older install): node alone changes nothing.
    Path lone = Files.createDirectories(tmp.resolve("lone/bin")).resolve("omem");
    Files.copy(LauncherIT.LAUNCHER, lone, StandardCopyOption.COPY_ATTRIBUTES);
    Map<String, String> e = withNode();
    e.put("OMEM_JAR", BuiltJar.path().toString());
    assertPlainJar(LauncherIT.run(lone, e, "mcp"), "mcp");
  }

  static void assertPlainJar(LauncherIT.Run r, String command) {
    assertEquals(0, r.code(), r.toString());
    String out = r.out().strip();
    assertTrue(out.startsWith("JAVA "), out);
    assertTrue(out.endsWith(" " + command), out);
  }

  /**
   * The real bridge with a {@code java} that cannot start a daemon: the session goes to {@code java
   * -jar omem.jar mcp}, which gets the lines read so far (here: initialize) and the rest of stdin.
   */
  @Test
  void theBridgeHandsTheSessionToThePlainJarWhenNoDaemonStarts() throws Exception {
    Path jdk =
        LauncherIT.fakeJdk(
            tmp.resolve("nodaemon"),
            "17.0.2",
            "case \" $* \" in *' daemon start '*) echo 'cannot start' >&2; exit 1;; esac\n"
                + "printf 'JAVA %s\\n' \"$*\"\ncat");
    Path node = LauncherIT.whichOrNull("node");
    assertTrue(node != null, "node is on the PATH");
    Path data = home.resolve("data");
    ProcessBuilder pb =
        new ProcessBuilder(
            node.toString(),
            BRIDGE.toString(),
            "--java",
            jdk.resolve("bin/java").toString(),
            "--jar",
            "/no/such/omem.jar",
            "--home",
            data.toString());
    Process p = pb.start();
    CompletableFuture<String> out =
        CompletableFuture.supplyAsync(() -> LauncherIT.read(p.getInputStream()));
    CompletableFuture<String> err =
        CompletableFuture.supplyAsync(() -> LauncherIT.read(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write((LauncherIT.INITIALIZE + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      Thread.sleep(2000); // read before the session is handed over
      in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n".getBytes());
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the bridge did not exit");
    String o = out.join();
    assertEquals(0, p.exitValue(), o + err.join());
    List<String> lines = o.lines().toList();
    assertEquals(
        List.of(
            "JAVA -jar /no/such/omem.jar mcp --home " + data,
            LauncherIT.INITIALIZE,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
        lines,
        err.join());
    assertTrue(err.join().contains("running the plain server"), err.join());
  }
}
