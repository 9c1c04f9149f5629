package dev.omem.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an ingest's extraction: {@code GET /v1/tasks/{id}} and {@code memory_ingest} with
 * {@code wait}.
 *
 * @param status pending, running, done or failed
 * @param steps one per extracted fact, in order: its decision and the memories it touched
 * @param error why the task failed, or null
 */
public record IngestTask(
    String id,
    String status,
    List<Step> steps,
    String error,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * What happened to one fact. {@code decision} is a reconciliation decision or {@code dropped}
   * (not admitted); {@code memoryId} is the memory stored or acted on, {@code relatedId} the other
   * memory of a SUPERSEDE, CONTEXTUALIZE or CONTRADICT.
   */
  public record Step(String decision, String memoryId, String relatedId) {}

  public IngestTask {
    steps = List.copyOf(steps);
  }

  public boolean finished() {
    return status.equals("done") || status.equals("failed");
  }

  /** How many facts got {@code decision}. */
  public long count(String decision) {
    return steps.stream().filter(s -> s.decision().equals(decision)).count();
  }

  /** A task read back from {@link #toJson()} (the remote client's view). */
  public static IngestTask fromJson(com.fasterxml.jackson.databind.JsonNode j) {
    List<Step> steps = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode d : j.path("decisions")) {
      steps.add(
          new Step(
              d.path("decision").asText(),
              d.path("memory_id").isTextual() ? d.path("memory_id").asText() : null,
              d.path("related_id").isTextual() ? d.path("related_id").asText() : null));
    }
    return new IngestTask(
        j.path("task_id").asText(),
        j.path("status").asText(),
        steps,
        j.path("error").isTextual() ? j.path("error").asText() : null,
        Instant.parse(j.path("created_at").asText()),
        Instant.parse(j.path("updated_at").asText()));
  }

  /** The JSON object of the ourmem dialect (plus omem's per-decision counts and steps). */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("task_id", id);
    out.put("status", status);
    out.put("created", count("create") + count("contextualize") + count("contradict"));
    out.put("merged", count("merge"));
    out.put("skipped", count("skip") + count("support"));
    out.put("superseded", count("supersede"));
    out.put("supported", count("support"));
    out.put("contextualized", count("contextualize"));
    out.put("contradicted", count("contradict"));
    out.put("dropped", count("dropped"));
    List<String> ids = new ArrayList<>();
    List<Map<String, Object>> decisions = new ArrayList<>();
    for (Step s : steps) {
      if (s.memoryId() != null && !ids.contains(s.memoryId())) {
        ids.add(s.memoryId());
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("decision", s.decision());
      d.put("memory_id", s.memoryId());
      d.put("related_id", s.relatedId());
      decisions.add(d);
    }
    out.put("memory_ids", ids);
    out.put("decisions", decisions);
    out.put("error", error);
    out.put("created_at", createdAt.toString());
    out.put("updated_at", updatedAt.toString());
    return out;
  }
}
