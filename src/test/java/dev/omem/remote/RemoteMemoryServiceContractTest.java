package dev.omem.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.MemoryService;
import dev.omem.service.MemoryServiceContract;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * The service contract through the wire: {@link RemoteMemoryService} talking to a real {@code omem
 * serve} (Jetty on loopback, over a real store) with a tenant's key, as a remote agent would.
 */
class RemoteMemoryServiceContractTest extends MemoryServiceContract {
  private LocalMemoryService backing;
  private OmemHttpServer server;

  @Override
  protected MemoryService open(Path home) {
    backing = LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL));
    assertTrue(backing.awaitModel(Duration.ofSeconds(120)), "model loads");
    try {
      server =
          OmemHttpServer.start(
              backing, backing.tenants(), ServeSettings.defaults("127.0.0.1", 0), "contract");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String key = backing.tenants().create("contract").apiKey();
    return RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), key);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (backing != null) {
      backing.close();
    }
  }
}
