package dev.omem.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An import as ourmem's API shows it ({@code {id, status, total_items, imported, skipped, errors,
 * …}}), with omem's progress field {@code processed}.
 *
 * @param status running, completed (no errors), partial (some items failed), failed (nothing
 *     imported and errors; or the process stopped while it ran) or rolled_back
 * @param processed items handled so far (imported, skipped or failed)
 * @param taskId the ingest task of a {@code session} import, else null
 */
public record ImportRecord(
    String id,
    String status,
    String fileType,
    String fileName,
    String strategy,
    int totalItems,
    int processed,
    int imported,
    int skipped,
    List<ImportError> errors,
    String taskId,
    Instant createdAt,
    Instant updatedAt) {

  /** An item that was not imported: its position in the file (from 0) and why. */
  public record ImportError(int index, String message) {}

  public ImportRecord {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public boolean finished() {
    return !status.equals("running");
  }

  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("id", id);
    j.put("status", status);
    j.put("file_type", fileType);
    j.put("file_name", fileName);
    j.put("strategy", strategy);
    j.put("total_items", totalItems);
    j.put("processed", processed);
    j.put("imported", imported);
    j.put("skipped", skipped);
    List<Map<String, Object>> errs = new ArrayList<>();
    for (ImportError e : errors) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("index", e.index());
      x.put("message", e.message());
      errs.add(x);
    }
    j.put("errors", errs);
    j.put("task_id", taskId);
    j.put("created_at", createdAt.toString());
    j.put("updated_at", updatedAt.toString());
    return j;
  }

  /** A record read back from {@link #toJson()} (the remote client's view). */
  public static ImportRecord fromJson(JsonNode j) {
    List<ImportError> errors = new ArrayList<>();
    for (JsonNode e : j.path("errors")) {
      if (e.isTextual()) {
        errors.add(new ImportError(-1, e.asText())); // ourmem lists messages only
      } else {
        errors.add(new ImportError(e.path("index").asInt(-1), e.path("message").asText()));
      }
    }
    return new ImportRecord(
        j.path("id").asText(),
        j.path("status").asText(),
        text(j, "file_type"),
        text(j, "file_name"),
        text(j, "strategy"),
        j.path("total_items").asInt(),
        j.path("processed").asInt(j.path("total_items").asInt()),
        j.path("imported").asInt(),
        j.path("skipped").asInt(),
        errors,
        text(j, "task_id"),
        time(j, "created_at"),
        time(j, "updated_at"));
  }

  private static String text(JsonNode j, String f) {
    return j.path(f).isTextual() ? j.path(f).asText() : null;
  }

  private static Instant time(JsonNode j, String f) {
    return j.path(f).isTextual() ? Instant.parse(j.path(f).asText()) : Instant.EPOCH;
  }
}
