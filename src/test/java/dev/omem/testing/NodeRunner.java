package dev.omem.testing;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Node.js scripts of {@code src/test/node} from integration tests: finds node (skipping the
 * test without it, failing on CI), installs the MCP client with {@code npm ci} when {@code
 * node_modules} is missing, and runs a command with its output echoed to the test log.
 */
public final class NodeRunner {
  private static final long NPM_CI_MINUTES = 5;

  private NodeRunner() {}

  /** What a command printed (stdout and stderr together) and how it exited. */
  public record Run(int exitCode, String output) {}

  /**
   * The node executable on the PATH. Without one the calling test is skipped, or fails when the
   * environment variable {@code CI} is {@code true}.
   *
   * @param purpose what node is needed for, e.g. "the MCP end-to-end test"
   */
  public static Path requireNode(String purpose) {
    Optional<Path> node = onPath("node");
    if (node.isEmpty()) {
      String how =
          "Node.js (18 or newer) is not on the PATH; install it (e.g. apt-get install nodejs npm,"
              + " or from https://nodejs.org) to run "
              + purpose;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(how);
      }
      Assumptions.abort(how);
    }
    return node.get();
  }

  /** Runs {@code npm ci} in {@code nodeProject} unless its {@code node_modules} exists. */
  public static void ensureInstalled(Path nodeProject) throws IOException, InterruptedException {
    if (Files.isDirectory(nodeProject.resolve("node_modules"))) {
      return;
    }
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
            env -> {},
            NPM_CI_MINUTES);
    assertEquals(0, ci.exitCode(), "npm ci in src/test/node failed:\n" + ci.output());
  }

  /**
   * Runs a command in {@code dir}, echoing its output to the test log, and returns its exit code
   * and output; fails the test if it runs longer than {@code minutes} (killing it and its
   * children).
   *
   * @param environment adjusts the child's environment (a copy of this process's)
   */
  public static Run run(
      List<String> command, Path dir, Consumer<Map<String, String>> environment, long minutes)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    environment.accept(pb.environment());
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
            "node-output");
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

  private static final Pattern SUMMARY_PASS = Pattern.compile("(?m)^\\S* ?pass [1-9]\\d*\\s*$");
  private static final Pattern SUMMARY_FAIL_0 = Pattern.compile("(?m)^\\S* ?fail 0\\s*$");

  /**
   * Runs {@code node --test src/test/node/<script>} against the built jar ({@code OMEM_JAR}) and
   * fails unless it exits 0 and node's summary reports passed tests and no failed one.
   *
   * @param purpose what the script tests, for the messages
   * @param environment further changes to the child's environment
   */
  public static void runTestScript(
      String script, String purpose, Consumer<Map<String, String>> environment, long minutes)
      throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path jar = BuiltJar.path();
    Path node = requireNode(purpose);
    Path nodeProject = base.resolve("src/test/node");
    Path file = nodeProject.resolve(script);
    assertTrue(Files.isRegularFile(file), "missing " + file);
    ensureInstalled(nodeProject);
    Run run =
        run(
            List.of(node.toString(), "--test", file.toString()),
            base,
            env -> {
              env.put("OMEM_JAR", jar.toString());
              environment.accept(env);
            },
            minutes);
    assertEquals(0, run.exitCode(), purpose + " failed:\n" + run.output());
    // node's closing summary lines, "# pass 17" and "# fail 0" (TAP) or with a marker (spec).
    assertTrue(
        SUMMARY_PASS.matcher(run.output()).find() && SUMMARY_FAIL_0.matcher(run.output()).find(),
        "node's test runner reported no passed tests:\n" + run.output());
  }

  /** An executable file called {@code name} in a directory of the PATH. */
  public static Optional<Path> onPath(String name) {
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
