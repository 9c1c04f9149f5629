package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Invitation;
import dev.omem.domain.SpaceJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_invitations}: invitations waiting for the caller, or those of a space it runs. */
final class SpaceInvitationsTool {
  private SpaceInvitationsTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of(),
            props(
                "space_id",
                string(
                    "Optional: a space you administer, to list the invitations it sent that are"
                        + " not answered yet. Without it: the invitations waiting for you.")));
    Tool tool =
        Tool.builder("space_invitations", input)
            .title("List space invitations")
            .description(
                "List the invitations to spaces that wait for your answer (accept with"
                    + " space_accept, decline with space_decline). Nothing of a space reaches you,"
                    + " and nothing of yours reaches it, before you accept.")
            .outputSchema(
                object(
                    List.of("invitations"),
                    props(
                        "invitations", Map.of("type", "array", "items", Map.of("type", "object")))))
            .annotations(
                new ToolAnnotations("List space invitations", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          String space = args.string("space_id");
          List<Invitation> list =
              space == null || space.isBlank()
                  ? service.invitations(caller)
                  : service.spaceInvitations(caller, space.trim());
          StringBuilder sb = new StringBuilder();
          for (Invitation i : list) {
            sb.append("- ")
                .append(i.id())
                .append(": ")
                .append(i.spaceId())
                .append(" \"")
                .append(i.spaceName())
                .append("\" as ")
                .append(i.role().wire())
                .append(space == null || space.isBlank() ? ", from " + i.invitedBy() : "")
                .append(space == null || space.isBlank() ? "" : ", for " + i.userId())
                .append('\n');
          }
          return ToolResults.ok(
              Map.of("invitations", list.stream().map(SpaceJson::of).toList()),
              list.isEmpty() ? "No pending invitations." : sb.toString().stripTrailing());
        });
  }
}
