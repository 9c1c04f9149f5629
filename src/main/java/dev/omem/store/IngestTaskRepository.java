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

  /**
   * Claims the oldest task there is to run for {@code owner} until {@code leaseUntil}: a pending
   * one, or a running one whose lease ran out (its node died) or that has none (it was started
   * without a claim by a process that stopped). Marks it running under the lease and counts the
   * attempt. Of several claims at once, on one node or several, each gets another task. Empty when
   * there is nothing to claim (or, rarely, when the one candidate was claimed meanwhile: call again
   * later).
   */
  Optional<TaskRow> claim(String owner, Instant now, Instant leaseUntil);

  /**
   * Extends {@code owner}'s lease on a task it runs; false when it holds the lease no more (it ran
   * out and another node claimed the task), in which case the caller must stop working on it.
   */
  boolean renewLease(String id, String owner, Instant leaseUntil);

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
