package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Space;
import dev.omem.domain.SpaceJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code space_list}: the spaces the caller can read. */
final class SpaceListTool {
  private SpaceListTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Tool tool =
        Tool.builder("space_list", object(List.of(), props()))
            .title("List spaces")
            .description(
                "List the spaces you can read: your personal space, then the team and"
                    + " organization spaces you are a member of, with members and roles. Search"
                    + " covers all of them (personal first, then team, then organization).")
            .outputSchema(
                object(
                    List.of("spaces"),
                    props("spaces", Map.of("type", "array", "items", SpaceOutputs.space()))))
            .annotations(new ToolAnnotations("List spaces", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          List<Space> spaces = service.spaces(caller);
          StringBuilder sb = new StringBuilder();
          for (Space s : spaces) {
            sb.append("- ").append(SpaceOutputs.line(s)).append('\n');
          }
          return ToolResults.ok(
              Map.of("spaces", spaces.stream().map(SpaceJson::of).toList()),
              sb.toString().stripTrailing());
        });
  }
}
