package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_remove_member}: take a person out of a space (or leave it). */
final class SpaceRemoveMemberTool {
  private SpaceRemoveMemberTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("space_id", "user_id"),
            props(
                "space_id",
                string(SpaceOutputs.SPACE_ID),
                "user_id",
                string(SpaceOutputs.USER_ID)));
    Tool tool =
        Tool.builder("space_remove_member", input)
            .title("Remove a space member")
            .description(
                "Remove a person from a space you administer (or remove yourself to leave it)."
                    + " They lose access to its memories from their next request.")
            .outputSchema(SpaceOutputs.space())
            .annotations(
                new ToolAnnotations("Remove a space member", false, true, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Space s = service.removeMember(caller, args.string("space_id"), args.string("user_id"));
          return ToolResults.ok(
              SpaceJson.of(s),
              "Removed " + args.string("user_id") + " from " + SpaceOutputs.line(s) + ".");
        });
  }
}
