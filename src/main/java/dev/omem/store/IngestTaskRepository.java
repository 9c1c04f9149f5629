package dev.omem.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable ingest queue: tasks, the raw turns each one logged (the session log), the facts
 * extracted for it, and the decision taken for each fact.
 */
public interface IngestTaskRepository {
  /** A queued ingest, as stored. {@code factsJson} is null until extraction has run. */
  record TaskRow(
      String id,
      String tenantId,
      String status,
      String mode,
      String agentId,
      String sessionId,
      String project,
      String factsJson,
      String error,
      int attempts,
      Instant createdAt,
      Instant updatedAt) {}

  /** One logged turn. */
  record TurnRow(String role, String content) {}

  /** The decision taken for one fact of a task. */
  record StepRow(int factIndex, String decision, String memoryId, String relatedId) {}

  /** Logs the turns and queues the task, in one transaction. */
  void create(TaskRow t, List<TurnRow> turns);

  Optional<TaskRow> find(String tenantId, String id);

  /** Ids of the tasks still to run (pending, or running when the process stopped), oldest first. */
  List<String> unfinished();

  /** The task by id whatever its tenant (the worker's view). */
  Optional<TaskRow> get(String id);

  List<TurnRow> turns(String taskId);

  List<StepRow> steps(String taskId);

  /** Marks the task running and counts the attempt. */
  void start(String id, Instant at);

  /** Stores the extracted facts, so a resumed task never extracts again. */
  void saveFacts(String id, String factsJson, Instant at);

  /** Ends the task: {@code done} or {@code failed} (with the reason). */
  void finish(String id, String status, String error, Instant at);

  /**
   * Records the decision for one fact; called inside the {@link MemoryRepository#apply} that
   * applies it, it joins that transaction.
   */
  void recordStep(String taskId, StepRow step);
}
