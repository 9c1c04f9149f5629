package dev.omem.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Prepares, on a second thread, what answering {@code initialize} needs while the main thread
 * builds the server: Reactor's schedulers, and the JSON mapper's (de)serializers for the SDK's
 * message records, built on first use by reflection (about 200 ms on two cores, DESIGN.md decision
 * 3). The mapper caches them, so this must be the server's own mapper. Sends nothing.
 */
final class McpClassWarmer {
  private static final String SAMPLE_REQUEST =
      "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"warm\",\"version\":"
          + "\"0\"}}}";

  private McpClassWarmer() {}

  static void start(McpJsonMapper json) {
    Thread t = new Thread(() -> warm(json), "omem-class-warmer");
    t.setDaemon(true);
    t.start();
  }

  private static void warm(McpJsonMapper json) {
    try {
      Mono.just(1).subscribeOn(Schedulers.boundedElastic()).block();
      McpSchema.JSONRPCMessage request = McpSchema.deserializeJsonRpcMessage(json, SAMPLE_REQUEST);
      json.convertValue(
          ((McpSchema.JSONRPCRequest) request).params(), McpSchema.InitializeRequest.class);
      McpSchema.InitializeResult result =
          new McpSchema.InitializeResult(
              "2025-06-18",
              McpSchema.ServerCapabilities.builder().tools(false).build(),
              McpSchema.Implementation.builder("omem", "0").build(),
              "",
              null);
      json.writeValueAsBytes(new McpSchema.JSONRPCResponse("2.0", 0, result, null));
      json.writeValueAsBytes(
          new McpSchema.ListToolsResult(
              List.of(McpSchema.Tool.builder("warm", Map.of("type", "object")).build()),
              null,
              null));
    } catch (IOException | RuntimeException e) {
      // only a warm-up: the real calls report their own errors
    }
  }
}
