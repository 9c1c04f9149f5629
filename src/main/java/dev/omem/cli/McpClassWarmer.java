package dev.omem.cli;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Loads the Reactor and MCP SDK classes on a second thread while the main thread sets up Jackson:
 * class loading is single-threaded per thread, and on two cores this takes about a third off the
 * time to the initialize answer (DESIGN.md decision 3). Touches classes only; builds nothing.
 */
final class McpClassWarmer {
  private McpClassWarmer() {}

  static void start() {
    Thread t =
        new Thread(
            () -> {
              Mono.just(1).subscribeOn(Schedulers.boundedElastic()).block();
              McpSchema.ServerCapabilities.builder().tools(false).build();
              McpSchema.CallToolResult.builder().addTextContent("").build();
              McpServer.class.getName();
            },
            "omem-class-warmer");
    t.setDaemon(true);
    t.start();
  }
}
