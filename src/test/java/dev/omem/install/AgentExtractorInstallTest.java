package dev.omem.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.OmemException;
import dev.omem.llm.AgentCliSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omem install claude-code --agent-extractor}: the setting the daemon then reads. */
class AgentExtractorInstallTest {
  @TempDir Path tmp;
  Path data;
  Path jar;

  @BeforeEach
  void setUp() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    data = home.resolve(".omem");
    jar = InstallerTest.fakeJar(tmp.resolve("omem.jar"), "20260101000000000");
    Map<String, byte[]> resources =
        Map.of(
            Artifacts.LAUNCHER,
            InstallerTest.LAUNCHER,
            Artifacts.HOOK_SCRIPT,
            InstallerTest.HOOK,
            Artifacts.HOOKS_JSON,
            Files.readAllBytes(Path.of("plugins/claude-code/hooks/hooks.json").toAbsolutePath()));
    ctx =
        new InstallContext(
            home,
            data,
            true,
            Map.of(),
            InstallContext.Os.LINUX,
            name -> Optional.ofNullable(resources.get(name)));
  }

  InstallContext ctx;

  static JsonNode read(Path f) throws Exception {
    return InstallerTest.JSON.readTree(f.toFile());
  }

  List<FileEdit> install(String client, boolean dryRun, StringWriter out) throws Exception {
    return new Installer(ctx, new PrintWriter(out))
        .install(Installer.client(client), jar, dryRun, true);
  }

  @Test
  void turnsTheExtractorOnKeepingTheOtherSettings() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("config.json"), "{\"admission_threshold\": 0.6}");
    Files.setPosixFilePermissions(
        data.resolve("config.json"), PosixFilePermissions.fromString("rw-------"));
    assertFalse(AgentCliSettings.resolve(data, Map.of()).enabled(), "off before");

    StringWriter out = new StringWriter();
    install("claude-code", false, out);
    JsonNode config = read(data.resolve("config.json"));
    assertEquals("agent-cli", config.path("extractor").asText());
    assertEquals(0.6, config.path("admission_threshold").asDouble(), "other keys kept");
    assertTrue(out.toString().contains("extractor"), out.toString());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("config.json"))));
    assertTrue(AgentCliSettings.resolve(data, Map.of()).enabled(), "what the daemon reads");

    StringWriter again = new StringWriter();
    install("claude-code", false, again);
    assertTrue(
        again.toString().contains("unchanged " + data.resolve("config.json")), again.toString());
  }

  @Test
  void aDryRunWritesNothingAndOtherClientsAreRefused() throws Exception {
    install("claude-code", true, new StringWriter());
    assertFalse(Files.exists(data.resolve("config.json")));
    OmemException e =
        assertThrows(OmemException.class, () -> install("cursor", false, new StringWriter()));
    assertTrue(e.getMessage().contains("claude-code"), e.getMessage());
    assertFalse(Files.exists(data.resolve("lib/omem.jar")), "refused before anything is written");
  }

  @Test
  void aNewConfigFileIsTheUsersOnly() throws Exception {
    install("claude-code", false, new StringWriter());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("config.json"))));
    assertEquals("agent-cli", read(data.resolve("config.json")).path("extractor").asText());
  }

  @Test
  void withoutTheOptionTheSettingIsUntouched() throws Exception {
    new Installer(ctx, new PrintWriter(new StringWriter()))
        .install(Installer.client("claude-code"), jar, false);
    assertFalse(Files.exists(data.resolve("config.json")));
  }
}
