package dev.omem.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;

/**
 * MCP over Streamable HTTP (the SDK's servlet transport) with the same tools as {@code omem mcp}.
 * The HTTP face authenticates each request and leaves its {@link Caller} in the request attribute
 * {@link Caller#REQUEST_ATTRIBUTE}; tools act as that caller, request by request.
 */
public final class McpHttpEndpoint implements AutoCloseable {
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  /**
   * @param sampling whether {@code memory_ingest} may ask the client's own model over its session
   *     ({@code OMEM_SAMPLING})
   */
  public McpHttpEndpoint(MemoryService service, String version, String path, boolean sampling) {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    this.transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint(path)
            .contextExtractor(
                req -> {
                  Object caller = req.getAttribute(Caller.REQUEST_ATTRIBUTE);
                  return caller == null
                      ? McpTransportContext.EMPTY
                      : McpTransportContext.create(Map.of(Caller.REQUEST_ATTRIBUTE, caller));
                })
            .build();
    ToolContext ctx =
        new ToolContext(
            () -> service,
            ex -> {
              Caller c = (Caller) ex.transportContext().get(Caller.REQUEST_ATTRIBUTE);
              String agent = ex.getClientInfo() == null ? null : ex.getClientInfo().name();
              return new Caller(
                  c.tenantId(),
                  c.project(),
                  c.agentId() != null ? c.agentId() : agent,
                  c.sessionId() != null ? c.sessionId() : ex.sessionId());
            },
            () -> sampling);
    this.server = MemoryMcpServer.configure(McpServer.sync(transport), version, json, ctx).build();
  }

  /** The servlet to mount at the endpoint's path (asynchronous: it streams). */
  public HttpServlet servlet() {
    return transport;
  }

  @Override
  public void close() {
    server.closeGracefully();
  }
}
