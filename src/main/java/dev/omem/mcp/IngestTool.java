package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.Limits;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code memory_ingest}: learn from a conversation. */
final class IngestTool {
  private IngestTool() {}

  static SyncToolSpecification spec(ToolContext ctx) {
    Map<String, Object> message =
        object(
            List.of("role", "content"),
            props(
                "role", enumOf("Who said it.", List.of("user", "assistant", "system")),
                "content", string("What was said.", Limits.MAX_CONTENT_BYTES)));
    Map<String, Object> input =
        object(
            List.of("messages"),
            props(
                "messages",
                Map.of(
                    "type",
                    "array",
                    "description",
                    "The messages, oldest first.",
                    "maxItems",
                    Limits.MAX_INGEST_MESSAGES,
                    "items",
                    message),
                "mode",
                enumOf(
                    "'raw' keeps statements as said; 'smart' (default) extracts facts"
                        + " where an extractor is configured, else acts as raw.",
                    List.of("raw", "smart"))));
    Tool tool =
        Tool.builder("memory_ingest", input)
            .title("Learn from a conversation")
            .description(
                "Hand over conversation messages; omem keeps the user's substantive statements"
                    + " (preferences, decisions, facts) as session memories and ignores"
                    + " greetings, questions and chatter. Use it at the end of a piece of work,"
                    + " instead of many memory_store calls.")
            .outputSchema(
                object(
                    List.of("stored_count", "memory_ids"),
                    props(
                        "stored_count", Map.of("type", "integer"),
                        "memory_ids", Map.of("type", "array", "items", Map.of("type", "string")))))
            .annotations(
                new ToolAnnotations("Learn from a conversation", false, false, true, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args) -> {
          List<Map<String, Object>> raw = args.objects("messages");
          List<IngestRequest.Message> messages = new ArrayList<>();
          if (raw != null) {
            for (Map<String, Object> m : raw) {
              Args a = new Args(m);
              messages.add(new IngestRequest.Message(a.string("role"), a.string("content")));
            }
          }
          IngestResult r =
              service.ingest(
                  caller, new IngestRequest(raw == null ? null : messages, args.string("mode")));
          return ToolResults.ok(
              Map.of("stored_count", r.storedCount(), "memory_ids", r.memoryIds()),
              "Stored " + r.storedCount() + " memories from " + messages.size() + " messages.");
        });
  }
}
