package dev.omem.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.remote.RemoteConfig;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.BackupInfo;
import dev.omem.service.Caller;
import dev.omem.store.sqlite.StoreBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/backups}: the daemon (its token: the machine's owner) snapshots the store it
 * holds; a tenant of the server may not copy everyone's memories.
 */
class BackupHttpTest {
  static final String TOKEN = "local-token-for-the-backup-test-0123456789";
  @TempDir static Path home;
  @TempDir static Path elsewhere;
  static HttpFixture http;

  @BeforeAll
  static void start() throws Exception {
    http = HttpFixture.start(home, HttpFixture.settings().withLocalToken(TOKEN));
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  @Test
  void theOwnerBacksUpIntoBackupsOrANamedFile() throws Exception {
    http.create(TOKEN, "The release train leaves on Tuesdays");
    JsonNode b = http.post("/v1/backups", TOKEN, "{}").expect(201);
    Path file = Path.of(b.path("path").asText());
    assertEquals(home.resolve("backups"), file.getParent());
    assertEquals(Files.size(file), b.path("size_bytes").asLong());
    assertTrue(StoreBackup.verify(file) > 0);

    Path named = elsewhere.resolve("named.db");
    String body = HttpFixture.json(java.util.Map.of("file", named.toString()));
    assertEquals(
        named.toString(), http.post("/v1/backups", TOKEN, body).expect(201).path("path").asText());
    http.post("/v1/backups", TOKEN, body).expectError(400, "validation_error");
    http.post("/v1/backups", TOKEN, "{\"file\": \"relative.db\"}")
        .expectError(400, "validation_error");
    http.post("/v1/backups", TOKEN, "{\"file\": 5}").expectError(400, "validation_error");
    http.post("/v1/backups", TOKEN, "[1]").expectError(400, "validation_error");

    // the thin client's way: RemoteMemoryService against the daemon's port with its token
    Path viaClient = elsewhere.resolve("client.db");
    try (RemoteMemoryService remote =
        new RemoteMemoryService(RemoteConfig.of("http://127.0.0.1:" + http.server.port(), TOKEN))) {
      BackupInfo info = remote.backup(Caller.local(null), viaClient.toString());
      assertEquals(viaClient.toString(), info.path());
      assertEquals(Files.size(viaClient), info.sizeBytes());
    }
    assertTrue(StoreBackup.verify(viaClient) > 0);
  }

  @Test
  void aTenantIsRefused() throws Exception {
    HttpFixture.Tenant t = http.newTenant("curious");
    Path target = elsewhere.resolve("stolen.db");
    String body = HttpFixture.json(java.util.Map.of("file", target.toString()));
    http.post("/v1/backups", t.key(), body).expectError(403, "forbidden");
    http.post("/v1/backups", null, "{}").expectError(401, "unauthorized");
    assertFalse(Files.exists(target));
  }
}
