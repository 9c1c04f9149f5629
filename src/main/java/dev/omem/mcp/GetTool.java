package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.HistoryEntry;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.List;
import java.util.Map;

/** {@code memory_get}: one memory with every field. */
final class GetTool {
  private GetTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> input =
        object(List.of("id"), props("id", string("The memory's id (a UUID).")));
    Tool tool =
        Tool.builder("memory_get", input)
            .title("Get a memory")
            .description(
                "Fetch one memory by id with all its fields (tags, scope, importance, version,"
                    + " dates) and its history: what created and changed it, when, from which"
                    + " session (merges, supersessions, updates). Use it after a search when you"
                    + " need the details of a result. Fetching a memory marked [unconfirmed] by id"
                    + " confirms it: fetch one when it matters to what you do.")
            .outputSchema(object(List.of("memory"), props("memory", memory())))
            .annotations(new ToolAnnotations("Get a memory", true, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          Memory m = service.get(caller, args.string("id"));
          List<HistoryEntry> history = service.history(caller, m.id());
          Map<String, Object> j = MemoryJson.withHistory(m, history);
          dev.omem.domain.ShareResults.StaleInfo stale =
              m.provenance().isEmpty() ? null : service.staleInfo(caller, m.id());
          if (stale != null) {
            j.put("stale_info", dev.omem.domain.SpaceJson.of(stale));
          }
          return ToolResults.ok(
              Map.of("memory", j),
              (m.trust().marks().isEmpty() ? m.content() : TrustText.shown(m, Integer.MAX_VALUE))
                  + "\n(id "
                  + m.id()
                  + ", "
                  + m.category().wire()
                  + ", "
                  + m.scope()
                  + ", "
                  + m.state().wire()
                  + ", tags "
                  + m.tags()
                  + ")"
                  + (m.provenance().isEmpty()
                      ? ""
                      : "\nShared into "
                          + m.spaceId()
                          + " by "
                          + m.provenance().get("shared_by_user")
                          + " from "
                          + m.provenance().get("shared_from_space")
                          + (stale != null && stale.isStale()
                              ? " (STALE: the original changed or was deleted)"
                              : ""))
                  + "\nHistory: "
                  + history.stream()
                      .map(h -> h.action().wire() + " " + MemoryJson.time(h.at()))
                      .collect(java.util.stream.Collectors.joining("; ")));
        });
  }
}
