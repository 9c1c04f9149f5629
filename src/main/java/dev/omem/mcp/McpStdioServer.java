package dev.omem.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.service.Caller;
import dev.omem.service.MemoryService;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code omem mcp}: the MCP server over stdio. It answers {@code initialize} at once; the service
 * (store, index, model) is opened by the caller in the background and tool calls wait for it.
 */
public final class McpStdioServer {
  private McpStdioServer() {}

  /** The nine memory tools, in the order clients list them. */
  static List<SyncToolSpecification> tools(ToolContext ctx) {
    return List.of(
        StoreTool.spec(ctx),
        SearchTool.spec(ctx),
        GetTool.spec(ctx),
        UpdateTool.spec(ctx),
        ForgetTool.spec(ctx),
        ListTool.spec(ctx),
        IngestTool.spec(ctx),
        ProfileTool.spec(ctx),
        StatsTool.spec(ctx));
  }

  /**
   * Serves MCP on {@code in}/{@code out} until the client closes {@code in}. Returns when the
   * session ends.
   */
  public static void serve(
      Supplier<MemoryService> service,
      String version,
      Path workingDir,
      InputStream in,
      OutputStream out)
      throws InterruptedException {
    JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
    McpClassWarmer.start(json);
    StdioTransport transport = new StdioTransport(json, in, out);
    ProjectLocator projects = new ProjectLocator(workingDir);
    ToolContext ctx = new ToolContext(service, projects);
    McpSyncServer server =
        McpServer.sync(transport)
            .serverInfo("omem", version)
            .instructions(ServerInstructions.TEXT)
            .capabilities(
                McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
            .jsonMapper(json)
            // omem validates arguments itself, so that every face words errors the same way.
            .validateToolInputs(false)
            // The SDK's default validator loads ~240 classes of a JSON Schema library before the
            // handshake (about 100 ms); clients validate our output against the schemas anyway,
            // and the end-to-end test with the official client checks that it conforms.
            .jsonSchemaValidator(new PassThroughSchemaValidator(json))
            // Listing roots is the only server-to-client request; never let it stall a tool.
            .requestTimeout(Duration.ofSeconds(5))
            .tools(tools(ctx))
            .resources(profileResource(ctx))
            .rootsChangeHandler((ex, roots) -> projects.rootsChanged(ex))
            .build();
    transport.awaitEnd();
    server.closeGracefully();
  }

  private static SyncResourceSpecification profileResource(ToolContext ctx) {
    McpSchema.Resource resource =
        McpSchema.Resource.builder("omem://profile", "profile")
            .title("User profile")
            .description("The user's stable facts and preferences, and recent project context.")
            .mimeType("text/markdown")
            .build();
    return new SyncResourceSpecification(
        resource,
        (ex, req) -> {
          Caller caller = ctx.caller(ex);
          String text = ProfileTool.render(ctx.service().profile(caller));
          return McpSchema.ReadResourceResult.builder(
                  List.of(
                      McpSchema.TextResourceContents.builder(req.uri(), text)
                          .mimeType("text/markdown")
                          .build()))
              .build();
        });
  }
}
