package dev.omem.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of an ingest's extraction: {@code GET /v1/tasks/{id}} and {@code memory_ingest} with
 * {@code wait}.
 *
 * @param status pending, running, done or failed
 * @param steps one per extracted fact, in order: its decision and the memories it touched
 * @param error why the task failed, or null
 */
@JsonPropertyOrder({
  "task_id",
  "status",
  "created",
  "merged",
  "skipped",
  "superseded",
  "supported",
  "contextualized",
  "contradicted",
  "dropped",
  "memory_ids",
  "decisions",
  "error",
  "created_at",
  "updated_at"
})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IngestTask(
    @JsonProperty("task_id") String id,
    String status,
    @JsonProperty("decisions") List<Step> steps,
    String error,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * What happened to one fact. {@code decision} is a reconciliation decision or {@code dropped}
   * (not admitted); {@code memoryId} is the memory stored or acted on, {@code relatedId} the other
   * memory of a SUPERSEDE, CONTEXTUALIZE or CONTRADICT.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Step(String decision, String memoryId, String relatedId) {}

  public IngestTask {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  @JsonIgnore
  public boolean finished() {
    return status.equals("done") || status.equals("failed");
  }

  /** How many facts got {@code decision}. */
  public long count(String decision) {
    return steps.stream().filter(s -> s.decision().equals(decision)).count();
  }

  /** A task read back from {@link #toJson()} (the remote client's view). */
  public static IngestTask fromJson(JsonNode j) {
    return DomainJson.read(j, IngestTask.class);
  }

  /** The JSON object of the ourmem dialect (plus omem's per-decision counts and steps). */
  public Map<String, Object> toJson() {
    return DomainJson.map(this);
  }

  @JsonProperty(value = "created", access = JsonProperty.Access.READ_ONLY)
  long created() {
    return count("create") + count("contextualize") + count("contradict");
  }

  @JsonProperty(value = "merged", access = JsonProperty.Access.READ_ONLY)
  long merged() {
    return count("merge");
  }

  @JsonProperty(value = "skipped", access = JsonProperty.Access.READ_ONLY)
  long skipped() {
    return count("skip") + count("support");
  }

  @JsonProperty(value = "superseded", access = JsonProperty.Access.READ_ONLY)
  long superseded() {
    return count("supersede");
  }

  @JsonProperty(value = "supported", access = JsonProperty.Access.READ_ONLY)
  long supported() {
    return count("support");
  }

  @JsonProperty(value = "contextualized", access = JsonProperty.Access.READ_ONLY)
  long contextualized() {
    return count("contextualize");
  }

  @JsonProperty(value = "contradicted", access = JsonProperty.Access.READ_ONLY)
  long contradicted() {
    return count("contradict");
  }

  @JsonProperty(value = "dropped", access = JsonProperty.Access.READ_ONLY)
  long dropped() {
    return count("dropped");
  }

  /** The memories the task touched, each once, in the order of its steps. */
  @JsonProperty(value = "memory_ids", access = JsonProperty.Access.READ_ONLY)
  List<String> memoryIds() {
    return steps.stream().map(Step::memoryId).filter(Objects::nonNull).distinct().toList();
  }
}
