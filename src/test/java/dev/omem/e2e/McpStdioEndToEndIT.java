package dev.omem.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/node/mcp-stdio-e2e.mjs}: the official MCP TypeScript SDK client drives
 * {@code java -jar target/omem.jar mcp} over stdio (tools, resources, bad input, restart and
 * SIGKILL recovery). Needs Node.js on the PATH; the client library comes from the npm registry
 * ({@code npm ci} in {@code src/test/node}, run here when {@code node_modules} is missing).
 */
class McpStdioEndToEndIT {
  private static final long NPM_CI_MINUTES = 5;
  private static final long NODE_TEST_MINUTES = 5;
  private static final Pattern SUMMARY_PASS = Pattern.compile("(?m)^\\S* ?pass [1-9]\\d*\\s*$");
  private static final Pattern SUMMARY_FAIL_0 = Pattern.compile("(?m)^\\S* ?fail 0\\s*$");

  @Test
  void officialMcpClientDrivesTheStdioServer() throws Exception {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    String jarProperty = System.getProperty("omem.jar");
    assertTrue(
        jarProperty != null && !jarProperty.isBlank(),
        "system property omem.jar is not set (maven-failsafe sets it to target/omem.jar)");
    Path jar = Path.of(jarProperty).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "omem jar not found at " + jar + ": run mvn package");

    Optional<Path> node = onPath("node");
    if (node.isEmpty()) {
      String how =
          "Node.js (18 or newer) is not on the PATH; install it (e.g. apt-get install nodejs npm,"
              + " or from https://nodejs.org) to run the MCP end-to-end test";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(how);
      }
      Assumptions.abort(how);
    }

    Path nodeProject = base.resolve("src/test/node");
    Path script = nodeProject.resolve("mcp-stdio-e2e.mjs");
    assertTrue(Files.isRegularFile(script), "missing " + script);
    if (!Files.isDirectory(nodeProject.resolve("node_modules"))) {
      Path npm =
          onPath("npm")
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "src/test/node/node_modules is missing and npm is not on the PATH"));
      Run ci =
          run(
              List.of(npm.toString(), "ci", "--no-audit", "--no-fund"),
              nodeProject,
              null,
              NPM_CI_MINUTES);
      assertEquals(0, ci.exitCode, "npm ci in src/test/node failed:\n" + ci.output);
    }

    Run e2e =
        run(
            List.of(node.get().toString(), "--test", script.toString()),
            base,
            jar,
            NODE_TEST_MINUTES);
    assertEquals(0, e2e.exitCode, "the MCP end-to-end test failed:\n" + e2e.output);
    // node's closing summary lines, "# pass 17" and "# fail 0" (TAP) or with a marker (spec).
    assertTrue(
        SUMMARY_PASS.matcher(e2e.output).find() && SUMMARY_FAIL_0.matcher(e2e.output).find(),
        "node's test runner reported no passed tests:\n" + e2e.output);
  }

  private record Run(int exitCode, String output) {}

  /** Runs a command, echoing its output to the test log, and returns its exit code and output. */
  private static Run run(List<String> command, Path dir, Path jar, long minutes)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    if (jar != null) {
      pb.environment().put("OMEM_JAR", jar.toString());
    }
    System.out.println("$ " + String.join(" ", command));
    Process p = pb.start();
    p.getOutputStream().close();
    StringBuilder out = new StringBuilder();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  System.out.println(line);
                  synchronized (out) {
                    out.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "e2e-output");
    pump.setDaemon(true);
    pump.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      List<ProcessHandle> tree = new ArrayList<>();
      p.descendants().forEach(tree::add);
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      pump.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (out) {
        fail(
            String.join(" ", command)
                + " did not finish within "
                + minutes
                + " minutes; output so far:\n"
                + out);
      }
    }
    pump.join(TimeUnit.SECONDS.toMillis(30));
    synchronized (out) {
      return new Run(p.exitValue(), out.toString());
    }
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    List<String> names = windows ? List.of(name + ".exe", name + ".cmd", name) : List.of(name);
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      for (String n : names) {
        Path candidate = Path.of(dir, n);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
