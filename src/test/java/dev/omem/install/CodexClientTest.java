package dev.omem.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.OmemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Codex's config.toml, edited as text: only the omem table changes. */
class CodexClientTest {
  @TempDir Path home;
  Path file;
  InstallContext ctx;

  @BeforeEach
  void setUp() throws IOException {
    file = Files.createDirectories(home.resolve(".codex")).resolve("config.toml");
    ctx =
        new InstallContext(
            home,
            home.resolve(".omem"),
            true,
            Map.of(),
            InstallContext.Os.LINUX,
            name -> Optional.empty());
  }

  String omemBlock() {
    return "[mcp_servers.omem]\ncommand = \""
        + home.resolve(".omem/bin/omem")
        + "\"\nargs = [\"mcp\"]\n";
  }

  String apply() throws IOException {
    List<FileEdit> edits = new CodexClient().plan(ctx);
    for (FileEdit e : edits) {
      e.apply();
    }
    return Files.readString(file);
  }

  static final String CONFIG =
      """
      # Codex settings
      model = "o3"   # the default model
      approval_policy = "on-request"
      notes = \"\"\"
      [mcp_servers.omem]
      this is a string, not a table
      \"\"\"

      [profiles.fast]
      model = "o4-mini"

      # The GitHub server
      [mcp_servers.github]
      command = "gh-mcp"
      args = [
        "--read-only", # no writes
        "--verbose",
      ]
      env = { TOKEN = "t" }

      [mcp_servers.omem]
      # an old install
      command = "java"
      args = ["-jar", "/old/omem.jar", "mcp"]

      [mcp_servers.omem.env]
      OMEM_HOME = "/old"

      # Trailing comment about tools
      [tools]
      web_search = true
      when = 1979-05-27 07:32:00Z
      """;

  @Test
  void replacesOnlyTheOmemTableKeepingCommentsAndOtherTables() throws Exception {
    Files.writeString(file, CONFIG);
    String after = apply();
    String expected =
        CONFIG.replace(
            """
            [mcp_servers.omem]
            # an old install
            command = "java"
            args = ["-jar", "/old/omem.jar", "mcp"]

            [mcp_servers.omem.env]
            OMEM_HOME = "/old"
            """,
            omemBlock());
    assertEquals(expected, after);
    assertTrue(after.contains("notes = \"\"\"\n[mcp_servers.omem]\nthis is a string"));
  }

  @Test
  void appendsTheTableWhenAbsentAndIsIdempotent() throws Exception {
    String config = "model = \"o3\"\n\n[mcp_servers.github]\ncommand = \"gh\"\n";
    Files.writeString(file, config);
    assertEquals(config + "\n" + omemBlock(), apply());
    String once = Files.readString(file);
    List<FileEdit> again = new CodexClient().plan(ctx);
    assertFalse(again.get(0).changes(), again.toString());
    assertEquals(once, apply());
  }

  @Test
  void createsTheFileWhenMissingAndKeepsCrlf() throws Exception {
    assertEquals(omemBlock(), apply());
    Files.writeString(file, "model = \"o3\"\r\n");
    assertEquals("model = \"o3\"\r\n\r\n" + omemBlock().replace("\n", "\r\n"), apply());
  }

  @Test
  void malformedTomlIsRefusedAndNothingIsWritten() throws Exception {
    for (String bad :
        List.of(
            "model = \"o3\n",
            "[mcp_servers.github\ncommand = \"x\"\n",
            "just some words\n",
            "args = [\"a\", \"b\"\n",
            "x = \"\"\"never closed\n",
            "x = 1 2\n",
            "[mcp_servers.omem]\ncommand = \"a\"\n[mcp_servers.omem]\ncommand = \"b\"\n")) {
      Files.writeString(file, bad);
      OmemException e = assertThrows(OmemException.class, () -> new CodexClient().plan(ctx), bad);
      assertTrue(e.getMessage().contains("not valid TOML: line"), e.getMessage());
      assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
      assertEquals(bad, Files.readString(file));
    }
  }

  @Test
  void anOmemEntryInAnotherFormIsRefusedNotGuessedAt() throws Exception {
    for (String other :
        List.of(
            "mcp_servers.omem.command = \"x\"\n",
            "[mcp_servers]\nomem = { command = \"x\" }\n",
            "mcp_servers = { omem = { command = \"x\" } }\n")) {
      Files.writeString(file, other);
      OmemException e = assertThrows(OmemException.class, () -> new CodexClient().plan(ctx), other);
      assertTrue(e.getMessage().contains("omem install"), e.getMessage());
    }
  }

  @Test
  void stringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\"", CodexClient.string("a\"b\\c"));
  }
}
