package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_stats}: counts by type, category, tier, state and over time. */
final class StatsTool {
  private StatsTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input = object(List.of(), props());
    Tool tool =
        Tool.builder("memory_stats", input)
            .title("Memory statistics")
            .description(
                "How many memories there are, by type, category, tier, state, scope and agent,"
                    + " with a 30-day timeline. Use it when the user asks what omem holds.")
            .outputSchema(
                object(
                    List.of("total"),
                    props(
                        "total", Map.of("type", "integer"),
                        "by_category", Map.of("type", "object"),
                        "by_state", Map.of("type", "object"))))
            .annotations(new ToolAnnotations("Memory statistics", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Map<String, Object> s = service.stats(caller);
          return ToolResults.ok(
              s,
              s.get("total")
                  + " memories; by category "
                  + s.get("by_category")
                  + "; by state "
                  + s.get("by_state")
                  + ".");
        });
  }
}
