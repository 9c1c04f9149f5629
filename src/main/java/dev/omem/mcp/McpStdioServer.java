package dev.omem.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.RerankSetting;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code omem mcp}: the MCP server over stdio. It answers {@code initialize} at once; the service
 * (store, index, model) is opened by the caller in the background and tool calls wait for it.
 */
public final class McpStdioServer {
  private McpStdioServer() {}

  /**
   * Serves MCP on {@code in}/{@code out} until the client closes {@code in}. Returns when the
   * session ends.
   *
   * @param sampling whether {@code memory_ingest} may ask the client's own model ({@code
   *     OMEM_SAMPLING}); asked at the first call that needs it
   * @param rerank {@code OMEM_RERANK}, asked at the first search: with {@code sampling}, {@code
   *     memory_search} reranks with the client's model
   */
  public static void serve(
      Supplier<MemoryService> service,
      String version,
      Path workingDir,
      InputStream in,
      OutputStream out,
      BooleanSupplier sampling,
      Supplier<RerankSetting.Mode> rerank)
      throws InterruptedException {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpClassWarmer.start(json);
    StdioTransport transport = new StdioTransport(json, in, out);
    ProjectLocator projects = new ProjectLocator(workingDir);
    ToolContext ctx =
        new ToolContext(
            service,
            ex -> {
              String agent = ex.getClientInfo() == null ? null : ex.getClientInfo().name();
              return new Caller(null, projects.project(ex), agent, ex.sessionId());
            },
            sampling,
            rerank);
    McpSyncServer server =
        MemoryMcpServer.configure(McpServer.sync(transport), version, json, ctx)
            .rootsChangeHandler((ex, roots) -> projects.rootsChanged(ex))
            .build();
    transport.awaitEnd();
    server.closeGracefully();
  }
}
