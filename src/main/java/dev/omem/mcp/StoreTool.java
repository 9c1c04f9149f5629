package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Category;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.Limits;
import dev.omem.service.StoreRequest;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code memory_store}: keep one fact for later sessions. */
final class StoreTool {
  private StoreTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("content"),
            props(
                "content",
                string(
                    "The fact, in one or two sentences. At most 32 KiB.", Limits.MAX_CONTENT_BYTES),
                "tags",
                strings(
                    "Optional labels, e.g. [\"build\", \"testing\"].",
                    Limits.MAX_TAGS,
                    Limits.MAX_TAG_LENGTH),
                "source",
                string("Where the fact came from, e.g. a file or URL.", 200),
                "category",
                enumOf(
                    "What kind of fact; omitted = chosen by rules.",
                    Arrays.stream(Category.values()).map(Category::wire).toList()),
                "scope",
                string(
                    "'global' (true everywhere), 'project' (this project only) or"
                        + " 'project:<name>'. Default: global for profile and"
                        + " preferences, else the current project."),
                "importance",
                number("0 to 1; default 0.5. Higher ranks first and fades slower.", 0, 1),
                "space",
                string(
                    "Store straight into a team or organization space you can write to (its id,"
                        + " see space_list). Default: your personal space.")));
    Tool tool =
        Tool.builder("memory_store", input)
            .title("Remember a fact")
            .description(
                "Store one durable fact for future sessions: a user preference, a project"
                    + " decision or convention, a fix that worked, who the user is. One short,"
                    + " self-contained statement per call (write it so it makes sense with no"
                    + " context). Storing the same text twice returns the existing memory. Do not"
                    + " store secrets or transient task chatter.")
            .outputSchema(
                object(
                    List.of("id", "memory"),
                    props("id", Map.of("type", "string"), "memory", memory())))
            .annotations(new ToolAnnotations("Remember a fact", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Memory m =
              service.store(
                  caller,
                  new StoreRequest(
                      args.string("content"),
                      args.strings("tags"),
                      args.string("source"),
                      args.string("category"),
                      args.string("scope"),
                      args.number("importance"),
                      args.string("space")));
          return ToolResults.ok(
              Map.of("id", m.id(), "memory", MemoryJson.of(m)),
              "Stored memory " + m.id() + " (" + m.category().wire() + ", " + m.scope() + ").");
        });
  }
}
