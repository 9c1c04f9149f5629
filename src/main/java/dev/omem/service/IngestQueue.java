package dev.omem.service;

import dev.omem.domain.IngestTask;
import dev.omem.domain.OmemException;
import dev.omem.ingest.FactExtractor;
import dev.omem.store.IngestTaskRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Smart ingest's front: a request's turns checked and redacted ({@link IngestValidation}), logged
 * with a queued task, and the {@link IngestWorker} woken; then the task's state as it goes.
 */
final class IngestQueue {
  private final IngestTaskRepository tasks;
  private final IngestWorker worker;
  private final Clock clock;

  IngestQueue(IngestTaskRepository tasks, IngestWorker worker, Clock clock) {
    this.tasks = tasks;
    this.worker = worker;
    this.clock = clock;
  }

  IngestResult ingest(String tenant, Caller caller, IngestRequest r) {
    String mode = IngestValidation.mode(r);
    List<FactExtractor.Turn> turns = IngestValidation.turns(r);
    List<FactExtractor.Fact> given = IngestValidation.facts(r, mode);
    if (given == null && r.clientModel() != null && mode.equals("smart")) {
      // The client's own model (MCP sampling) answers only during this call: extract now.
      given = ClientExtraction.extract(r.clientModel(), turns);
    }
    String facts = given == null ? null : IngestPipeline.writeFacts(given);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String id = UUID.randomUUID().toString();
    tasks.create(
        new IngestTaskRepository.TaskRow(
            id,
            tenant,
            "pending",
            mode,
            caller.agentId(),
            caller.sessionId(),
            caller.project(),
            facts,
            null,
            0,
            now,
            now),
        turns.stream().map(t -> new IngestTaskRepository.TurnRow(t.role(), t.content())).toList());
    worker.wake();
    return new IngestResult(id, turns.size());
  }

  IngestTask task(String tenant, String rawId) {
    String id = RequestValidator.id(rawId);
    IngestTaskRepository.TaskRow t =
        tasks
            .find(tenant, id)
            .orElseThrow(() -> OmemException.notFound("no ingest task with id " + id));
    List<IngestTask.Step> steps =
        tasks.steps(id).stream()
            .map(s -> new IngestTask.Step(s.decision(), s.memoryId(), s.relatedId()))
            .toList();
    return new IngestTask(id, t.status(), steps, t.error(), t.createdAt(), t.updatedAt());
  }

  /** The task once finished, or as it stands after {@code max}. */
  IngestTask await(String tenant, String id, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    IngestTask t = task(tenant, id);
    while (!t.finished() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return t;
      }
      t = task(tenant, id);
    }
    return t;
  }
}
