package dev.omem.llm;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmSettingsTest {
  @TempDir Path home;

  LlmSettings resolve(Map<String, String> env) {
    return LlmSettings.resolve(home, env);
  }

  OmemException invalid(Map<String, String> env) {
    OmemException e = assertThrows(OmemException.class, () -> resolve(env));
    assertEquals(ErrorCode.VALIDATION, e.code());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  static Map<String, String> openai() {
    Map<String, String> env = new HashMap<>();
    env.put("OMEM_LLM_PROVIDER", "openai");
    env.put("OMEM_LLM_MODEL", "gpt-4o-mini");
    env.put("OMEM_LLM_API_KEY", "sk-test-123");
    return env;
  }

  @Test
  void nothingSetMeansNoLlm() {
    LlmSettings s = resolve(Map.of());
    assertFalse(s.enabled());
    assertEquals(LlmProvider.NONE, s.provider());
    assertFalse(resolve(Map.of("OMEM_LLM_PROVIDER", "none")).enabled());
    assertFalse(resolve(Map.of("OMEM_LLM_PROVIDER", " NONE ")).enabled());
    assertFalse(resolve(Map.of("OMEM_LLM_PROVIDER", "  ")).enabled());
  }

  @Test
  void providerKeysOfOtherToolsEnableNothing() {
    Map<String, String> env =
        Map.of(
            "ANTHROPIC_API_KEY", "sk-ant-xyz",
            "OPENAI_API_KEY", "sk-xyz",
            "OPENAI_BASE_URL", "https://api.openai.com/v1",
            "ANTHROPIC_MODEL", "claude-haiku-4-5");
    assertFalse(resolve(env).enabled());
    // Nor do they stand in for omem's own key once a provider is named.
    Map<String, String> named = new HashMap<>(env);
    named.put("OMEM_LLM_PROVIDER", "anthropic");
    named.put("OMEM_LLM_MODEL", "claude-haiku-4-5");
    OmemException e = invalid(named);
    assertTrue(e.getMessage().startsWith("OMEM_LLM_API_KEY"), e.getMessage());
  }

  @Test
  void openAiWithDefaults() {
    LlmSettings s = resolve(openai());
    assertEquals(LlmProvider.OPENAI, s.provider());
    assertEquals(URI.create("https://api.openai.com/v1"), s.baseUrl());
    assertEquals("gpt-4o-mini", s.model());
    assertEquals("sk-test-123", s.apiKey());
    assertEquals(Duration.ofMillis(20000), s.timeout());
    assertEquals(200_000, s.maxTokensPerHour());
  }

  @Test
  void anthropicWithEverythingSet() {
    LlmSettings s =
        resolve(
            Map.of(
                "OMEM_LLM_PROVIDER", "Anthropic",
                "OMEM_LLM_MODEL", "claude-haiku-4-5",
                "OMEM_LLM_API_KEY", "sk-ant-1",
                "OMEM_LLM_BASE_URL", "http://127.0.0.1:9999/proxy//",
                "OMEM_LLM_TIMEOUT_MS", "1500",
                "OMEM_LLM_MAX_TOKENS_PER_HOUR", "5000"));
    assertEquals(LlmProvider.ANTHROPIC, s.provider());
    assertEquals(URI.create("http://127.0.0.1:9999/proxy"), s.baseUrl());
    assertEquals(Duration.ofMillis(1500), s.timeout());
    assertEquals(5000, s.maxTokensPerHour());
    assertEquals(
        URI.create("https://api.anthropic.com"),
        resolve(
                Map.of(
                    "OMEM_LLM_PROVIDER", "anthropic",
                    "OMEM_LLM_MODEL", "m",
                    "OMEM_LLM_API_KEY", "k"))
            .baseUrl());
  }

  @Test
  void configFileKeysWorkAndVariablesWin() throws IOException {
    Files.writeString(
        home.resolve("config.json"),
        "{\"llm_provider\": \"anthropic\", \"llm_model\": \"claude-haiku-4-5\","
            + " \"llm_api_key\": \"sk-ant-file\", \"llm_timeout_ms\": 3000,"
            + " \"llm_max_tokens_per_hour\": 1000}");
    LlmSettings s = resolve(Map.of());
    assertEquals(LlmProvider.ANTHROPIC, s.provider());
    assertEquals("sk-ant-file", s.apiKey());
    assertEquals(Duration.ofMillis(3000), s.timeout());
    assertEquals(1000, s.maxTokensPerHour());
    assertEquals("other-model", resolve(Map.of("OMEM_LLM_MODEL", "other-model")).model());
    assertFalse(resolve(Map.of("OMEM_LLM_PROVIDER", "none")).enabled());
  }

  @Test
  void aProviderWithoutAModelNamesTheVariable() {
    Map<String, String> env = openai();
    env.remove("OMEM_LLM_MODEL");
    OmemException e = invalid(env);
    assertTrue(e.getMessage().startsWith("OMEM_LLM_MODEL (llm_model in config.json) is required"));
  }

  @Test
  void anUnknownProviderNamesTheVariable() {
    OmemException e = invalid(Map.of("OMEM_LLM_PROVIDER", "gemini", "OMEM_LLM_MODEL", "m"));
    assertTrue(e.getMessage().startsWith("OMEM_LLM_PROVIDER"), e.getMessage());
    assertTrue(e.getMessage().contains("openai, anthropic or none"), e.getMessage());
  }

  @Test
  void badNumbersNameTheirVariable() {
    for (String bad : new String[] {"0", "-1", "ten", "1.5"}) {
      Map<String, String> env = openai();
      env.put("OMEM_LLM_TIMEOUT_MS", bad);
      assertTrue(invalid(env).getMessage().startsWith("OMEM_LLM_TIMEOUT_MS"), bad);
      env = openai();
      env.put("OMEM_LLM_MAX_TOKENS_PER_HOUR", bad);
      assertTrue(invalid(env).getMessage().startsWith("OMEM_LLM_MAX_TOKENS_PER_HOUR"), bad);
    }
  }

  @Test
  void badBaseUrlsNameTheVariable() {
    for (String bad :
        new String[] {"ftp://x.org", "not a url", "localhost:11434", "http://h/?q=1"}) {
      Map<String, String> env = openai();
      env.put("OMEM_LLM_BASE_URL", bad);
      assertTrue(invalid(env).getMessage().startsWith("OMEM_LLM_BASE_URL"), bad);
    }
  }

  @Test
  void theKeyIsRequiredForThePublicApisOnly() {
    Map<String, String> env = openai();
    env.remove("OMEM_LLM_API_KEY");
    OmemException e = invalid(env);
    assertTrue(e.getMessage().startsWith("OMEM_LLM_API_KEY"), e.getMessage());
    env.put("OMEM_LLM_BASE_URL", "http://localhost:11434/v1");
    LlmSettings local = resolve(env);
    assertNull(local.apiKey(), "a local OpenAI-compatible server needs no key");
    env.put("OMEM_LLM_PROVIDER", "anthropic");
    assertTrue(invalid(env).getMessage().startsWith("OMEM_LLM_API_KEY"));
  }

  @Test
  void aKeyWithSpacesIsRefusedWithoutEchoingIt() {
    Map<String, String> env = openai();
    env.put("OMEM_LLM_API_KEY", "sk-abc def");
    OmemException e = invalid(env);
    assertTrue(e.getMessage().startsWith("OMEM_LLM_API_KEY"));
    assertFalse(e.getMessage().contains("sk-abc"));
  }

  @Test
  void toStringHidesTheKey() {
    String s = resolve(openai()).toString();
    assertFalse(s.contains("sk-test-123"), s);
    assertTrue(s.contains("gpt-4o-mini"), s);
  }
}
