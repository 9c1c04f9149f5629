package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.service.Limits;
import dev.omem.service.UpdateRequest;
import dev.omem.service.VersionConflict;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_update}: correct or re-tag a memory. */
final class UpdateTool {
  private UpdateTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("id"),
            props(
                "id", string("The memory's id (a UUID)."),
                "content", string("The corrected fact. At most 32 KiB.", Limits.MAX_CONTENT_BYTES),
                "tags",
                    strings(
                        "The new tags; replaces the old list.",
                        Limits.MAX_TAGS,
                        Limits.MAX_TAG_LENGTH),
                "category", string("The new category."),
                "importance", number("0 to 1.", 0, 1),
                "state",
                    enumOf(
                        "'archived' hides it from search; 'active' restores it.",
                        List.of("active", "archived")),
                "confirm",
                    bool(
                        "true confirms a memory marked [unconfirmed] (a fact picked up from a"
                            + " conversation): do it when the user agrees it holds."),
                "expected_version",
                    integer(
                        "The version you read (the memory's version field). If another agent"
                            + " changed the memory since, nothing is written and you are told"
                            + " to re-read it. Leave out to write whatever the version.",
                        1,
                        Integer.MAX_VALUE)));
    Tool tool =
        Tool.builder("memory_update", input)
            .title("Update a memory")
            .description(
                "Change a memory that has become wrong or incomplete: new content, tags"
                    + " (replacing the old ones), category or importance. Give the id from a"
                    + " search. Prefer this to storing a contradicting fact. With confirm: true"
                    + " (alone or with other changes) it confirms an [unconfirmed] memory.")
            .outputSchema(object(List.of("memory"), props("memory", memory())))
            .annotations(new ToolAnnotations("Update a memory", false, true, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Integer expected = args.integer("expected_version");
          Memory m;
          try {
            m =
                service.update(
                    caller,
                    new UpdateRequest(
                        args.string("id"),
                        args.string("content"),
                        args.strings("tags"),
                        args.string("category"),
                        args.number("importance"),
                        args.string("state"),
                        args.flag("confirm") ? Boolean.TRUE : null,
                        expected == null ? null : expected.longValue()));
          } catch (VersionConflict c) {
            return ToolResults.error(conflict(c));
          }
          return ToolResults.ok(
              Map.of("memory", MemoryJson.of(m)),
              "Updated memory "
                  + m.id()
                  + " (version "
                  + m.version()
                  + (m.unconfirmed() ? ", unconfirmed" : ", confirmed")
                  + (m.flagged() ? ", flagged: " + m.trust().flag() : "")
                  + ").");
        });
  }

  /** The same words in-process, through the daemon and against a remote server. */
  static String conflict(VersionConflict c) {
    return "Not updated: memory "
        + c.memoryId()
        + " was changed by someone else since you read it (you expected version "
        + c.expected()
        + ", it is now at version "
        + c.current()
        + "). Re-read it with memory_get, then apply your change to what it says now and"
        + " call memory_update again with expected_version "
        + c.current()
        + ".";
  }
}
