package dev.omem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.Tenants;
import dev.omem.testing.BuiltJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omem keys} as a person runs it: the built jar in child processes, pointed by {@code
 * OMEM_API_URL} and {@code OMEM_API_KEY} at a real {@code omem serve} on loopback (in this JVM).
 */
class KeysCliIT {
  static final String JAR = BuiltJar.path().toString();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path work;
  LocalMemoryService backing;
  OmemHttpServer server;
  String url;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    backing = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    server =
        OmemHttpServer.start(
            backing, backing.tenants(), ServeSettings.defaults("127.0.0.1", 0), "keys-cli");
    url = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    backing.close();
  }

  /** {@code omem ARGS} with this key ({@code null}: no remote server configured). */
  Run omem(String key, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().remove("OMEM_API_URL");
    pb.environment().remove("OMEM_API_KEY");
    pb.environment().put("OMEM_HOME", work.resolve("client-home").toString());
    pb.environment().put("OMEM_DAEMON", "off");
    if (key != null) {
      pb.environment().put("OMEM_API_URL", url);
      pb.environment().put("OMEM_API_KEY", key);
    }
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "omem " + String.join(" ", args) + " hung");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Run ok(String key, String... args) throws Exception {
    Run r = omem(key, args);
    assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    return r;
  }

  /** A refusal: non-zero, one line on stderr starting {@code omem: }, nothing on stdout. */
  private String refused(String key, String... args) throws Exception {
    Run r = omem(key, args);
    String what = String.join(" ", args) + ": " + r.out() + r.err();
    assertNotEquals(0, r.code(), what);
    assertEquals(1, r.err().strip().lines().count(), what);
    assertTrue(r.err().startsWith("omem: "), what);
    assertEquals("", r.out(), what);
    return r.err().strip();
  }

  @Test
  void createListRotateRevokeThroughTheCli() throws Exception {
    Tenants.NewTenant t = backing.tenants().create("cli");
    Run list = ok(t.apiKey(), "keys", "list");
    assertTrue(list.out().contains("default"), list.out());
    assertFalse(list.out().contains(t.apiKey()), list.out());

    JsonNode laptop = JSON.readTree(ok(t.apiKey(), "keys", "create", "laptop", "--json").out());
    String laptopKey = laptop.path("api_key").asText();
    String laptopId = laptop.path("id").asText();
    assertEquals("laptop", laptop.path("name").asText());

    // For people: the secret alone on the last line, for a script to take.
    Run ci = ok(laptopKey, "keys", "create", "ci runner");
    List<String> lines = ci.out().strip().lines().toList();
    String ciKey = lines.get(lines.size() - 1);
    assertTrue(ciKey.startsWith("omem_") && !ciKey.contains(" "), ci.out());

    Run all = ok(ciKey, "keys", "list", "--json");
    JsonNode keys = JSON.readTree(all.out()).path("keys");
    assertEquals(3, keys.size(), all.out());
    for (String secret : List.of(t.apiKey(), laptopKey, ciKey)) {
      assertFalse(all.out().contains(secret), all.out());
    }
    String ciId = keys.get(2).path("id").asText();

    JsonNode rotated = JSON.readTree(ok(t.apiKey(), "keys", "rotate", laptopId, "--json").out());
    String newLaptopKey = rotated.path("api_key").asText();
    assertEquals(laptopId, rotated.path("id").asText());
    assertTrue(refused(laptopKey, "keys", "list").contains("unknown API key"));
    ok(newLaptopKey, "keys", "list");

    Run revoked = ok(newLaptopKey, "keys", "revoke", ciId);
    assertTrue(revoked.out().startsWith("Revoked " + ciId), revoked.out());
    refused(ciKey, "keys", "list");
    JsonNode after = JSON.readTree(ok(t.apiKey(), "keys", "list", "--json").out()).path("keys");
    assertEquals("revoked", after.get(2).path("status").asText());
  }

  @Test
  void mistakesAreOneLineAndANonZeroExit() throws Exception {
    Tenants.NewTenant t = backing.tenants().create("cli-errors");
    Tenants.NewTenant other = backing.tenants().create("cli-other");
    String defaultId =
        JSON.readTree(ok(t.apiKey(), "keys", "list", "--json").out())
            .path("keys")
            .get(0)
            .path("id")
            .asText();
    assertTrue(refused(t.apiKey(), "keys", "revoke", defaultId).contains("last active key"));
    assertTrue(refused(other.apiKey(), "keys", "revoke", defaultId).contains("no API key"));
    refused(t.apiKey(), "keys", "create", "bad/name");
    refused(t.apiKey(), "keys", "rotate", "not-a-key-id");
    refused(t.apiKey(), "keys", "create");
    refused(t.apiKey(), "keys");
    refused(t.apiKey(), "keys", "destroy", defaultId);
    assertTrue(refused(null, "keys", "list").contains("OMEM_API_URL"));
    // Nothing changed: still one active key, which still works.
    JsonNode keys = JSON.readTree(ok(t.apiKey(), "keys", "list", "--json").out()).path("keys");
    assertEquals(1, keys.size());
    assertEquals("active", keys.get(0).path("status").asText());
  }
}
