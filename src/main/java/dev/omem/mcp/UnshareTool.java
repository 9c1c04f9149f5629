package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.ShareResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_unshare}: remove a memory's shared copy from a space. */
final class UnshareTool {
  private UnshareTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("id", "target_space"),
            props(
                "id",
                string("The id of the original memory you shared."),
                "target_space",
                string(SpaceOutputs.SPACE_ID)));
    Tool tool =
        Tool.builder("memory_unshare", input)
            .title("Unshare a memory")
            .description(
                "Take back a memory you shared: its copy leaves the space and its members' search"
                    + " at once. Your original is untouched.")
            .outputSchema(
                object(
                    List.of("target_space", "removed"),
                    props(
                        "target_space", Map.of("type", "string"),
                        "removed", Map.of("type", "integer"))))
            .annotations(new ToolAnnotations("Unshare a memory", false, true, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          ShareResults.Unshared u =
              service.unshare(caller, args.string("id"), args.string("target_space"));
          return ToolResults.ok(
              Map.of("target_space", u.targetSpace(), "removed", u.removed()),
              "Removed the shared copy from " + u.targetSpace() + ".");
        });
  }
}
