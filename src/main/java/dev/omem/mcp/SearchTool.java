package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.service.Limits;
import dev.omem.service.SearchRequest;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_search}: find what earlier sessions learned. */
final class SearchTool {
  private SearchTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(
            List.of("query"),
            props(
                "query",
                string("What to look for, in plain words.", Limits.MAX_QUERY_CHARS),
                "limit",
                integer("How many results at most (default 10).", 1, Limits.MAX_SEARCH_LIMIT),
                "tags",
                strings(
                    "Only memories carrying every one of these tags.",
                    Limits.MAX_TAGS,
                    Limits.MAX_TAG_LENGTH),
                "scope",
                string(
                    "'project' (default: this project and global), 'global', 'all', or"
                        + " 'project:<name>'."),
                "category",
                string(
                    "Only this category (profile, preferences, entities, events, cases, patterns)."),
                "min_score",
                number(
                    "Drop results scoring below this (default 0: keep all but the irrelevant).",
                    0,
                    1),
                "after",
                string("Only memories created at or after this date or RFC 3339 time."),
                "before",
                string("Only memories created before this date or RFC 3339 time."),
                "include_archived",
                bool("Also search archived memories."),
                "include_trace",
                bool("Add the per-stage retrieval trace to the result.")));
    Tool tool =
        Tool.builder("memory_search", input)
            .title("Search memories")
            .description(
                "Search what was remembered in earlier sessions, by meaning and by keywords. Use"
                    + " it before answering questions about the user's preferences, this"
                    + " project's decisions and conventions, or past problems and fixes. Returns"
                    + " the best matches first, each with a score from 0 to 1; sees this"
                    + " project's and global memories unless scope says otherwise.")
            .outputSchema(
                object(
                    List.of("results"),
                    props(
                        "results",
                        Map.of("type", "array", "items", memory()),
                        "trace",
                        Map.of("type", "object"))))
            .annotations(new ToolAnnotations("Search memories", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          String category = args.string("category");
          SearchOutcome out =
              service.search(
                  caller,
                  new SearchRequest(
                      args.string("query"),
                      args.integer("limit"),
                      args.strings("tags"),
                      args.string("scope"),
                      category == null ? null : List.of(category),
                      args.number("min_score"),
                      args.time("after"),
                      args.time("before"),
                      args.flag("include_archived") ? List.of("active", "archived") : null,
                      args.flag("include_trace")));
          return ToolResults.ok(MemoryJson.search(out), render(out.results()));
        });
  }

  private static String render(List<ScoredMemory> results) {
    if (results.isEmpty()) {
      return "No memories found.";
    }
    StringBuilder sb = new StringBuilder();
    int i = 1;
    for (ScoredMemory r : results) {
      sb.append(i++)
          .append(". [")
          .append(String.format(java.util.Locale.ROOT, "%.2f", r.score()))
          .append("] ")
          .append(ToolResults.line(r.memory().content()))
          .append(" (id ")
          .append(r.memory().id())
          .append(", ")
          .append(r.memory().category().wire())
          .append(")\n");
    }
    return sb.toString().stripTrailing();
  }
}
