package dev.omem.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.BuildInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files that package omem for clients agree with each other and with the build: one version
 * everywhere, the plugin's names and paths, every hook event wired, skills with front matter, and
 * nothing in the plugin that reaches outside its folder (an installed plugin is a copy).
 */
class PackagingFilesTest {
  static final Path BASE =
      Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  static final Path PLUGIN = BASE.resolve("plugins/claude-code");
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> EVENTS =
      List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd");

  static JsonNode json(String path) throws IOException {
    return JSON.readTree(BASE.resolve(path).toFile());
  }

  @Test
  void oneVersionEverywhere() throws IOException {
    String version = BuildInfo.current().version();
    assertEquals(
        version, json("plugins/claude-code/.claude-plugin/plugin.json").get("version").asText());
    assertEquals(
        version, json(".claude-plugin/marketplace.json").at("/plugins/0/version").asText());
    assertEquals(version, json("mcpb/manifest.json").get("version").asText());
    assertEquals(version, json("scripts/npm/package.json").get("version").asText());
  }

  @Test
  void theMarketplaceOffersThePluginNamedOmem() throws IOException {
    JsonNode m = json(".claude-plugin/marketplace.json");
    assertEquals("omem", m.get("name").asText());
    assertTrue(m.at("/owner/name").isTextual());
    JsonNode entry = m.at("/plugins/0");
    assertEquals("omem", entry.get("name").asText());
    assertEquals("./plugins/claude-code", entry.get("source").asText());
    assertTrue(entry.get("description").asText().length() > 20);
    assertEquals(
        "omem", json("plugins/claude-code/.claude-plugin/plugin.json").get("name").asText());
  }

  @Test
  void thePluginStartsOmemThroughItsOwnLauncher() throws IOException {
    JsonNode server = json("plugins/claude-code/.mcp.json").at("/mcpServers/omem");
    assertEquals("${CLAUDE_PLUGIN_ROOT}/bin/omem", server.get("command").asText());
    assertEquals("mcp", server.at("/args/0").asText());
    assertTrue(Files.isExecutable(PLUGIN.resolve("bin/omem")));
    assertTrue(Files.isSymbolicLink(BASE.resolve("scripts/omem")));
    assertEquals(
        Path.of("../plugins/claude-code/bin/omem"),
        Files.readSymbolicLink(BASE.resolve("scripts/omem")));
  }

  @Test
  void everyHookEventRunsTheHookScriptWithAShortTimeout() throws IOException {
    JsonNode hooks = json("plugins/claude-code/hooks/hooks.json").get("hooks");
    assertEquals(EVENTS.size(), hooks.size(), hooks.toString());
    for (String event : EVENTS) {
      JsonNode hook = hooks.at("/" + event + "/0/hooks/0");
      assertEquals("command", hook.get("type").asText(), event);
      assertEquals(
          "\"${CLAUDE_PLUGIN_ROOT}/hooks/omem-hook\" " + event,
          hook.get("command").asText(),
          event);
      int timeout = hook.get("timeout").asInt();
      assertTrue(timeout > 0 && timeout <= 15, event + " timeout " + timeout);
    }
  }

  @Test
  void skillsHaveANameAndADescription() throws IOException {
    Pattern front =
        Pattern.compile("(?s)\\A---\\nname: ([a-z0-9-]+)\\ndescription: (.+?)\\n---\\n");
    try (Stream<Path> s = Files.list(PLUGIN.resolve("skills"))) {
      List<Path> skills = s.toList();
      assertFalse(skills.isEmpty());
      for (Path dir : skills) {
        Matcher m = front.matcher(Files.readString(dir.resolve("SKILL.md")));
        assertTrue(m.find(), dir + " has front matter");
        assertEquals(dir.getFileName().toString(), m.group(1));
        assertTrue(m.group(2).length() > 50, "a description that says when to use it");
      }
    }
  }

  @Test
  void nothingButTheLauncherLooksOutsideThePluginFolder() throws IOException {
    try (Stream<Path> s = Files.walk(PLUGIN)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        if (f.equals(PLUGIN.resolve("bin/omem"))) {
          continue; // finds a checkout's build on purpose, and only as a fallback
        }
        String text = Files.readString(f);
        // Scripts may go from hooks/ to bin/ (../bin/omem), never above the plugin's root;
        // configuration and skills name no relative path at all.
        String name = f.getFileName().toString();
        boolean config = name.endsWith(".json") || name.endsWith(".md");
        assertFalse(
            text.contains(config ? "../" : "../../"),
            f + " reaches outside the plugin by a relative path");
      }
    }
  }
}
