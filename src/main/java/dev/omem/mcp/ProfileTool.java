package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Profile;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_profile}: who the user is and what they are doing. */
final class ProfileTool {
  private ProfileTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> strings = Map.of("type", "array", "items", Map.of("type", "string"));
    Map<String, Object> input = object(List.of(), props());
    Tool tool =
        Tool.builder("memory_profile", input)
            .title("User profile")
            .description(
                "The user's stable facts and preferences (most important first) and what"
                    + " happened recently in this project. Read it at the start of a task to"
                    + " work the way the user likes.")
            .outputSchema(
                object(
                    List.of("static_facts", "dynamic_context"),
                    props("static_facts", strings, "dynamic_context", strings)))
            .annotations(new ToolAnnotations("User profile", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Profile p = service.profile(caller);
          return ToolResults.ok(
              Map.of("static_facts", p.staticFacts(), "dynamic_context", p.dynamicContext()),
              render(p));
        });
  }

  static String render(Profile p) {
    StringBuilder sb = new StringBuilder("Stable facts:\n");
    p.staticFacts().forEach(f -> sb.append("- ").append(ToolResults.line(f)).append('\n'));
    if (p.staticFacts().isEmpty()) {
      sb.append("(none yet)\n");
    }
    sb.append("Recent context:\n");
    p.dynamicContext().forEach(f -> sb.append("- ").append(ToolResults.line(f)).append('\n'));
    if (p.dynamicContext().isEmpty()) {
      sb.append("(none yet)\n");
    }
    return sb.toString().stripTrailing();
  }
}
