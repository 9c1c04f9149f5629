package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.ShareResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_pull}: copy a memory of a shared space into the caller's personal space. */
final class PullTool {
  private PullTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("id", "source_space"),
            props(
                "id",
                string("The memory's id in the shared space."),
                "source_space",
                string(SpaceOutputs.SPACE_ID)));
    Tool tool =
        Tool.builder("memory_pull", input)
            .title("Pull a shared memory")
            .description(
                "Copy a memory from a space you belong to into your personal space, keeping where"
                    + " it came from, so it stays yours even if the space changes.")
            .outputSchema(
                object(
                    List.of("copy", "created"),
                    props("copy", memory(), "created", Map.of("type", "boolean"))))
            .annotations(
                new ToolAnnotations("Pull a shared memory", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          ShareResults.Shared s =
              service.pull(caller, args.string("id"), args.string("source_space"));
          return ToolResults.ok(
              Map.of("copy", MemoryJson.of(s.copy()), "created", s.created()),
              (s.created() ? "Pulled into your personal space as memory " : "Already pulled as ")
                  + s.copy().id()
                  + ".");
        });
  }
}
