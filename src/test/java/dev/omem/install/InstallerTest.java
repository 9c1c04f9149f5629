package dev.omem.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem install} on temporary homes that already hold configurations: what the user had is
 * kept, a second run changes nothing, a dry run writes nothing, and a configuration that cannot be
 * read stops the install before anything is written.
 */
class InstallerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] LAUNCHER = "#!/usr/bin/env bash\necho launcher\n".getBytes();
  static final byte[] HOOK = "#!/usr/bin/env bash\necho '{}'\n".getBytes();

  @TempDir Path tmp;
  Path home;
  Path data;
  Path jar;
  Map<String, byte[]> resources;

  @BeforeEach
  void setUp() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    data = home.resolve(".omem");
    jar = fakeJar(tmp.resolve("omem.jar"), "20260101000000000");
    resources = new HashMap<>();
    resources.put(Artifacts.LAUNCHER, LAUNCHER);
    resources.put(Artifacts.HOOK_SCRIPT, HOOK);
    // The plugin's own hooks.json: what the installed hooks are made from.
    resources.put(
        Artifacts.HOOKS_JSON,
        Files.readAllBytes(Path.of("plugins/claude-code/hooks/hooks.json").toAbsolutePath()));
  }

  static Path fakeJar(Path file, String built) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("omem-build.properties"));
      zip.write(("version=0.1.0\nbuilt=" + built + "\n").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  InstallContext ctx(InstallContext.Os os, Map<String, String> env) {
    return new InstallContext(
        home,
        data,
        data.equals(home.resolve(".omem")),
        env,
        os,
        name -> Optional.ofNullable(resources.get(name)));
  }

  InstallContext ctx() {
    return ctx(InstallContext.Os.LINUX, Map.of());
  }

  record Result(List<FileEdit> changed, String output) {}

  Result install(InstallContext c, String client, boolean dryRun) throws IOException {
    StringWriter s = new StringWriter();
    List<FileEdit> changed =
        new Installer(c, new PrintWriter(s)).install(Installer.client(client), jar, dryRun);
    return new Result(changed, s.toString());
  }

  static JsonNode read(Path f) throws IOException {
    return JSON.readTree(f.toFile());
  }

  /** Every file under {@code dir} and its bytes, to compare a tree before and after. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
      }
    }
    return m;
  }

  // ---- Claude Code -----------------------------------------------------------------------------

  static final String CLAUDE_JSON =
      """
      {
        "numStartups": 12,
        "theme": "dark",
        "ratio": 1.50,
        "mcpServers": {
          "github": {"type": "stdio", "command": "gh-mcp", "args": [], "env": {"TOKEN": "x"}}
        },
        "projects": {"/work/a": {"allowedTools": ["Bash"]}}
      }
      """;

  static final String SETTINGS_JSON =
      """
      {
        "model": "opus",
        "permissions": {"allow": ["Bash(git status)"]},
        "hooks": {
          "SessionStart": [
            {"matcher": "startup", "hooks": [{"type": "command", "command": "echo hello"}]}
          ],
          "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "check-bash"}]}
          ]
        },
        "enabledPlugins": {"other@market": true}
      }
      """;

  @Test
  void claudeCodeMergesServerAndHooksKeepingEverythingElse() throws Exception {
    Files.writeString(home.resolve(".claude.json"), CLAUDE_JSON);
    Files.createDirectories(home.resolve(".claude"));
    Files.writeString(home.resolve(".claude/settings.json"), SETTINGS_JSON);

    Result r = install(ctx(), "claude-code", false);

    JsonNode claude = read(home.resolve(".claude.json"));
    ObjectNode expected = (ObjectNode) JSON.readTree(CLAUDE_JSON);
    JsonNode omem = ((ObjectNode) claude.get("mcpServers")).remove("omem");
    assertEquals(expected, claude, "everything but mcpServers.omem is as it was");
    assertTrue(
        Files.readString(home.resolve(".claude.json")).contains("\"ratio\": 1.50"),
        "numbers are kept as written");
    assertEquals("stdio", omem.get("type").asText());
    assertEquals(data.resolve("bin/omem").toString(), omem.get("command").asText());
    assertEquals(List.of("mcp"), JSON.convertValue(omem.get("args"), List.class));
    assertTrue(omem.get("env").isEmpty(), "default data dir: no OMEM_HOME");

    JsonNode settings = read(home.resolve(".claude/settings.json"));
    assertEquals("opus", settings.get("model").asText());
    assertEquals("Bash(git status)", settings.at("/permissions/allow/0").asText());
    assertEquals("check-bash", settings.at("/hooks/PreToolUse/0/hooks/0/command").asText());
    JsonNode start = settings.at("/hooks/SessionStart");
    assertEquals(2, start.size(), "the user's SessionStart hook, then omem's");
    assertEquals("echo hello", start.at("/0/hooks/0/command").asText());
    assertEquals(
        data.resolve("hooks/omem-hook") + " SessionStart", start.at("/1/hooks/0/command").asText());
    assertTrue(start.at("/1/hooks/0/timeout").asInt() > 0);
    for (String event : List.of("UserPromptSubmit", "Stop", "PreCompact", "SessionEnd")) {
      assertEquals(
          data.resolve("hooks/omem-hook") + " " + event,
          settings.at("/hooks/" + event + "/0/hooks/0/command").asText(),
          event);
    }

    assertArrayEqualsFile(LAUNCHER, data.resolve("bin/omem"));
    assertArrayEqualsFile(HOOK, data.resolve("hooks/omem-hook"));
    assertArrayEqualsFile(Files.readAllBytes(jar), data.resolve("lib/omem.jar"));
    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("bin/omem"))));
    assertTrue(r.output().contains("mcpServers.omem"), r.output());
    assertTrue(r.output().contains("before: (none)"), r.output());
    assertTrue(r.output().contains("hooks.SessionStart"), r.output());
  }

  static void assertArrayEqualsFile(byte[] expected, Path file) throws IOException {
    assertTrue(Files.exists(file), file + " exists");
    assertArrayEquals(expected, Files.readAllBytes(file), file.toString());
  }

  @Test
  void aSecondRunChangesNothing() throws Exception {
    Files.writeString(home.resolve(".claude.json"), CLAUDE_JSON);
    for (String client : List.of("claude-code", "cursor", "claude-desktop", "codex")) {
      install(ctx(), client, false);
      Map<String, String> before = snapshot(home);
      Result again = install(ctx(), client, false);
      assertEquals(List.of(), again.changed(), client + ": " + again.output());
      assertEquals(before, snapshot(home), client + ": no file was rewritten");
      assertTrue(again.output().contains("Nothing to change"), again.output());
    }
  }

  @Test
  void anOlderInstallIsReplacedNotDuplicated() throws Exception {
    install(ctx(), "claude-code", false);
    // A newer jar, a changed launcher: both are replaced; the hooks stay one per event.
    jar = fakeJar(tmp.resolve("omem2.jar"), "20270101000000000");
    resources.put(Artifacts.LAUNCHER, "#!/usr/bin/env bash\necho v2\n".getBytes());
    Result r = install(ctx(), "claude-code", false);
    assertEquals(2, r.changed().size(), r.output());
    assertTrue(r.output().contains("built 20260101000000000"), r.output());
    assertTrue(r.output().contains("built 20270101000000000"), r.output());
    JsonNode settings = read(home.resolve(".claude/settings.json"));
    assertEquals(1, settings.at("/hooks/Stop").size());
  }

  @Test
  void aDryRunWritesNothing() throws Exception {
    Files.writeString(home.resolve(".claude.json"), CLAUDE_JSON);
    Map<String, String> before = snapshot(home);
    for (String client : List.of("claude-code", "cursor", "claude-desktop", "codex")) {
      Result r = install(ctx(), client, true);
      assertTrue(r.output().contains("--dry-run"), r.output());
      assertTrue(r.output().contains("would change"), r.output());
      assertFalse(r.changed().isEmpty());
    }
    assertEquals(before, snapshot(home), "nothing written, no directory made");
    assertFalse(Files.exists(data));
  }

  @Test
  void aMalformedConfigStopsTheInstallBeforeAnythingIsWritten() throws Exception {
    Files.writeString(home.resolve(".claude.json"), CLAUDE_JSON);
    Files.createDirectories(home.resolve(".claude"));
    Files.writeString(home.resolve(".claude/settings.json"), "{\"model\": \"opus\",, }");
    Map<String, String> before = snapshot(home);
    OmemException e = assertThrows(OmemException.class, () -> install(ctx(), "claude-code", false));
    assertTrue(e.getMessage().contains("settings.json"), e.getMessage());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    assertEquals(before, snapshot(home));

    Files.writeString(home.resolve(".claude/settings.json"), "{\"hooks\": {\"Stop\": {}}}");
    e = assertThrows(OmemException.class, () -> install(ctx(), "claude-code", false));
    assertTrue(e.getMessage().contains("hooks.Stop is not a JSON array"), e.getMessage());

    Files.createDirectories(home.resolve(".cursor"));
    Files.writeString(home.resolve(".cursor/mcp.json"), "[1, 2]");
    e = assertThrows(OmemException.class, () -> install(ctx(), "cursor", false));
    assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    Files.writeString(
        home.resolve(".cursor/mcp.json"), "{\"mcpServers\": {}} // comment\n{\"x\": 1}");
    assertThrows(OmemException.class, () -> install(ctx(), "cursor", false));
    Files.writeString(home.resolve(".cursor/mcp.json"), "{\"mcpServers\": []}");
    assertThrows(OmemException.class, () -> install(ctx(), "cursor", false));
    assertFalse(Files.exists(data), "no jar copied when a config cannot be edited");
  }

  @Test
  void aNonDefaultDataDirIsNamedInEveryConfig() throws Exception {
    data = tmp.resolve("my data");
    InstallContext c = ctx();
    assertFalse(c.defaultDataHome());
    install(c, "claude-code", false);
    install(c, "cursor", false);
    install(c, "codex", false);
    JsonNode omem = read(home.resolve(".claude.json")).at("/mcpServers/omem");
    assertEquals(data.toString(), omem.at("/env/OMEM_HOME").asText());
    assertEquals(
        "OMEM_HOME='" + data + "' '" + data + "/hooks/omem-hook' Stop",
        read(home.resolve(".claude/settings.json")).at("/hooks/Stop/0/hooks/0/command").asText(),
        "shell-quoted, since the path has a space");
    assertEquals(
        data.toString(),
        read(home.resolve(".cursor/mcp.json")).at("/mcpServers/omem/env/OMEM_HOME").asText());
    assertTrue(
        Files.readString(home.resolve(".codex/config.toml"))
            .contains("env = { OMEM_HOME = \"" + data + "\" }"));
  }

  @Test
  void theStdioBridgeGoesBesideTheLauncherWhenTheJarCarriesIt() throws Exception {
    byte[] bridge = "#!/usr/bin/env node\n'use strict';\n".getBytes(StandardCharsets.UTF_8);
    resources.put(Artifacts.BRIDGE, bridge);
    install(ctx(), "claude-code", false);
    Path installed = data.resolve("bin/omem-bridge.js");
    assertArrayEquals(bridge, Files.readAllBytes(installed));
    assertTrue(Files.isExecutable(installed));
    assertTrue(Files.exists(data.resolve("bin/omem")), "the launcher that picks it");
  }

  @Test
  void withoutAHookScriptClaudeCodeGetsTheServerAndANote() throws Exception {
    resources.remove(Artifacts.HOOK_SCRIPT);
    Result r = install(ctx(), "claude-code", false);
    assertTrue(Files.exists(home.resolve(".claude.json")));
    assertFalse(Files.exists(home.resolve(".claude/settings.json")));
    assertTrue(r.output().contains("hooks were not set up"), r.output());
  }

  @Test
  void claudeConfigDirIsHonoured() throws Exception {
    Path dir = tmp.resolve("cc");
    install(
        ctx(InstallContext.Os.LINUX, Map.of("CLAUDE_CONFIG_DIR", dir.toString())),
        "claude-code",
        false);
    assertTrue(Files.exists(dir.resolve(".claude.json")));
    assertTrue(Files.exists(dir.resolve("settings.json")));
    assertFalse(Files.exists(home.resolve(".claude.json")));
  }

  @Test
  void theOmemPluginBeingEnabledIsPointedOut() throws Exception {
    Files.createDirectories(home.resolve(".claude"));
    Files.writeString(
        home.resolve(".claude/settings.json"), "{\"enabledPlugins\": {\"omem@omem\": true}}");
    Result r = install(ctx(), "claude-code", true);
    assertTrue(r.output().contains("plugin is enabled"), r.output());
  }

  @Test
  void aSymlinkedConfigIsEditedWhereItPoints() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("dotfiles")).resolve("mcp.json");
    Files.writeString(real, "{\"mcpServers\": {\"x\": {\"command\": \"x\"}}}");
    Files.createDirectories(home.resolve(".cursor"));
    Files.createSymbolicLink(home.resolve(".cursor/mcp.json"), real);
    install(ctx(), "cursor", false);
    assertTrue(Files.isSymbolicLink(home.resolve(".cursor/mcp.json")));
    assertEquals("x", read(real).at("/mcpServers/x/command").asText());
    assertTrue(read(real).at("/mcpServers/omem").isObject());
  }

  @Test
  void existingFilesKeepTheirPermissionsAndNewConfigsArePrivate() throws Exception {
    Path f = home.resolve(".claude.json");
    Files.writeString(f, "{}");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
    install(ctx(), "claude-code", false);
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(home.resolve(".claude/settings.json"))));
  }

  // ---- Cursor, Claude Desktop ------------------------------------------------------------------

  @Test
  void cursorAndClaudeDesktopKeepOtherServers() throws Exception {
    String other =
        "{\"globalShortcut\": \"Ctrl+Space\", \"mcpServers\": {\"fs\": {\"command\": \"npx\","
            + " \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/tmp\"]}}}";
    Path cursor = Files.createDirectories(home.resolve(".cursor")).resolve("mcp.json");
    Path desktop =
        Files.createDirectories(home.resolve(".config/Claude"))
            .resolve("claude_desktop_config.json");
    Files.writeString(cursor, other);
    Files.writeString(desktop, other);
    install(ctx(), "cursor", false);
    install(ctx(), "claude-desktop", false);
    for (Path f : List.of(cursor, desktop)) {
      ObjectNode n = (ObjectNode) read(f);
      JsonNode omem = ((ObjectNode) n.get("mcpServers")).remove("omem");
      assertEquals(JSON.readTree(other), n, f.toString());
      assertEquals(data.resolve("bin/omem").toString(), omem.get("command").asText());
      assertFalse(omem.has("type"));
      assertFalse(omem.has("env"));
    }
  }

  @Test
  void claudeDesktopPathPerSystem() {
    assertEquals(
        home.resolve("Library/Application Support/Claude/claude_desktop_config.json"),
        ClaudeDesktopClient.configFile(ctx(InstallContext.Os.MAC, Map.of())));
    assertEquals(
        Path.of("/x/AppData/Roaming/Claude/claude_desktop_config.json"),
        ClaudeDesktopClient.configFile(
            ctx(InstallContext.Os.WINDOWS, Map.of("APPDATA", "/x/AppData/Roaming"))));
    assertEquals(
        Path.of("/xdg/Claude/claude_desktop_config.json"),
        ClaudeDesktopClient.configFile(
            ctx(InstallContext.Os.LINUX, Map.of("XDG_CONFIG_HOME", "/xdg"))));
    assertEquals(
        home.resolve(".config/Claude/claude_desktop_config.json"),
        ClaudeDesktopClient.configFile(ctx()));
  }

  @Test
  void onWindowsClientsRunJavaDirectly() throws Exception {
    install(
        ctx(InstallContext.Os.WINDOWS, Map.of("APPDATA", tmp.resolve("appdata").toString())),
        "cursor",
        false);
    JsonNode omem = read(home.resolve(".cursor/mcp.json")).at("/mcpServers/omem");
    assertEquals("java", omem.get("command").asText());
    assertEquals(
        List.of("-jar", data.resolve("lib/omem.jar").toString(), "mcp"),
        JSON.convertValue(omem.get("args"), List.class));
    assertFalse(Files.exists(data.resolve("bin/omem")), "no bash launcher on Windows");
  }

  // ---- doctor ----------------------------------------------------------------------------------

  @Test
  void statusSaysWhichClientsAreConfigured() throws Exception {
    for (Client c : Client.all()) {
      assertTrue(c.status(ctx()).startsWith("not configured"), c.status(ctx()));
    }
    install(ctx(), "claude-code", false);
    install(ctx(), "codex", false);
    String cc = new ClaudeCodeClient().status(ctx());
    assertTrue(cc.startsWith("configured: " + data.resolve("bin/omem") + " mcp"), cc);
    assertTrue(
        cc.contains("hooks SessionStart, UserPromptSubmit, Stop, PreCompact, SessionEnd"), cc);
    assertTrue(
        new CodexClient().status(ctx()).startsWith("configured: command = \""),
        new CodexClient().status(ctx()));
    assertTrue(new CursorClient().status(ctx()).startsWith("not configured"));
    Files.delete(data.resolve("bin/omem"));
    assertTrue(new ClaudeCodeClient().status(ctx()).contains("does not exist"));
    Files.createDirectories(home.resolve(".cursor"));
    Files.writeString(home.resolve(".cursor/mcp.json"), "{oops");
    assertTrue(new CursorClient().status(ctx()).startsWith("unreadable"));
  }

  @Test
  void anUnknownClientIsRefusedWithTheList() {
    OmemException e = assertThrows(OmemException.class, () -> Installer.client("vscode"));
    assertTrue(
        e.getMessage().contains("claude-code, cursor, claude-desktop, codex"), e.getMessage());
  }
}
