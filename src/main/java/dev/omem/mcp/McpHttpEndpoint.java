package dev.omem.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.RerankSetting;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.util.Map;

/**
 * MCP over Streamable HTTP (the SDK's servlet transport) with the same tools as {@code omem mcp}.
 * The HTTP face authenticates each request and leaves its {@link Caller} in the request attribute
 * {@link Caller#REQUEST_ATTRIBUTE}; tools act as that caller, request by request.
 */
public final class McpHttpEndpoint implements AutoCloseable {
  /** The bridge's working directory, the project of a session whose client offers no roots. */
  public static final String CWD_HEADER = "X-Omem-Cwd";

  private final ProjectLocator projects = new ProjectLocator(null);
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  /**
   * @param sampling whether {@code memory_ingest} may ask the client's own model over its session
   *     ({@code OMEM_SAMPLING})
   * @param localDaemon whether this is the user's own daemon, whose MCP clients are the stdio
   *     bridges of the same user (scripts/npm/bin/omem-bridge.js): a session that names no project
   *     then gets it as {@code omem mcp} would, from the client's roots or else the bridge's
   *     working directory ({@value #CWD_HEADER}). A team server never reads a path a client names.
   * @param rerank {@code OMEM_RERANK} (with sampling, searches rerank with the client's model)
   */
  public McpHttpEndpoint(
      MemoryService service,
      String version,
      String path,
      boolean sampling,
      boolean localDaemon,
      RerankSetting.Mode rerank) {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    this.transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint(path)
            .contextExtractor(
                req -> {
                  Object caller = req.getAttribute(Caller.REQUEST_ATTRIBUTE);
                  if (caller == null) {
                    return McpTransportContext.EMPTY;
                  }
                  String cwd = localDaemon ? req.getHeader(CWD_HEADER) : null;
                  return McpTransportContext.create(
                      cwd == null || cwd.isBlank()
                          ? Map.of(Caller.REQUEST_ATTRIBUTE, caller)
                          : Map.of(Caller.REQUEST_ATTRIBUTE, caller, CWD_HEADER, cwd));
                })
            .build();
    ToolContext ctx =
        new ToolContext(
            () -> service,
            ex -> {
              Caller c = (Caller) ex.transportContext().get(Caller.REQUEST_ATTRIBUTE);
              String agent = ex.getClientInfo() == null ? null : ex.getClientInfo().name();
              String project = c.project();
              Object cwd = ex.transportContext().get(CWD_HEADER);
              if (project == null && localDaemon && ex.sessionId() != null) {
                project = projects.project(ex, cwd == null ? null : Path.of(cwd.toString()));
              }
              return new Caller(
                  c.tenantId(),
                  project,
                  c.agentId() != null ? c.agentId() : agent,
                  c.sessionId() != null ? c.sessionId() : ex.sessionId());
            },
            () -> sampling,
            () -> rerank);
    this.server =
        MemoryMcpServer.configure(McpServer.sync(transport), version, json, ctx)
            .rootsChangeHandler((ex, roots) -> projects.rootsChanged(ex))
            .build();
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
