package dev.omem.mcp;

import dev.omem.service.Caller;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;

/** The parts of omem's MCP server that every transport shares: tools, resource, settings. */
final class MemoryMcpServer {
  private MemoryMcpServer() {}

  /**
   * The nine memory tools, then the eleven of spaces, invitations and sharing, in the order clients
   * list.
   */
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
        StatsTool.spec(ctx),
        SpaceCreateTool.spec(ctx),
        SpaceListTool.spec(ctx),
        SpaceAddMemberTool.spec(ctx),
        SpaceRemoveMemberTool.spec(ctx),
        SpaceInvitationsTool.spec(ctx),
        SpaceAnswerTool.accept(ctx),
        SpaceAnswerTool.decline(ctx),
        ShareTool.spec(ctx),
        ShareToUserTool.spec(ctx),
        PullTool.spec(ctx),
        UnshareTool.spec(ctx));
  }

  /** Applies omem's server info, instructions, capabilities, tools and resource to a spec. */
  static McpServer.SyncSpecification<?> configure(
      McpServer.SyncSpecification<?> spec, String version, McpJsonMapper json, ToolContext ctx) {
    return spec.serverInfo("omem", version)
        .instructions(ServerInstructions.TEXT)
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
        .jsonMapper(json)
        // omem validates arguments itself, so that every face words errors the same way.
        .validateToolInputs(false)
        // The SDK's default validator loads ~240 classes of a JSON Schema library before the
        // handshake (about 100 ms); clients validate our output against the schemas anyway,
        // and the end-to-end test with the official client checks that it conforms.
        .jsonSchemaValidator(new PassThroughSchemaValidator())
        // The SDK's limit for every server-to-client request: long enough for a sampling request
        // (SamplingChatModel keeps to its own, shorter budget; ProjectLocator waits for roots
        // for ROOTS_TIMEOUT only), a backstop against a client that never answers.
        .requestTimeout(SamplingChatModel.BUDGET)
        .tools(tools(ctx))
        .resources(profileResource(ctx));
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
