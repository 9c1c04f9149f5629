package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.MemoryJson;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.ShareResults;
import dev.omem.domain.SpaceJson;
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
                    "Drop results whose relevance (the probability that the memory matters) is"
                        + " below this. Default: none given, a learned gate decides whether the"
                        + " query is answerable from the store at all, then the closest"
                        + " matches are returned (without vectors, or in a store of fewer memories"
                        + " than the gate reads: the floor "
                        + Limits.defaultMinScore()
                        + "); 0 returns the closest matches however unrelated.",
                    0,
                    1),
                "after",
                string("Only memories created at or after this date or RFC 3339 time."),
                "before",
                string("Only memories created before this date or RFC 3339 time."),
                "include_archived",
                bool("Also search archived memories."),
                "include_trace",
                bool("Add the per-stage retrieval trace to the result."),
                "space",
                string(
                    "Which spaces: 'all' (default: personal, team and organization spaces you"
                        + " belong to, weighted 1.0, 0.8, 0.6) or a comma list of space ids."),
                "check_stale",
                bool("Add stale_info to shared copies whose original changed or was deleted.")));
    Tool tool =
        Tool.builder("memory_search", input)
            .title("Search memories")
            .description(
                "Search what was remembered in earlier sessions, by meaning and by keywords. Use"
                    + " it before answering questions about the user's preferences, this"
                    + " project's decisions and conventions, or past problems and fixes. Returns"
                    + " the best matches first, each with a score from 0 to 1 (how likely the"
                    + " memory matters), or none and the reason when nothing stored is relevant;"
                    + " sees this project's and global memories unless scope says otherwise.")
            .outputSchema(
                object(
                    List.of("results"),
                    props(
                        "results",
                        Map.of("type", "array", "items", memory()),
                        "reason",
                        Map.of("type", "string"),
                        "rerank",
                        Map.of("type", "object"),
                        "trace",
                        Map.of("type", "object"))))
            .annotations(new ToolAnnotations("Search memories", true, false, true, false, null))
            .build();
    return ctx.searchSpec(
        tool,
        (service, caller, args, clientModel) -> {
          String category = args.string("category");
          SearchOutcome out =
              service.search(
                  caller,
                  SearchRequest.builder(args.string("query"))
                      .limit(limit(args.integer("limit")))
                      .tags(args.strings("tags"))
                      .scope(args.string("scope"))
                      .categories(category == null ? null : List.of(category))
                      .minScore(args.number("min_score"))
                      .after(args.time("after"))
                      .before(args.time("before"))
                      .states(args.flag("include_archived") ? List.of("active", "archived") : null)
                      .includeTrace(args.flag("include_trace"))
                      .spaces(spaces(args.string("space")))
                      .clientModel(clientModel)
                      .build());
          Map<String, Object> structured = MemoryJson.search(out);
          Map<String, ShareResults.StaleInfo> stale = new java.util.HashMap<>();
          if (args.flag("check_stale")) {
            for (ScoredMemory r : out.results()) {
              ShareResults.StaleInfo s = service.staleInfo(caller, r.memory().id());
              if (s != null) {
                stale.put(r.memory().id(), s);
              }
            }
            withStaleInfo(structured, stale);
          }
          return ToolResults.ok(
              structured,
              out.results().isEmpty() && out.reason() != null
                  ? out.reason()
                  : render(out.results(), stale));
        });
  }

  /** The tool's default, the one its schema states: the same in-process, daemon or remote. */
  static int limit(Integer asked) {
    return asked == null ? Limits.DEFAULT_SEARCH_LIMIT : asked;
  }

  private static List<String> spaces(String csv) {
    return csv == null ? null : List.of(csv.split(","));
  }

  @SuppressWarnings("unchecked")
  private static void withStaleInfo(
      Map<String, Object> structured, Map<String, ShareResults.StaleInfo> stale) {
    for (Object o : (List<Object>) structured.get("results")) {
      Map<String, Object> m = (Map<String, Object>) o;
      ShareResults.StaleInfo s = stale.get((String) m.get("id"));
      if (s != null) {
        m.put("stale_info", SpaceJson.of(s));
      }
    }
  }

  private static String render(
      List<ScoredMemory> results, Map<String, ShareResults.StaleInfo> stale) {
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
          .append(TrustText.shown(r.memory(), 200))
          .append(" (id ")
          .append(r.memory().id())
          .append(", ")
          .append(r.memory().category().wire())
          .append(origin(r.memory(), stale.get(r.memory().id())))
          .append(")\n");
    }
    return sb.toString().stripTrailing();
  }

  /** Where a memory lives, when not in the personal space, and who shared it. */
  private static String origin(dev.omem.domain.Memory m, ShareResults.StaleInfo stale) {
    if (m.spaceId() == null || m.spaceId().startsWith("personal/")) {
      return "";
    }
    Object by = m.provenance().get("shared_by_user");
    return ", in "
        + m.spaceId()
        + (by == null ? "" : ", shared by " + by)
        + (stale != null && stale.isStale()
            ? stale.sourceDeleted()
                ? ", STALE: the original was deleted"
                : ", STALE: the original changed since"
            : "");
  }
}
