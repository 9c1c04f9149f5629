package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.service.ForgetResult;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_forget}: remove a memory from search. */
final class ForgetTool {
  private ForgetTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(List.of("id"), props("id", string("The memory's id (a UUID).")));
    Tool tool =
        Tool.builder("memory_forget", input)
            .title("Forget a memory")
            .description(
                "Forget a memory that is wrong or no longer wanted, by id. It leaves search at"
                    + " once; its record stays (state 'deleted') so nothing is lost by mistake."
                    + " Forgetting twice is harmless.")
            .outputSchema(
                object(
                    List.of("id", "status"),
                    props("id", Map.of("type", "string"), "status", Map.of("type", "string"))))
            .annotations(new ToolAnnotations("Forget a memory", false, true, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          ForgetResult r = service.forget(caller, args.string("id"));
          return ToolResults.ok(
              Map.of("id", r.id(), "status", r.status()), "Forgot memory " + r.id() + ".");
        });
  }
}
