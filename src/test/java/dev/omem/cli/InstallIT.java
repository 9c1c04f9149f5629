package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.testing.BuiltJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem install} and {@code omem doctor} through the built jar, on a temporary {@code HOME}
 * (dev.omem.install's unit tests cover the merging): the jar and the launcher land in the data dir,
 * the installed launcher runs omem, and doctor reports the client.
 */
class InstallIT {
  static final String JAR = BuiltJar.path().toString();

  @TempDir Path home;
  @TempDir Path work;

  record Run(int code, String out, String err) {}

  Run run(List<String> cmd) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("OMEM_HOME");
    pb.environment().remove("OMEM_JAR");
    pb.environment().remove("CLAUDE_CONFIG_DIR");
    pb.environment().remove("XDG_CONFIG_HOME");
    pb.environment().put("OMEM_DAEMON", "off");
    Process p =
        pb.directory(work.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  Run omem(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  @Test
  void installsUnderHomeAndTheInstalledLauncherRunsOmem() throws Exception {
    Path cursor = Files.createDirectories(home.resolve(".cursor")).resolve("mcp.json");
    String before = "{\"mcpServers\": {\"other\": {\"command\": \"x\"}}}";
    Files.writeString(cursor, before);

    Run dry = omem("install", "cursor", "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("would change " + cursor + "  mcpServers.omem"), dry.out());
    assertEquals(before, Files.readString(cursor));
    assertFalse(Files.exists(home.resolve(".omem")));

    Run r = omem("install", "cursor");
    assertEquals(0, r.code(), r.err());
    Path data = home.resolve(".omem");
    assertEquals(-1L, Files.mismatch(Path.of(JAR), data.resolve("lib/omem.jar")));
    JsonNode config = new ObjectMapper().readTree(cursor.toFile());
    assertEquals("x", config.at("/mcpServers/other/command").asText());
    assertEquals(
        data.resolve("bin/omem").toString(), config.at("/mcpServers/omem/command").asText());

    // The installed launcher finds the installed jar.
    Run version = run(List.of(data.resolve("bin/omem").toString(), "--version"));
    assertEquals(0, version.code(), version.err());
    assertTrue(version.out().startsWith("omem "), version.out());

    Run again = omem("install", "cursor");
    assertTrue(again.out().contains("Nothing to change"), again.out());

    Run doctor = omem("doctor", "--json");
    JsonNode health = new ObjectMapper().readTree(doctor.out());
    assertTrue(
        health.get("client_cursor").asText().startsWith("configured: " + data.resolve("bin/omem")),
        doctor.out());
    assertTrue(health.get("client_codex").asText().startsWith("not configured"), doctor.out());
  }

  @Test
  void claudeCodeGetsTheHooksWhenTheJarCarriesTheHookScript() throws Exception {
    Run r = omem("install", "claude-code");
    assertEquals(0, r.code(), r.err());
    JsonNode server = new ObjectMapper().readTree(home.resolve(".claude.json").toFile());
    assertEquals("stdio", server.at("/mcpServers/omem/type").asText());
    boolean hookScript;
    try (ZipFile zip = new ZipFile(JAR)) {
      hookScript = zip.getEntry("dev/omem/install/hooks/omem-hook") != null;
    }
    if (hookScript) {
      assertTrue(Files.isExecutable(home.resolve(".omem/hooks/omem-hook")));
      JsonNode settings =
          new ObjectMapper().readTree(home.resolve(".claude/settings.json").toFile());
      assertTrue(
          settings
              .at("/hooks/SessionStart/0/hooks/0/command")
              .asText()
              .endsWith("omem-hook SessionStart"),
          settings.toString());
    } else {
      assertTrue(r.out().contains("hooks were not set up"), r.out());
    }
  }

  @Test
  void aMalformedConfigIsOneLineAndChangesNothing() throws Exception {
    Path desktop =
        Files.createDirectories(home.resolve(".config/Claude"))
            .resolve("claude_desktop_config.json");
    Files.writeString(desktop, "{\"mcpServers\": {");
    Run r = omem("install", "claude-desktop");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("omem: " + desktop), r.err());
    assertFalse(Files.exists(home.resolve(".omem")), "nothing written");
  }
}
