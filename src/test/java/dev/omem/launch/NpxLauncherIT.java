package dev.omem.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.omem.testing.BuiltJar;
import dev.omem.testing.NodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The npx launcher package ({@code scripts/npm}, {@code omem-mcp}): {@code npm pack} it with the
 * built jar, then {@code src/test/node/npx-launcher.mjs} runs the tarball with {@code npx -y} and
 * drives it with the official MCP client. Needs Node.js and npm (no registry access: the package
 * has no dependencies).
 */
class NpxLauncherIT {
  static final Path BASE =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();

  @Test
  void thePackedTarballRunsWithNpxAsAnMcpServer() throws Exception {
    NodeRunner.requireNode("the npx launcher test");
    Path npm =
        NodeRunner.onPath("npm").orElseThrow(() -> new AssertionError("npm is not on the PATH"));
    Path dest = Files.createDirectories(BASE.resolve("target/npm"));
    try (Stream<Path> old = Files.list(dest)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    Path jar = BuiltJar.path();
    NodeRunner.Run pack =
        NodeRunner.run(
            List.of(npm.toString(), "pack", "--pack-destination", dest.toString()),
            BASE.resolve("scripts/npm"),
            env -> env.put("OMEM_JAR", jar.toString()),
            5);
    assertEquals(0, pack.exitCode(), "npm pack failed:\n" + pack.output());
    assertFalse(
        Files.exists(BASE.resolve("scripts/npm/omem.jar")), "postpack removes the jar copy");
    Path tarball;
    try (Stream<Path> s = Files.list(dest)) {
      List<Path> tgz = s.filter(p -> p.toString().endsWith(".tgz")).toList();
      assertEquals(1, tgz.size(), "one tarball in " + dest + ": " + tgz);
      tarball = tgz.get(0);
    }
    NodeRunner.runTestScript(
        "npx-launcher.mjs",
        "the npx launcher test",
        env -> env.put("OMEM_NPX_TARBALL", tarball.toString()),
        10);
  }
}
