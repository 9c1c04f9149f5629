package dev.omem.service;

import dev.omem.store.IngestTaskRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that works through the ingest queue: at start every task left pending or running
 * (a restart), then each new one as it is queued. Tasks run one at a time, in queue order.
 */
final class IngestWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);

  /** Attempts before a task that keeps failing is marked failed (a bug, not a blip). */
  private static final int MAX_ATTEMPTS = 3;

  /** How often the queue is looked at without a wake-up (tasks queued by another process). */
  private static final long IDLE_POLL_MS = 30_000;

  private final IngestTaskRepository tasks;

  /** Runs one task; {@code stopping} turns true when the worker is closing. */
  interface TaskRunner {
    void run(String taskId, BooleanSupplier stopping);
  }

  private final TaskRunner runner;
  private final Clock clock;
  private final Thread thread;
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean closed;

  IngestWorker(IngestTaskRepository tasks, TaskRunner runner, Clock clock) {
    this.tasks = tasks;
    this.runner = runner;
    this.clock = clock;
    this.thread = new Thread(this::loop, "omem-ingest");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Says a task was queued. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        for (String id : tasks.unfinished()) {
          if (closed) {
            return;
          }
          runOne(id);
        }
        synchronized (signal) {
          if (!woken && !closed) {
            signal.wait(IDLE_POLL_MS);
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("ingest queue: {}", e.toString());
        sleepQuietly();
      }
    }
  }

  private void runOne(String id) {
    try {
      runner.run(id, () -> closed);
    } catch (RuntimeException e) {
      if (closed) {
        throw e;
      }
      int attempts = tasks.get(id).map(IngestTaskRepository.TaskRow::attempts).orElse(0);
      LOG.warn("ingest task {} failed (attempt {}): {}", id, attempts, e.toString());
      if (attempts >= MAX_ATTEMPTS) {
        tasks.finish(id, "failed", "extraction failed: " + e.getMessage(), now());
      }
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
