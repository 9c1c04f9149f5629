package dev.omem.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code OMEM_SAMPLING}: on unless turned off; anything unclear counts as off. */
class SamplingSettingTest {
  @TempDir Path home;

  @Test
  void onByDefault() {
    assertTrue(SamplingSetting.enabled(home, Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "OFF", " false ", "no", "0", "of", "disabled", "maybe"})
  void offWhenTurnedOffOrUnclear(String value) {
    assertFalse(SamplingSetting.enabled(home, Map.of("OMEM_SAMPLING", value)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"on", "ON", "true", "yes", "1"})
  void onWhenTurnedOn(String value) {
    assertTrue(SamplingSetting.enabled(home, Map.of("OMEM_SAMPLING", value)));
  }

  @Test
  void configJsonTurnsItOffAndTheVariableWins() throws Exception {
    Files.writeString(home.resolve("config.json"), "{\"sampling\": \"off\"}");
    assertFalse(SamplingSetting.enabled(home, Map.of()));
    assertTrue(SamplingSetting.enabled(home, Map.of("OMEM_SAMPLING", "on")));
  }

  @Test
  void anUnreadableConfigFileCountsAsOff() throws Exception {
    Files.writeString(home.resolve("config.json"), "{not json");
    assertFalse(SamplingSetting.enabled(home, Map.of()));
  }
}
