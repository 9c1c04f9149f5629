package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.OmemException;
import dev.omem.remote.RemoteConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Local-only commands (backup, restore, reindex) refuse remote mode with one message. */
class RemoteRefusalTest {
  @Test
  void remoteModeIsRefusedWithTheServerAndBothVariablesNamed() {
    Optional<RemoteConfig> remote =
        RemoteConfig.fromEnvironment(
            Map.of(
                RemoteConfig.URL_VARIABLE,
                "https://omem.example:8080",
                RemoteConfig.KEY_VARIABLE,
                "k"));
    OmemException e =
        assertThrows(OmemException.class, () -> CommonOptions.refuseRemote("backup", remote));
    assertTrue(
        e.getMessage().startsWith("omem backup works on the local store only"), e.getMessage());
    assertTrue(e.getMessage().contains("https://omem.example:8080"), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "unset "
                    + RemoteConfig.URL_VARIABLE
                    + " and "
                    + RemoteConfig.KEY_VARIABLE
                    + " to backup the local store"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line on stderr");
  }

  @Test
  void theLocalStoreIsNotRefused() {
    assertDoesNotThrow(() -> CommonOptions.refuseRemote("restore", Optional.empty()));
  }
}
