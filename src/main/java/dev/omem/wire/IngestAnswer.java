package dev.omem.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.omem.service.IngestResult;

/** The 202 answer of an ingest: the task to poll, and how many turns were logged. */
public record IngestAnswer(
    @JsonProperty("task_id") String taskId, @JsonProperty("stored_count") int storedCount) {

  public static IngestAnswer of(IngestResult r) {
    return new IngestAnswer(r.taskId(), r.storedCount());
  }

  public IngestResult result() {
    return new IngestResult(taskId, storedCount);
  }
}
