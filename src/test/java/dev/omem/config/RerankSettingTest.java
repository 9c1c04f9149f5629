package dev.omem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OMEM_RERANK}: off unless set; the variable over config.json; a typo is off. */
class RerankSettingTest {
  @TempDir Path home;

  @Test
  void offUnlessTheUserChoosesAModel() throws Exception {
    assertEquals(RerankSetting.Mode.OFF, RerankSetting.resolve(home, Map.of()));
    Files.writeString(home.resolve("config.json"), "{\"rerank\": \"llm\"}");
    assertEquals(RerankSetting.Mode.LLM, RerankSetting.resolve(home, Map.of()));
    assertEquals(
        RerankSetting.Mode.SAMPLING,
        RerankSetting.resolve(home, Map.of(RerankSetting.VARIABLE, " Sampling ")));
    assertEquals(
        RerankSetting.Mode.OFF, RerankSetting.resolve(home, Map.of(RerankSetting.VARIABLE, "on")));
  }
}
