package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_accept} and {@code space_decline}: the invitee's answer to an invitation. */
final class SpaceAnswerTool {
  private SpaceAnswerTool() {}

  private static Map<String, Object> input() {
    return object(
        List.of("invitation_id"),
        props("invitation_id", string("The invitation's id, as space_invitations lists it.")));
  }

  static SyncToolSpecification accept(ToolContext ctx) {
    Tool tool =
        Tool.builder("space_accept", input())
            .title("Accept a space invitation")
            .description(
                "Accept an invitation to a space: you become a member with the role offered,"
                    + " its memories join your searches, and you may share into it.")
            .outputSchema(SpaceOutputs.space())
            .annotations(
                new ToolAnnotations("Accept a space invitation", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Space s = service.acceptInvitation(caller, args.string("invitation_id"));
          return ToolResults.ok(SpaceJson.of(s), "Joined " + SpaceOutputs.line(s) + ".");
        });
  }

  static SyncToolSpecification decline(ToolContext ctx) {
    Tool tool =
        Tool.builder("space_decline", input())
            .title("Decline a space invitation")
            .description(
                "Decline an invitation to a space: it is removed, and you stay out of the space.")
            .outputSchema(object(List.of("status"), props("status", Map.of("type", "string"))))
            .annotations(
                new ToolAnnotations("Decline a space invitation", false, true, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          String id = args.string("invitation_id");
          service.declineInvitation(caller, id);
          return ToolResults.ok(Map.of("status", "declined"), "Declined invitation " + id + ".");
        });
  }
}
