package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.domain.ApiKey;
import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.Tenants;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RemoteKeyService} against a real {@code omem serve}: every call and its errors. */
class RemoteKeyServiceTest {
  @TempDir Path home;
  LocalMemoryService backing;
  OmemHttpServer server;
  final Caller me = new Caller(null, null, "test", null);

  @BeforeEach
  void start() throws Exception {
    backing = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    server =
        OmemHttpServer.start(
            backing, backing.tenants(), ServeSettings.defaults("127.0.0.1", 0), "keys");
  }

  @AfterEach
  void stop() {
    server.close();
    backing.close();
  }

  private RemoteKeyService client(String key) {
    return new RemoteKeyService(RemoteConfig.of("http://127.0.0.1:" + server.port(), key));
  }

  private static ErrorCode failure(Runnable call) {
    return assertThrows(OmemException.class, call::run).code();
  }

  @Test
  void everyCallRoundTripsAndErrorsKeepTheirKind() {
    Tenants.NewTenant t = backing.tenants().create("remote");
    try (RemoteKeyService keys = client(t.apiKey())) {
      List<ApiKey> first = keys.list(me);
      assertEquals(1, first.size());
      assertEquals("default", first.get(0).name());
      assertEquals(t.apiKey().substring(0, 12), first.get(0).prefix());

      ApiKey.Issued made = keys.create(me, "laptop");
      assertEquals("laptop", made.key().name());
      assertNull(made.key().revokedAt());
      assertNotNull(made.key().createdAt());
      try (RemoteKeyService laptop = client(made.secret())) {
        assertEquals(2, laptop.list(me).size());
        ApiKey.Issued rotated = keys.rotate(me, made.key().id());
        assertEquals(made.key().id(), rotated.key().id());
        assertNotEquals(made.secret(), rotated.secret());
        assertNotNull(rotated.key().rotatedAt());
        assertEquals(ErrorCode.UNAUTHORIZED, failure(() -> laptop.list(me)));
        try (RemoteKeyService fresh = client(rotated.secret())) {
          ApiKey revoked = fresh.revoke(me, first.get(0).id());
          assertTrue(revoked.revoked());
          assertEquals(
              ErrorCode.CONFLICT, failure(() -> fresh.revoke(me, made.key().id())), "last key");
        }
      }
      assertEquals(ErrorCode.UNAUTHORIZED, failure(() -> keys.list(me)), "the revoked default");
    }
    Tenants.NewTenant other = backing.tenants().create("other");
    try (RemoteKeyService keys = client(other.apiKey())) {
      assertEquals(ErrorCode.VALIDATION, failure(() -> keys.create(me, "no/slashes")));
      assertEquals(ErrorCode.VALIDATION, failure(() -> keys.create(me, null)));
      assertEquals(ErrorCode.VALIDATION, failure(() -> keys.rotate(me, "nope")));
      assertEquals(ErrorCode.NOT_FOUND, failure(() -> keys.revoke(me, "key_" + "a".repeat(24))));
      assertFalse(keys.list(me).get(0).revoked());
    }
  }
}
