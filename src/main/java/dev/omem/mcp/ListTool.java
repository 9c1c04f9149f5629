package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import dev.omem.domain.MemoryPage;
import dev.omem.service.Limits;
import dev.omem.service.ListRequest;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_list}: browse memories page by page. */
final class ListTool {
  private ListTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of(),
            props(
                "limit", integer("Page size (default 20).", 1, Limits.MAX_LIST_LIMIT),
                "offset", integer("How many to skip (default 0).", 0, Integer.MAX_VALUE),
                "category", string("Only this category."),
                "tags",
                    strings(
                        "Only memories carrying every one of these tags.",
                        Limits.MAX_TAGS,
                        Limits.MAX_TAG_LENGTH),
                "scope", string("'project' (default), 'global', 'all' or 'project:<name>'."),
                "state",
                    enumOf(
                        "Only this state (default: active and archived).",
                        List.of("active", "archived", "deleted")),
                "sort",
                    enumOf(
                        "Sort key (default created_at).",
                        List.of("created_at", "updated_at", "importance", "access_count")),
                "order", enumOf("Sort order (default desc).", List.of("asc", "desc"))));
    Tool tool =
        Tool.builder("memory_list", input)
            .title("List memories")
            .description(
                "List stored memories, newest first, a page at a time, optionally filtered. Use"
                    + " it to review what is remembered; use memory_search to find something.")
            .outputSchema(
                object(
                    List.of("memories", "total_count", "limit", "offset"),
                    props(
                        "memories", Map.of("type", "array", "items", memory()),
                        "total_count", Map.of("type", "integer"),
                        "limit", Map.of("type", "integer"),
                        "offset", Map.of("type", "integer"))))
            .annotations(new ToolAnnotations("List memories", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          MemoryPage page =
              service.list(
                  caller,
                  ListRequest.builder()
                      .limit(args.integer("limit"))
                      .offset(args.integer("offset"))
                      .category(args.string("category"))
                      .tags(args.strings("tags"))
                      .scope(args.string("scope"))
                      .state(args.string("state"))
                      .sort(args.string("sort"))
                      .order(args.string("order"))
                      .build());
          Map<String, Object> s = MemoryJson.page(page);
          StringBuilder text =
              new StringBuilder(
                  page.memories().size() + " of " + page.totalCount() + " memories:\n");
          for (Memory m : page.memories()) {
            text.append("- ")
                .append(TrustText.shown(m, 200))
                .append(" (id ")
                .append(m.id())
                .append(")\n");
          }
          return ToolResults.ok(s, text.toString().stripTrailing());
        });
  }
}
