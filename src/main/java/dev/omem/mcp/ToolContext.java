package dev.omem.mcp;

import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every tool handler needs: the service, the caller, and uniform error handling. */
final class ToolContext {
  private static final Logger LOG = LoggerFactory.getLogger(ToolContext.class);

  /** A tool's work: arguments and caller in, a result out; may throw {@link OmemException}. */
  @FunctionalInterface
  interface Handler {
    CallToolResult handle(MemoryService service, Caller caller, Args args);
  }

  private final Supplier<MemoryService> service;
  private final Function<McpSyncServerExchange, Caller> callers;

  /**
   * @param callers who is calling, from the exchange: the stdio server reads the client's roots,
   *     the HTTP server the request's key and headers
   */
  ToolContext(Supplier<MemoryService> service, Function<McpSyncServerExchange, Caller> callers) {
    this.service = service;
    this.callers = callers;
  }

  MemoryService service() {
    return service.get();
  }

  Caller caller(McpSyncServerExchange ex) {
    return callers.apply(ex);
  }

  /** Wraps a handler so that any failure becomes an {@code isError} result, never a crash. */
  SyncToolSpecification spec(Tool tool, Handler handler) {
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (ex, req) -> {
              try {
                return handler.handle(service(), caller(ex), new Args(req.arguments()));
              } catch (OmemException e) {
                return ToolResults.error(e.getMessage());
              } catch (RuntimeException e) {
                LOG.error("tool {} failed", tool.name(), e);
                return ToolResults.error(
                    tool.name() + " failed inside omem: " + e + " (details in omem's log)");
              }
            })
        .build();
  }
}
