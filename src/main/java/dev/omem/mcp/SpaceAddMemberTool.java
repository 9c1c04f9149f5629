package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_add_member}: add a person to a space, or change their role. */
final class SpaceAddMemberTool {
  private SpaceAddMemberTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("space_id", "user_id"),
            props(
                "space_id",
                string(SpaceOutputs.SPACE_ID),
                "user_id",
                string(SpaceOutputs.USER_ID),
                "role",
                enumOf(
                    "admin (manages the space), member (reads and writes; default) or reader"
                        + " (reads only).",
                    List.of("admin", "member", "reader"))));
    Tool tool =
        Tool.builder("space_add_member", input)
            .title("Invite to a space")
            .description(
                "Invite a person to a space you administer, or change a member's role. Only"
                    + " admins manage members. An invitee becomes a member when they accept"
                    + " (space_accept); until then they and the space exchange nothing.")
            .outputSchema(SpaceOutputs.space())
            .annotations(new ToolAnnotations("Invite to a space", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Space s =
              service.putMember(
                  caller, args.string("space_id"), args.string("user_id"), args.string("role"));
          boolean member =
              s.members().stream().anyMatch(m -> m.userId().equals(args.string("user_id")));
          return ToolResults.ok(
              SpaceJson.of(s),
              (member ? "Set the role of " : "Invited ")
                  + args.string("user_id")
                  + (member ? " in " : " to ")
                  + SpaceOutputs.line(s)
                  + (member ? "." : "; they become a member when they accept."));
        });
  }
}
