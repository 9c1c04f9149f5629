package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.ShareResults;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_share}: copy a memory into a space, with provenance. */
final class ShareTool {
  private ShareTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("id", "target_space"),
            props(
                "id",
                string("The memory's id (a UUID)."),
                "target_space",
                string(SpaceOutputs.SPACE_ID),
                "note",
                string("Optional note for the people who will see it.", 500)));
    Tool tool =
        Tool.builder("memory_share", input)
            .title("Share a memory")
            .description(
                "Share one memory into a team or organization space you can write to. The space"
                    + " gets a copy that says who shared it, when and from where; if you later"
                    + " change the original, the copy is reported stale. Sharing the same memory"
                    + " again returns the existing copy.")
            .outputSchema(
                object(
                    List.of("copy", "created"),
                    props("copy", memory(), "created", Map.of("type", "boolean"))))
            .annotations(new ToolAnnotations("Share a memory", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          String target = args.string("target_space");
          ShareResults.Shared s =
              service.share(caller, args.string("id"), target, args.string("note"));
          return ToolResults.ok(
              Map.of("copy", MemoryJson.of(s.copy()), "created", s.created()),
              (s.created() ? "Shared to " : "Already shared to ")
                  + target
                  + " as memory "
                  + s.copy().id()
                  + ".");
        });
  }
}
