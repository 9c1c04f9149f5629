package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteConfigTest {

  static OmemException invalid(Map<String, String> env) {
    OmemException e = assertThrows(OmemException.class, () -> RemoteConfig.fromEnvironment(env));
    assertEquals(ErrorCode.VALIDATION, e.code());
    return e;
  }

  @Test
  void neitherVariableMeansLocal() {
    assertEquals(Optional.empty(), RemoteConfig.fromEnvironment(Map.of()));
    assertEquals(
        Optional.empty(),
        RemoteConfig.fromEnvironment(Map.of("OMEM_API_URL", " ", "OMEM_API_KEY", "")));
  }

  @Test
  void bothVariablesMeanRemote() {
    RemoteConfig c =
        RemoteConfig.fromEnvironment(
                Map.of("OMEM_API_URL", " https://mem.example.org/ ", "OMEM_API_KEY", "k-123 "))
            .orElseThrow();
    assertEquals(URI.create("https://mem.example.org"), c.url());
    assertEquals("k-123", c.apiKey());
    assertEquals(RemoteConfig.DEFAULT_TIMEOUT, c.timeout());
    assertEquals(Duration.ofSeconds(10), c.timeout());
  }

  @Test
  void trailingSlashesGoAPathPrefixStays() {
    RemoteConfig c =
        RemoteConfig.fromEnvironment(
                Map.of("OMEM_API_URL", "http://10.0.0.5:8080/omem//", "OMEM_API_KEY", "k"))
            .orElseThrow();
    assertEquals(URI.create("http://10.0.0.5:8080/omem"), c.url());
  }

  @Test
  void aUrlWithoutAKeyNamesTheMissingVariable() {
    OmemException e = invalid(Map.of("OMEM_API_URL", "https://mem.example.org"));
    assertTrue(
        e.getMessage().startsWith("OMEM_API_URL is set but OMEM_API_KEY is not"), e.getMessage());
  }

  @Test
  void aKeyWithoutAUrlNamesTheMissingVariable() {
    OmemException e = invalid(Map.of("OMEM_API_KEY", "secret"));
    assertTrue(
        e.getMessage().startsWith("OMEM_API_KEY is set but OMEM_API_URL is not"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), "never echo the key");
  }

  @Test
  void theTimeoutIsMilliseconds() {
    RemoteConfig c =
        RemoteConfig.fromEnvironment(
                Map.of(
                    "OMEM_API_URL", "http://localhost:1",
                    "OMEM_API_KEY", "k",
                    "OMEM_API_TIMEOUT_MS", "1500"))
            .orElseThrow();
    assertEquals(Duration.ofMillis(1500), c.timeout());
    for (String bad : new String[] {"0", "-5", "ten", "1.5"}) {
      OmemException e =
          invalid(
              Map.of(
                  "OMEM_API_URL", "http://localhost:1",
                  "OMEM_API_KEY", "k",
                  "OMEM_API_TIMEOUT_MS", bad));
      assertTrue(e.getMessage().contains("OMEM_API_TIMEOUT_MS"), e.getMessage());
    }
  }

  @Test
  void aUrlMustBeHttpWithAHost() {
    for (String bad :
        new String[] {
          "mem.example.org", "ftp://mem.example.org", "http://", "http://h/?x=1", "a b"
        }) {
      OmemException e = invalid(Map.of("OMEM_API_URL", bad, "OMEM_API_KEY", "k"));
      assertTrue(e.getMessage().contains("OMEM_API_URL"), e.getMessage());
    }
  }

  @Test
  void aKeyThatCannotTravelInAHeaderIsRefusedWithoutEchoingIt() {
    OmemException e =
        invalid(Map.of("OMEM_API_URL", "http://localhost:1", "OMEM_API_KEY", "sé cret"));
    assertTrue(e.getMessage().contains("OMEM_API_KEY"), e.getMessage());
    assertFalse(e.getMessage().contains("cret"));
  }

  @Test
  void toStringHidesTheKey() {
    String s = RemoteConfig.of("http://localhost:1", "very-secret").toString();
    assertFalse(s.contains("very-secret"), s);
    assertTrue(s.contains("http://localhost:1"), s);
  }
}
