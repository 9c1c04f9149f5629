package dev.omem.mcp;

import static dev.omem.mcp.Schemas.*;

import dev.omem.domain.IngestTask;
import dev.omem.domain.OmemException;
import dev.omem.service.IngestRequest;
import dev.omem.service.IngestResult;
import dev.omem.service.Limits;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code memory_ingest}: learn from a conversation. */
final class IngestTool {
  /** Under the TS SDK client's default 60 s request timeout, with room for the call itself. */
  static final int MAX_WAIT_SECONDS = 30;

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
                    "'smart' (default) extracts short, durable facts (preferences, decisions,"
                        + " conventions, corrections) and reconciles them with what is stored;"
                        + " 'raw' keeps the user's substantive statements as said.",
                    List.of("raw", "smart")),
                "wait",
                integer(
                    "Seconds to wait for the extraction to finish (0 = return at once with the"
                        + " task id; at most "
                        + MAX_WAIT_SECONDS
                        + ").",
                    0,
                    MAX_WAIT_SECONDS)));
    Tool tool =
        Tool.builder("memory_ingest", input)
            .title("Learn from a conversation")
            .description(
                "Hand over conversation messages; omem logs them, then extracts the durable facts"
                    + " in the background (ignoring greetings, questions, tool output and"
                    + " chatter), merging restatements and superseding changed facts instead of"
                    + " storing duplicates. Use it at the end of a piece of work, instead of many"
                    + " memory_store calls. Give wait to get the outcome (created, merged,"
                    + " skipped, superseded ids) in the answer.")
            .outputSchema(
                object(
                    List.of("task_id", "stored_count", "status"),
                    props(
                        "task_id", Map.of("type", "string"),
                        "stored_count", Map.of("type", "integer"),
                        "status", Map.of("type", "string"),
                        "memory_ids", Map.of("type", "array", "items", Map.of("type", "string")))))
            .annotations(
                new ToolAnnotations("Learn from a conversation", false, false, false, false, null))
            .build();
    return ctx.spec(
        tool,
        (service, caller, args, clientModel) -> {
          List<Map<String, Object>> raw = args.objects("messages");
          List<IngestRequest.Message> messages = new ArrayList<>();
          if (raw != null) {
            for (Map<String, Object> m : raw) {
              Args a = new Args(m);
              messages.add(new IngestRequest.Message(a.string("role"), a.string("content")));
            }
          }
          Integer wait = args.integer("wait");
          if (wait != null && (wait < 0 || wait > MAX_WAIT_SECONDS)) {
            throw OmemException.invalid(
                "wait must be between 0 and " + MAX_WAIT_SECONDS + " seconds, got " + wait);
          }
          IngestResult r =
              service.ingest(
                  caller,
                  new IngestRequest(
                      raw == null ? null : messages, args.string("mode"), clientModel));
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("task_id", r.taskId());
          out.put("stored_count", r.storedCount());
          if (wait == null || wait == 0) {
            out.put("status", "pending");
            return ToolResults.ok(
                out,
                "Logged "
                    + r.storedCount()
                    + " messages; extracting facts in the background (task "
                    + r.taskId()
                    + ").");
          }
          IngestTask t = service.awaitTask(caller, r.taskId(), Duration.ofSeconds(wait));
          out.putAll(t.toJson());
          return ToolResults.ok(out, summary(t));
        });
  }

  private static String summary(IngestTask t) {
    if (!t.finished()) {
      return "Extraction still " + t.status() + " (task " + t.id() + ").";
    }
    if (t.status().equals("failed")) {
      return "Extraction failed: " + t.error();
    }
    StringBuilder b = new StringBuilder("Extracted " + t.steps().size() + " facts:");
    for (IngestTask.Step s : t.steps()) {
      b.append("\n- ").append(s.decision());
      if (s.memoryId() != null) {
        b.append(" ").append(s.memoryId());
      }
      if (s.relatedId() != null) {
        b.append(" (").append(s.relatedId()).append(")");
      }
    }
    return b.toString();
  }
}
