package dev.omem.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.omem.config.OmemConfig;
import dev.omem.config.RerankSetting;
import dev.omem.domain.Memory;
import dev.omem.http.OmemHttpServer;
import dev.omem.http.ServeSettings;
import dev.omem.remote.RemoteMemoryService;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.MemoryService;
import dev.omem.service.StoreRequest;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memory_update} with {@code expected_version} (issue 17): a stale version writes nothing
 * and tells the agent to re-read, in the same words in-process and through the remote client
 * against a real {@code omem serve} (the daemon's path too: the stdio server reaches it with the
 * same client).
 */
class UpdateToolVersionTest {
  @TempDir Path home;

  private static McpSchema.CallToolResult call(
      MemoryService svc, Caller caller, Map<String, Object> args) {
    SyncToolSpecification spec =
        UpdateTool.spec(
            new ToolContext(() -> svc, ex -> caller, () -> false, () -> RerankSetting.Mode.OFF));
    return spec.callHandler()
        .apply(null, McpSchema.CallToolRequest.builder("memory_update").arguments(args).build());
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  /** The tool's answers to a stale and then a current expected_version; ids made comparable. */
  private static String staleThenCurrent(MemoryService svc, Caller caller) {
    Memory m = svc.store(caller, StoreRequest.of("The queue is RabbitMQ"));
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("id", m.id());
    first.put("content", "The queue is RabbitMQ 3.13");
    first.put("expected_version", 1);
    McpSchema.CallToolResult ok = call(svc, caller, first);
    assertFalse(Boolean.TRUE.equals(ok.isError()), text(ok));

    Map<String, Object> stale = new LinkedHashMap<>(first);
    stale.put("content", "The queue is Kafka");
    McpSchema.CallToolResult conflict = call(svc, caller, stale);
    assertTrue(Boolean.TRUE.equals(conflict.isError()), text(conflict));
    Memory now = svc.get(caller, m.id());
    assertEquals("The queue is RabbitMQ 3.13", now.content(), "nothing written");
    assertEquals(2, now.version());

    Map<String, Object> current = new LinkedHashMap<>(stale);
    current.put("expected_version", 2);
    McpSchema.CallToolResult retried = call(svc, caller, current);
    assertFalse(Boolean.TRUE.equals(retried.isError()), text(retried));
    assertEquals("The queue is Kafka", svc.get(caller, m.id()).content());
    return text(conflict).replace(m.id(), "<id>");
  }

  @Test
  void aStaleExpectedVersionSaysReReadTheSameInProcessAndRemotely() throws Exception {
    try (LocalMemoryService local =
        LocalMemoryService.open(new OmemConfig(home, OmemConfig.DEFAULT_MODEL))) {
      assertTrue(local.awaitModel(Duration.ofSeconds(120)), "model loads");
      String inProcess = staleThenCurrent(local, Caller.local("github.com/acme/alpha"));
      assertEquals(
          "Not updated: memory <id> was changed by someone else since you read it (you expected"
              + " version 1, it is now at version 2). Re-read it with memory_get, then apply your"
              + " change to what it says now and call memory_update again with expected_version"
              + " 2.",
          inProcess);
      try (OmemHttpServer server =
          OmemHttpServer.start(
              local, local.tenants(), ServeSettings.defaults("127.0.0.1", 0), "test")) {
        String key = local.tenants().create("remote").apiKey();
        try (RemoteMemoryService remote =
            RemoteMemoryService.connect("http://127.0.0.1:" + server.port(), key)) {
          assertEquals(inProcess, staleThenCurrent(remote, new Caller(null, null, null, null)));
        }
      }
    }
  }
}
