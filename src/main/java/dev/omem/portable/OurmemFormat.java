package dev.omem.portable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omem.domain.MemoryJsonReader;
import dev.omem.domain.OmemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ourmem's own import files: {@code memory} (a JSON array of Memory JSON objects, or {@code
 * {memories: [...]}}), {@code jsonl} (one Memory JSON object per line) and {@code session} (a JSON
 * array of {@code {role, content}} messages, or {@code {messages: [...]}}). Of a memory object only
 * what a new memory takes is read: content (required), category, tags, scope or project, source,
 * importance, session_id, created_at and expires_at; ids, states and counts belong to the store
 * that made them.
 */
public final class OurmemFormat {
  private OurmemFormat() {}

  public static ParsedFile readMemories(String text) {
    JsonNode root = PortableJson.parse(text, "memory");
    JsonNode arr = root.isObject() ? root.get("memories") : root;
    if (arr == null || !arr.isArray()) {
      throw OmemException.invalid(
          "a memory file is a JSON array of memories, or an object with a \"memories\" array");
    }
    List<ImportItem> items = new ArrayList<>();
    List<ParsedFile.ItemError> errors = new ArrayList<>();
    int i = 0;
    for (JsonNode j : arr) {
      add(j, i++, items, errors);
    }
    return ParsedFile.items(items, errors, arr.size());
  }

  /** One memory per non-blank line; a line that is not JSON is an error entry, not a failure. */
  public static ParsedFile readJsonl(String text) {
    List<ImportItem> items = new ArrayList<>();
    List<ParsedFile.ItemError> errors = new ArrayList<>();
    int i = 0;
    for (String line : text.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        add(PortableJson.JSON.readTree(line), i, items, errors);
      } catch (java.io.IOException | RuntimeException e) {
        errors.add(new ParsedFile.ItemError(i, "line " + (i + 1) + " is not a JSON object"));
      }
      i++;
    }
    return ParsedFile.items(items, errors, i);
  }

  public static ParsedFile readSession(String text) {
    JsonNode root = PortableJson.parse(text, "session");
    JsonNode arr = root.isObject() ? root.get("messages") : root;
    if (arr == null || !arr.isArray()) {
      throw OmemException.invalid(
          "a session file is a JSON array of {role, content} messages, or {\"messages\": [...]}");
    }
    List<ParsedFile.Message> messages = new ArrayList<>();
    for (JsonNode m : arr) {
      if (!m.isObject()) {
        throw OmemException.invalid(
            "each message of a session file must be a {role, content} object");
      }
      messages.add(
          new ParsedFile.Message(m.path("role").asText(null), m.path("content").asText(null)));
    }
    return new ParsedFile(
        ParsedFile.Restores.NONE, List.of(), messages, List.of(), messages.size());
  }

  private static void add(
      JsonNode j, int index, List<ImportItem> items, List<ParsedFile.ItemError> errors) {
    try {
      items.add(item(j));
    } catch (RuntimeException e) {
      errors.add(new ParsedFile.ItemError(index, OmemFormat.message(e)));
    }
  }

  static ImportItem item(JsonNode j) {
    if (!j.isObject()) {
      throw new IllegalArgumentException("a memory must be a JSON object");
    }
    String content = PortableJson.text(j, "content");
    if (content == null || content.isBlank()) {
      throw new IllegalArgumentException("content is required");
    }
    List<String> tags = new ArrayList<>();
    JsonNode t = j.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw new IllegalArgumentException("tags must be a list of strings");
      }
      t.forEach(x -> tags.add(x.asText()));
    }
    String scope = PortableJson.text(j, "scope");
    String project = PortableJson.text(j, "project");
    if (scope == null && project != null) {
      scope = "project:" + project;
    }
    JsonNode imp = j.get("importance");
    Double importance = imp != null && imp.isNumber() ? imp.asDouble() : null;
    return new ImportItem(
        content,
        PortableJson.text(j, "category"),
        tags,
        scope,
        PortableJson.text(j, "source"),
        importance,
        PortableJson.text(j, "session_id"),
        MemoryJsonReader.parseTime(PortableJson.text(j, "created_at")),
        MemoryJsonReader.parseTime(PortableJson.text(j, "expires_at")),
        Map.of());
  }
}
