package dev.omem.index;

import dev.omem.store.Change;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Lucene index equal to SQLite: applies the change log after every write, commits the
 * index in the background, and rebuilds it from the stored vectors when it is missing, damaged or
 * too far behind (never re-embedding).
 */
public final class IndexSynchronizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSynchronizer.class);

  /** Change-log rows read per catch-up round; bounds memory on a long catch-up. */
  private static final int BATCH = 1_000;

  /**
   * How often the index is made durable. A Lucene commit fsyncs several files (tens of ms), too
   * slow for every store; SQLite holds every acknowledged write meanwhile, so a crash costs only a
   * catch-up on the next start.
   */
  private static final long COMMIT_EVERY_MS = 2_000;

  /** Meta key: change-log entries up to this seq were pruned; an index behind it must rebuild. */
  static final String PRUNED_THROUGH = "changes_pruned_through";

  private final MemoryRepository repo;
  private final String model;
  private final MemoryIndex index;
  private final ScheduledExecutorService committer;

  private IndexSynchronizer(MemoryRepository repo, String model, MemoryIndex index) {
    this.repo = repo;
    this.model = model;
    this.index = index;
    this.committer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-index-commit");
              t.setDaemon(true);
              return t;
            });
    committer.scheduleWithFixedDelay(
        this::commitQuietly, COMMIT_EVERY_MS, COMMIT_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the index in {@code dir} for vectors of {@code model} and brings it up to date: catches
   * up from the change log, or rebuilds from SQLite if the index is unreadable or behind what the
   * log still holds.
   */
  public static IndexSynchronizer open(MemoryRepository repo, Path dir, String model) {
    MemoryIndex idx;
    boolean rebuild = false;
    try {
      idx = MemoryIndex.open(dir);
    } catch (IOException e) {
      LOG.warn("index in {} is unreadable ({}); rebuilding it from the store", dir, e.toString());
      idx = freshIndex(dir);
      rebuild = true;
    }
    long prunedThrough = Long.parseLong(repo.meta(PRUNED_THROUGH).orElse("0"));
    if (!rebuild && idx.appliedSeq() < prunedThrough) {
      LOG.warn("index in {} is older than the change log; rebuilding it from the store", dir);
      rebuild = true;
    }
    IndexSynchronizer sync = new IndexSynchronizer(repo, model, idx);
    if (rebuild) {
      sync.rebuild();
    } else {
      sync.catchUp();
    }
    return sync;
  }

  private static MemoryIndex freshIndex(Path dir) {
    try {
      MemoryIndex.wipe(dir);
      return MemoryIndex.open(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the index in " + dir, e);
    }
  }

  public MemoryIndex index() {
    return index;
  }

  /** Change-log entries not yet searchable. */
  public long lag() {
    return Math.max(0, repo.lastSeq() - index.appliedSeq());
  }

  /** Applies every change after the index's sequence number; returns how many were applied. */
  public synchronized int catchUp() {
    int applied = 0;
    while (true) {
      List<Change> changes = repo.changesAfter(index.appliedSeq(), BATCH);
      if (changes.isEmpty()) {
        return applied;
      }
      Map<String, StoredMemory> rows =
          repo.findStored(changes.stream().map(Change::memoryId).distinct().toList());
      for (Change ch : changes) {
        StoredMemory row = rows.get(ch.memoryId());
        if (row == null) {
          index.delete(ch.memoryId());
        } else {
          index.upsert(row, model);
        }
      }
      index.markApplied(changes.get(changes.size() - 1).seq());
      applied += changes.size();
    }
  }

  /** Rebuilds the index from every SQLite row and its stored vector, then commits it. */
  public synchronized int rebuild() {
    long seq = repo.lastSeq(); // read first: a change made during the scan is re-applied after
    index.clear();
    int[] n = {0};
    repo.forEachStored(
        row -> {
          index.upsert(row, model);
          n[0]++;
        });
    index.markApplied(seq);
    catchUp();
    commitQuietly();
    LOG.info("rebuilt the index from {} stored memories", n[0]);
    return n[0];
  }

  /** Commits the index and prunes the change-log entries it made durable. */
  public synchronized void commit() {
    long seq = index.commit();
    long pruned = Long.parseLong(repo.meta(PRUNED_THROUGH).orElse("0"));
    if (seq > pruned) {
      repo.pruneChangesThrough(seq);
      repo.putMeta(PRUNED_THROUGH, Long.toString(seq));
    }
  }

  private void commitQuietly() {
    try {
      commit();
    } catch (RuntimeException e) {
      LOG.warn("index commit failed; will retry", e);
    }
  }

  /** Stops without committing, as a crash would (for recovery tests). */
  public void abandon() {
    stopCommitter();
    index.abandon();
  }

  /**
   * Lets a running commit finish: interrupting Lucene's file channels mid-write closes them, which
   * is why this is not {@code shutdownNow}.
   */
  private void stopCommitter() {
    committer.shutdown();
    try {
      committer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopCommitter();
    synchronized (this) {
      commitQuietly();
      index.close();
    }
  }
}
