package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.domain.OmemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCliSettingsTest {
  @TempDir Path home;

  @Test
  void offByDefault() {
    assertFalse(AgentCliSettings.resolve(home, Map.of()).enabled());
    assertFalse(AgentCliSettings.resolve(home, Map.of("OMEM_EXTRACTOR", "learned")).enabled());
    assertFalse(
        AgentCliSettings.resolve(home, Map.of("ANTHROPIC_API_KEY", "sk-ant-x")).enabled(),
        "being signed in to a CLI or having a key turns nothing on");
  }

  @Test
  void onWithDefaults() {
    AgentCliSettings s = AgentCliSettings.resolve(home, Map.of("OMEM_EXTRACTOR", "Agent-CLI"));
    assertTrue(s.enabled());
    assertEquals(List.of("claude"), s.command());
    assertEquals("haiku", s.model());
    assertEquals(Duration.ofMinutes(2), s.timeout());
    assertEquals(LlmSettings.DEFAULT_MAX_TOKENS_PER_HOUR, s.maxTokensPerHour());
  }

  @Test
  void fromConfigJsonAsOmemInstallWritesIt() throws Exception {
    Files.writeString(
        home.resolve("config.json"),
        "{\"extractor\":\"agent-cli\",\"agent_cli\":\"/opt/bin/claude --verbose\","
            + "\"agent_cli_model\":\"default\",\"agent_cli_timeout_ms\":\"5000\","
            + "\"llm_max_tokens_per_hour\":\"9000\"}");
    AgentCliSettings s = AgentCliSettings.resolve(home, Map.of());
    assertEquals(List.of("/opt/bin/claude", "--verbose"), s.command());
    assertNull(s.model(), "default: the CLI chooses");
    assertEquals(Duration.ofSeconds(5), s.timeout());
    assertEquals(9000, s.maxTokensPerHour());
    assertFalse(
        AgentCliSettings.resolve(home, Map.of("OMEM_EXTRACTOR", "learned")).enabled(),
        "the variable overrides the file");
  }

  @Test
  void wrongValuesNameTheSetting() {
    OmemException e =
        assertThrows(
            OmemException.class,
            () -> AgentCliSettings.resolve(home, Map.of("OMEM_EXTRACTOR", "claude")));
    assertTrue(
        e.getMessage().contains("OMEM_EXTRACTOR (extractor in config.json)"), e.getMessage());
    assertThrows(
        OmemException.class,
        () ->
            AgentCliSettings.resolve(
                home, Map.of("OMEM_EXTRACTOR", "agent-cli", "OMEM_AGENT_CLI_TIMEOUT_MS", "-1")));
    assertThrows(
        OmemException.class,
        () ->
            AgentCliSettings.resolve(
                home, Map.of("OMEM_EXTRACTOR", "agent-cli", "OMEM_AGENT_CLI_MODEL", "--dangerous")),
        "a model name cannot smuggle a flag in");
    assertEquals(
        List.of("claude"),
        AgentCliSettings.resolve(home, Map.of("OMEM_EXTRACTOR", "agent-cli", "OMEM_AGENT_CLI", " "))
            .command(),
        "a blank command is no setting");
  }
}
