package dev.omem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default data dir follows {@code $HOME}, as the launchers' does. */
class UserHomeTest {
  @Test
  void homeComesFromTheEnvironmentWhenSet() {
    assertEquals(Path.of("/tmp/h"), UserHome.of(Map.of("HOME", "/tmp/h")));
    assertEquals(Path.of(System.getProperty("user.home")), UserHome.of(Map.of()));
    assertEquals(Path.of(System.getProperty("user.home")), UserHome.of(Map.of("HOME", "rel")));
  }

  @Test
  void theDefaultDataDirIsUnderHome() {
    assertEquals(
        Path.of("/tmp/h/.omem"), OmemConfig.resolve(null, Map.of("HOME", "/tmp/h")).home());
    assertEquals(
        Path.of("/tmp/h/data"),
        OmemConfig.resolve(null, Map.of("HOME", "/tmp/h", "OMEM_HOME", "~/data")).home());
  }
}
