package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.ShareResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_share_to_user}: share with one person through a space made for the two. */
final class ShareToUserTool {
  private ShareToUserTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("id", "target_user"),
            props(
                "id",
                string("The memory's id (a UUID)."),
                "target_user",
                string(SpaceOutputs.USER_ID),
                "note",
                string("Optional note for them.", 500)));
    Tool tool =
        Tool.builder("memory_share_to_user", input)
            .title("Share a memory with a person")
            .description(
                "Share one memory with one person: it goes into a team space of the two of you"
                    + " (made the first time, as an invitation), where their agent finds it in"
                    + " search once they accepted the invitation (space_accept).")
            .outputSchema(
                object(
                    List.of("space_id", "shared_copy_id", "space_created"),
                    props(
                        "space_id", Map.of("type", "string"),
                        "shared_copy_id", Map.of("type", "string"),
                        "space_created", Map.of("type", "boolean"),
                        "invitation_pending", Map.of("type", "boolean"))))
            .annotations(
                new ToolAnnotations(
                    "Share a memory with a person", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          ShareResults.ToUser t =
              service.shareToUser(
                  caller, args.string("id"), args.string("target_user"), args.string("note"));
          return ToolResults.ok(
              dev.omem.domain.SpaceJson.of(t),
              "Shared with "
                  + args.string("target_user")
                  + " in "
                  + t.spaceId()
                  + (t.spaceCreated() ? " (new space)" : "")
                  + " as memory "
                  + t.sharedCopyId()
                  + "."
                  + (t.invitationPending()
                      ? " They see it once they accept the invitation (space_accept)."
                      : ""));
        });
  }
}
