package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import dev.omem.service.SpaceRequest;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_create}: a team or organization space, with the caller as its admin. */
final class SpaceCreateTool {
  private SpaceCreateTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("name"),
            props(
                "name",
                string("A name people recognise, e.g. 'payments team'.", 100),
                "space_type",
                enumOf(
                    "team (default: members read and write) or organization (read-only for"
                        + " members; admins write).",
                    List.of("team", "organization"))));
    Tool tool =
        Tool.builder("space_create", input)
            .title("Create a shared space")
            .description(
                "Create a team or organization space to share memories with other people's"
                    + " agents. You become its admin; add people with space_add_member and put"
                    + " memories in with memory_share.")
            .outputSchema(SpaceOutputs.space())
            .annotations(
                new ToolAnnotations("Create a shared space", false, false, false, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Space s =
              service.createSpace(
                  caller, new SpaceRequest(args.string("name"), args.string("space_type"), null));
          return ToolResults.ok(SpaceJson.of(s), "Created space " + SpaceOutputs.line(s) + ".");
        });
  }
}
