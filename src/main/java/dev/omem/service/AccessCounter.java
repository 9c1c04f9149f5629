package dev.omem.service;

import dev.omem.domain.ScoredMemory;
import dev.omem.store.MemoryRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts accesses (a get, the top results of an explicit search, what a hook injects) after the
 * answer is out: one thread, one transaction per batch of up to a second, so a read never waits for
 * the store's writer. The decay pass reads the counts ({@code lifecycle.Tiers}).
 */
final class AccessCounter {
  private static final Logger LOG = LoggerFactory.getLogger(AccessCounter.class);

  private final MemoryRepository repo;
  private final Clock clock;

  /**
   * How long accesses wait to be written together (ms). Each write empties every reader
   * connection's page cache (WAL), so a search right after another's write read its pages again;
   * written once for a burst of searches, the search thread's CPU was 15.2 -> 14.1 ms a search at
   * 10k and the access counter's own 0.8 ms and fsync per search went (issue 19, BENCHMARKS.md
   * "Session 22: a search's CPU at 10k through the daemon", w4). What reads the counts waits for
   * them ({@link #await}).
   */
  private static final long BATCH_MS = 1_000;

  /** Whether a write of the queue is scheduled and has not started. */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "omem-access");
            t.setDaemon(true);
            return t;
          });

  AccessCounter(MemoryRepository repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /** One access of each id of a partition, at one time. */
  private record Access(String tenant, List<String> ids, Instant at) {}

  /** Accesses not written yet; the writer thread drains them. */
  private final ConcurrentLinkedQueue<Access> queued = new ConcurrentLinkedQueue<>();

  /** Queues one access for each id of the partition {@code tenant}; written after the answer. */
  void count(String tenant, List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    // To the millisecond the store keeps, as every other time the service writes.
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    queued.add(new Access(tenant, List.copyOf(ids), at));
    try {
      if (scheduled.compareAndSet(false, true)) {
        writer.schedule(
            () -> {
              scheduled.set(false);
              drain();
            },
            BATCH_MS,
            TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      // closing: an access more or less is not worth delaying the shutdown
    }
  }

  /**
   * Writes every access queued so far, one transaction per partition rather than one per search:
   * under a 32-client load each search's own transaction (an fsync each) queued for SQLite's one
   * writer beside the stores (issue 19). Every access still counts once; the time kept is the
   * partition's latest in the batch, as one access after another would leave it.
   */
  private void drain() {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    Map<String, Instant> latest = new HashMap<>();
    for (Access a; (a = queued.poll()) != null; ) {
      ids.computeIfAbsent(a.tenant(), k -> new ArrayList<>()).addAll(a.ids());
      latest.merge(a.tenant(), a.at(), (x, y) -> x.isAfter(y) ? x : y);
    }
    if (ids.isEmpty()) {
      return;
    }
    // One fsync for the batch's partitions, not one each: a team server's 32 tenants made 32 a
    // second, 0.3% of its CPU under the team load (perf, issue 19, BENCHMARKS.md session 23).
    try {
      repo.durableAfter(
          () -> {
            ids.forEach(
                (tenant, list) -> {
                  try {
                    repo.recordAccess(tenant, list, latest.get(tenant));
                  } catch (RuntimeException e) {
                    LOG.warn("counting accesses failed: {}", e.toString());
                  }
                });
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("making the access counts durable failed: {}", e.toString()); // the batch's fsync
    }
  }

  /** Counts the first {@link Limits#ACCESS_COUNTED_RESULTS} of a search's results. */
  void countTop(List<ScoredMemory> results) {
    Map<String, List<String>> byPartition = new LinkedHashMap<>();
    results.stream()
        .limit(Limits.ACCESS_COUNTED_RESULTS)
        .forEach(
            s ->
                byPartition
                    .computeIfAbsent(s.memory().tenantId(), k -> new ArrayList<>())
                    .add(s.memory().id()));
    byPartition.forEach(this::count);
  }

  /**
   * Writes the accesses queued so far now, without waiting for the batch, and returns when they are
   * (for whatever reads the counts: the decay pass, stats, tests).
   */
  void await() {
    try {
      writer.submit(this::drain).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | RejectedExecutionException e) {
      // nothing queued can be waited for any more
    }
  }

  /** Writes what is queued (up to 5 s; a scheduled batch still runs) and stops. */
  void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops at once, dropping what is queued (a simulated crash). */
  void abandon() {
    writer.shutdownNow();
  }
}
