package dev.omem.service;

import dev.omem.store.IngestTaskRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that works through the ingest queue: at start every task left pending or running
 * (a restart), then each new one as it is queued. Tasks run one at a time, in queue order, each
 * claimed under a lease ({@link IngestTaskRepository#claim}), so that of several nodes on one
 * database one runs it, and another takes it over when that node dies.
 */
final class IngestWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestWorker.class);

  /** Attempts before a task that keeps failing is marked failed (a bug, not a blip). */
  private static final int MAX_ATTEMPTS = 3;

  /** How often the queue is looked at without a wake-up (tasks queued by another process). */
  private static final long IDLE_POLL_MS = 30_000;

  /**
   * How long a claim holds a task without being renewed: a dead node's task is claimed again after
   * this. An extraction takes seconds (BENCHMARKS.md), renewed every {@link #RENEW_EVERY}.
   */
  static final Duration LEASE = Duration.ofSeconds(60);

  static final Duration RENEW_EVERY = Duration.ofSeconds(15);

  private final IngestTaskRepository tasks;

  /**
   * The holder of this worker's claims: unique per start on a shared database (a restarted node is
   * another, its old claims run out); one name for a store only one process opens, whose claims
   * left by a stopped process are given back at start ({@link #releaseOrphans}).
   */
  private final String owner;

  private final boolean shared;

  private final ScheduledExecutorService leases =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "omem-ingest-lease");
            t.setDaemon(true);
            return t;
          });

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

  IngestWorker(IngestTaskRepository tasks, TaskRunner runner, Clock clock, boolean shared) {
    this.shared = shared;
    this.owner =
        shared
            ? "node-" + ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID()
            : LOCAL;
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

  /** The owner of every claim on a store that only one process opens. */
  private static final String LOCAL = "local";

  /**
   * On a store only this process opens, a task left running holds a lease of a process that is
   * gone: given back, it runs at once rather than when the lease runs out.
   */
  private void releaseOrphans() {
    if (shared) {
      return;
    }
    for (String id : tasks.unfinished()) {
      tasks.renewLease(id, LOCAL, now().minusMillis(1));
    }
  }

  private void loop() {
    try {
      releaseOrphans();
    } catch (RuntimeException e) {
      // A command that closes at once interrupts this first read: that is no fault to report
      // (CI saw the warning break the CLI's one line on stderr).
      if (!closed) {
        LOG.warn("ingest queue: {}", e.toString());
      }
    }
    while (!closed) {
      try {
        Optional<IngestTaskRepository.TaskRow> claimed = claimNext();
        if (claimed.isPresent()) {
          runClaimed(claimed.get());
          continue;
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

  /**
   * The oldest task to run, claimed for this process under a lease: one node runs each task, and a
   * task whose node died is claimed again once its lease ran out.
   */
  private Optional<IngestTaskRepository.TaskRow> claimNext() {
    Instant now = now();
    return tasks.claim(owner, now, now.plus(LEASE));
  }

  /** Runs a claimed task, renewing its lease; a lease lost to another node stops the work. */
  private void runClaimed(IngestTaskRepository.TaskRow task) {
    String id = task.id();
    AtomicBoolean lost = new AtomicBoolean();
    ScheduledFuture<?> renewal =
        leases.scheduleWithFixedDelay(
            () -> {
              try {
                if (!tasks.renewLease(id, owner, now().plus(LEASE))) {
                  lost.set(true);
                }
              } catch (RuntimeException e) {
                LOG.warn("renewing the lease of ingest task {}: {}", id, e.toString());
              }
            },
            RENEW_EVERY.toMillis(),
            RENEW_EVERY.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      runner.run(id, () -> closed || lost.get());
    } catch (RuntimeException e) {
      if (closed || lost.get()) {
        return; // the task stays running under its lease; it is claimed again when that runs out
      }
      LOG.warn("ingest task {} failed (attempt {}): {}", id, task.attempts(), e.toString());
      if (task.attempts() >= MAX_ATTEMPTS) {
        tasks.finish(id, "failed", "extraction failed: " + e.getMessage(), now());
      } else {
        tasks.renewLease(id, owner, now().minusMillis(1)); // given up: claimed again at once
      }
    } finally {
      renewal.cancel(false);
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
    leases.shutdownNow();
    wake();
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
