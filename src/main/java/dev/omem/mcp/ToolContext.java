package dev.omem.mcp;

import dev.omem.config.RerankSetting;
import dev.omem.domain.ChatModel;
import dev.omem.domain.OmemException;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.function.BooleanSupplier;
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

  /**
   * A tool that may use the client's own model (MCP sampling); {@code clientModel} is null when the
   * client offers none or {@code OMEM_SAMPLING} is off. Only {@code memory_ingest} needs it.
   */
  @FunctionalInterface
  interface ModelHandler {
    CallToolResult handle(MemoryService service, Caller caller, Args args, ChatModel clientModel);
  }

  private final Supplier<MemoryService> service;
  private final Function<McpSyncServerExchange, Caller> callers;
  private final BooleanSupplier sampling;
  private final Supplier<RerankSetting.Mode> rerank;

  /**
   * @param callers who is calling, from the exchange: the stdio server reads the client's roots,
   *     the HTTP server the request's key and headers
   * @param sampling whether tools may ask the client's model ({@code OMEM_SAMPLING}); read when a
   *     tool first needs it, so that reading the setting never delays the handshake
   * @param rerank {@code OMEM_RERANK}: with {@code sampling} (and sampling on), {@code
   *     memory_search} hands the client's model to the search to rerank with
   */
  ToolContext(
      Supplier<MemoryService> service,
      Function<McpSyncServerExchange, Caller> callers,
      BooleanSupplier sampling,
      Supplier<RerankSetting.Mode> rerank) {
    this.service = service;
    this.callers = callers;
    this.sampling = sampling;
    this.rerank = rerank;
  }

  MemoryService service() {
    return service.get();
  }

  Caller caller(McpSyncServerExchange ex) {
    return callers.apply(ex);
  }

  /** Wraps a handler so that any failure becomes an {@code isError} result, never a crash. */
  SyncToolSpecification spec(Tool tool, Handler handler) {
    return spec(tool, null, handler, ex -> null);
  }

  /** As {@link #spec(Tool, Handler)}, for a tool that may ask the client's own model. */
  SyncToolSpecification spec(Tool tool, ModelHandler handler) {
    return spec(tool, handler, null, ex -> SamplingChatModel.of(ex, sampling.getAsBoolean()));
  }

  /**
   * As {@link #spec(Tool, ModelHandler)}, for a search: the client's model only when the user chose
   * to rerank with it ({@code OMEM_RERANK=sampling}), else null.
   */
  SyncToolSpecification searchSpec(Tool tool, ModelHandler handler) {
    return spec(
        tool,
        handler,
        null,
        ex -> {
          if (rerank.get() != RerankSetting.Mode.SAMPLING
              || SamplingChatModel.of(ex, sampling.getAsBoolean()) == null) {
            return null;
          }
          // Sampling's time counts from the request, not from the tool call: the searches before
          // it may wait on a store that is still opening.
          return (system, user, maxTokens) ->
              SamplingChatModel.of(ex, true).complete(system, user, maxTokens);
        });
  }

  private SyncToolSpecification spec(
      Tool tool,
      ModelHandler withModel,
      Handler plain,
      Function<McpSyncServerExchange, ChatModel> model) {
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler(
            (ex, req) -> {
              try {
                Args args = new Args(req.arguments());
                return withModel == null
                    ? plain.handle(service(), caller(ex), args)
                    : withModel.handle(service(), caller(ex), args, model.apply(ex));
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
