package dev.omem.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell launcher ({@code plugins/claude-code/bin/omem}, run as {@code scripts/omem}): which
 * Java and which jar it picks, what it says when it cannot, and that the daemon's start-up archive
 * never puts anything on stdout, the MCP protocol, even when the JVM refuses it.
 *
 * <p>Most cases run it against a stand-in {@code java} that prints its arguments, so they test the
 * script's choices without starting a JVM; the archive cases run the real one.
 */
class LauncherIT {
  static final Path BASE =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  static final Path LAUNCHER = BASE.resolve("plugins/claude-code/bin/omem");
  static final Path SCRIPTS_OMEM = BASE.resolve("scripts/omem");

  @TempDir Path tmp;
  Path home;
  Path fakeJdk;

  record Run(int code, String out, String err) {
    List<String> args() {
      return out.lines().toList();
    }

    /** The jar after {@code -jar}. */
    Path jar() {
      List<String> a = args();
      return Path.of(a.get(a.indexOf("-jar") + 1));
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    fakeJdk = fakeJdk(tmp.resolve("jdk"), "17.0.2", "printf '%s\\n' \"$@\"");
  }

  /** A JDK folder whose java runs {@code body}; with a release file when {@code version} given. */
  static Path fakeJdk(Path dir, String version, String body) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    if (version != null) {
      Files.writeString(
          dir.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    }
    Path java = dir.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", fakeJdk.toString());
    // These cases are about the JVM the launcher runs; the Node bridge's are BridgeLauncherIT's.
    env.put("OMEM_BRIDGE", "off");
    return env;
  }

  static Run run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close(); // stdin: a closed pipe, not a terminal
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher hung: " + cmd);
    return new Run(p.exitValue(), out.join(), err.join());
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void assertOneLineError(Run r, String... expected) {
    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out(), "nothing on stdout");
    assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), "stderr names " + e + ": " + r.err());
    }
  }

  static Path touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "");
    return file;
  }

  // ---- the jar
  // -----------------------------------------------------------------------------------

  @Test
  void findsTheJarInTheDocumentedOrder() throws Exception {
    // 3. the checkout's build (scripts/omem is a symlink; the script resolves its real place)
    Run r = run(SCRIPTS_OMEM, env(), "--version");
    assertEquals(0, r.code(), r.toString());
    assertEquals(BuiltJar.path().toRealPath(), r.jar().toRealPath());
    assertEquals("--version", r.args().get(r.args().size() - 1));

    // 2. what omem install copied to the data dir beats the checkout
    Path installed = touch(home.resolve(".omem/lib/omem.jar"));
    assertEquals(installed, run(SCRIPTS_OMEM, env()).jar());
    Map<String, String> e = env();
    Path other = touch(tmp.resolve("other/lib/omem.jar"));
    e.put("OMEM_HOME", tmp.resolve("other").toString());
    assertEquals(other, run(SCRIPTS_OMEM, e).jar(), "OMEM_HOME names the data dir");
    assertEquals(
        other,
        run(SCRIPTS_OMEM, env(), "search", "--home", tmp.resolve("other").toString(), "x").jar(),
        "so does --home");

    // 1. OMEM_JAR beats both
    e = env();
    Path explicit = touch(tmp.resolve("explicit.jar"));
    e.put("OMEM_JAR", explicit.toString());
    assertEquals(explicit, run(SCRIPTS_OMEM, e).jar());
    e.put("OMEM_JAR", tmp.resolve("missing.jar").toString());
    assertOneLineError(run(SCRIPTS_OMEM, e), "OMEM_JAR", "missing.jar");
  }

  @Test
  void aCopyOutsideACheckoutWithNoInstalledJarSaysWhatToDo() throws Exception {
    Path copy = tmp.resolve("elsewhere/bin/omem");
    Files.createDirectories(copy.getParent());
    Files.copy(LAUNCHER, copy, StandardCopyOption.COPY_ATTRIBUTES);
    assertOneLineError(run(copy, env()), "omem.jar not found", "omem install", "OMEM_JAR");

    // The copy omem install makes, <data dir>/bin/omem, finds <data dir>/lib/omem.jar.
    Path lib = touch(tmp.resolve("elsewhere/lib/omem.jar"));
    assertEquals(lib.normalize(), run(copy, env()).jar().normalize());
  }

  @Test
  void aPluginCopyInClaudeCodesCacheFindsTheCheckoutItsMarketplaceCameFrom() throws Exception {
    Path plugins = home.resolve(".claude/plugins");
    Path copy = plugins.resolve("cache/omem/omem/0.1.0/bin/omem");
    Files.createDirectories(copy.getParent());
    Files.copy(LAUNCHER, copy, StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(
        plugins.resolve("known_marketplaces.json"),
        "{\n  \"other\": {\n    \"installLocation\": \"/nowhere\"\n  },\n  \"omem\": {\n"
            + "    \"source\": {\n      \"source\": \"directory\",\n      \"path\": \""
            + BASE
            + "\"\n    },\n    \"installLocation\": \""
            + BASE
            + "\",\n    \"lastUpdated\": \"2026-01-01T00:00:00.000Z\"\n  }\n}");
    assertEquals(BuiltJar.path().toRealPath(), run(copy, env()).jar().toRealPath());
  }

  @Test
  void runsMcpWhenGivenNoArgumentsAndPassesArgumentsUnchanged() throws Exception {
    List<String> a = run(SCRIPTS_OMEM, env()).args();
    assertEquals("mcp", a.get(a.size() - 1));
    a = run(SCRIPTS_OMEM, env(), "store", "two words", "--tag", "x y").args();
    assertEquals(
        List.of("store", "two words", "--tag", "x y"), a.subList(a.indexOf("-jar") + 2, a.size()));
  }

  @Test
  void addsTheNewestStartUpArchiveAndExtraOptions() throws Exception {
    assertFalse(run(SCRIPTS_OMEM, env()).out().contains("SharedArchiveFile"));
    Path older = touch(home.resolve(".omem/cds/omem-0.1.0-1.jsa"));
    Path newer = touch(home.resolve(".omem/cds/omem-0.1.0-2.jsa"));
    touch(home.resolve(".omem/cds/omem-0.1.0-3.jsa.tmp"));
    // The daemon's own archive (a server's classes) is never the stdio server's, even newest.
    Path daemons = touch(home.resolve(".omem/cds/daemon-0.1.0-2.jsa"));
    Files.setLastModifiedTime(older, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Files.setLastModifiedTime(newer, FileTime.fromMillis(System.currentTimeMillis() + 120_000));
    Files.setLastModifiedTime(daemons, FileTime.fromMillis(System.currentTimeMillis() + 180_000));
    Map<String, String> e = env();
    e.put("OMEM_JAVA_OPTS", "-Xmx256m -Dfoo=bar");
    List<String> a = run(SCRIPTS_OMEM, e).args();
    assertEquals(
        List.of(
            "-XX:SharedArchiveFile=" + newer,
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-Xmx256m",
            "-Dfoo=bar",
            "-jar"),
        a.subList(0, 6));
  }

  // ---- Java
  // --------------------------------------------------------------------------------------

  @Test
  void javaOlderThan17OrMissingIsOneClearLine() throws Exception {
    Map<String, String> e = env();
    e.put("JAVA_HOME", fakeJdk(tmp.resolve("jdk11"), "11.0.2", "exit 0").toString());
    assertOneLineError(run(SCRIPTS_OMEM, e), "Java 11", "Java 17 or newer", "install");

    // No release file: the version comes from java -version.
    e.put(
        "JAVA_HOME",
        fakeJdk(
                tmp.resolve("jdk8"),
                null,
                "echo 'openjdk version \"1.8.0_292\"' >&2; echo 'OpenJDK Runtime' >&2")
            .toString());
    assertOneLineError(run(SCRIPTS_OMEM, e), "Java 8", "Java 17 or newer");

    e.put(
        "JAVA_HOME",
        fakeJdk(tmp.resolve("jdk21"), null, "echo 'openjdk version \"21.0.1\" 2023' >&2; echo ok")
            .toString());
    Run r = run(SCRIPTS_OMEM, e, "--version");
    assertEquals(0, r.code(), r.toString());

    // No JAVA_HOME and no java on the PATH (only what bash needs).
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("bash", "readlink", "sed", "head", "dirname")) {
      Path real = whichOrNull(tool);
      if (real != null) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
    e = env();
    e.remove("JAVA_HOME");
    e.put("PATH", bin.toString());
    assertOneLineError(run(SCRIPTS_OMEM, e), "no Java found", "install a Java 17");

    e = env();
    e.put("OMEM_JAVA_HOME", tmp.resolve("nojdk").toString());
    assertOneLineError(run(SCRIPTS_OMEM, e), "OMEM_JAVA_HOME");
    e.put("OMEM_JAVA_HOME", fakeJdk.toString());
    e.put("JAVA_HOME", tmp.resolve("jdk11").toString());
    assertEquals(0, run(SCRIPTS_OMEM, e).code(), "OMEM_JAVA_HOME comes before JAVA_HOME");
  }

  static Path whichOrNull(String tool) {
    for (String dir : System.getenv("PATH").split(":")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  // ---- the start-up archive, with the real JVM
  // -----------------------------------------------------

  static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"launcher-it\","
          + "\"version\":\"1\"}}}";

  /**
   * Starts {@code omem mcp} through the launcher, sends initialize, and returns everything it wrote
   * on stdout and stderr once stdin is closed.
   */
  Run initialize(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(SCRIPTS_OMEM.toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    StringBuilder out = new StringBuilder();
    OutputStream in = p.getOutputStream();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      in.write((INITIALIZE + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      String first = r.readLine();
      out.append(first).append('\n');
      in.close(); // ends the session
      for (String line; (line = r.readLine()) != null; ) {
        out.append(line).append('\n');
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "omem mcp did not exit after stdin closed");
    return new Run(p.exitValue(), out.toString(), err.join());
  }

  static void assertOnlyProtocolOnStdout(Run r) throws IOException {
    assertFalse(r.out().isBlank(), "initialize was answered: " + r);
    for (String line : r.out().lines().toList()) {
      JsonNode n = new ObjectMapper().readTree(line);
      assertEquals("2.0", n.get("jsonrpc").asText(), "a JSON-RPC message: " + line);
    }
    JsonNode first = new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
    assertEquals("omem", first.at("/result/serverInfo/name").asText(), r.out());
  }

  @Test
  void anArchiveOfAnotherJarOrAGarbledOneOnlySlowsTheStartAndNeverTouchesStdout() throws Exception {
    Path data = home.resolve(".omem");
    Path jarA = Files.copy(BuiltJar.path(), tmp.resolve("a.jar"));
    Path jarB = Files.copy(BuiltJar.path(), tmp.resolve("b.jar"));
    Path archive = data.resolve("cds/omem-test.jsa");
    Files.createDirectories(archive.getParent());
    Process dump =
        new ProcessBuilder(
                "java",
                "-XX:ArchiveClassesAtExit=" + archive,
                "-Xlog:disable",
                "-Xlog:all=warning:stderr",
                "-jar",
                jarA.toString(),
                "--version")
            .redirectErrorStream(true)
            .start();
    String dumpOut = read(dump.getInputStream());
    assertTrue(dump.waitFor(120, TimeUnit.SECONDS));
    assertTrue(Files.isRegularFile(archive), "archive made: " + dumpOut);

    Map<String, String> e = new HashMap<>(System.getenv());
    e.put("HOME", home.toString());
    e.put("OMEM_HOME", data.toString());
    e.put("OMEM_DAEMON", "off");
    e.remove("OMEM_JAVA_OPTS");

    // The jar the archive was made from: used, no warning.
    e.put("OMEM_JAR", jarA.toString());
    Run same = initialize(e);
    assertOnlyProtocolOnStdout(same);
    assertFalse(same.err().contains("shared archive"), same.err());

    // Another jar path: the JVM refuses the archive, says so on stderr, and starts normally.
    e.put("OMEM_JAR", jarB.toString());
    Run other = initialize(e);
    assertOnlyProtocolOnStdout(other);
    assertTrue(other.err().contains("Unable to use shared archive"), other.err());

    // A garbled archive, newer, so the launcher picks it.
    Path junk = data.resolve("cds/omem-junk.jsa");
    Files.writeString(junk, "not an archive");
    Files.setLastModifiedTime(junk, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    assertOnlyProtocolOnStdout(initialize(e));
  }
}
