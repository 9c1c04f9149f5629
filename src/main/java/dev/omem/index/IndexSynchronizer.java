package dev.omem.index;

import dev.omem.domain.MemoryFilter;
import dev.omem.index.IndexStatus.Phase;
import dev.omem.store.Change;
import dev.omem.store.MemoryRepository;
import dev.omem.store.StoredMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Lucene index equal to SQLite and heals it: applies the change log after every write,
 * commits in the background, verifies Lucene's checksums when the index opens, every hour, and at
 * once after a failed read or write, and rebuilds it from the stored rows and vectors (never
 * re-embedding) when it is damaged, missing or behind the pruned log. While it is checked or
 * rebuilt, searches answer from SQLite ({@link StoredVectorSearch}) and writes only go to SQLite:
 * the change log brings the index up to date afterwards. No index failure reaches a caller.
 *
 * <p>Longer than most files: the index's state and every transition of it (healthy, checking,
 * rebuilding, failed) live here together, so that the one lock order (rebuild, then this, then the
 * state) is visible in one place.
 *
 * <p>Over 400 lines because catch-up, rebuild, healing and the unread-writes overlay share one
 * reader's state.
 */
public final class IndexSynchronizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexSynchronizer.class);

  /** Change-log rows read per catch-up round; bounds memory on a long catch-up. */
  static final int BATCH = 1_000;

  /**
   * How often the tick catches up, reopens the reader and may commit. A Lucene commit fsyncs
   * several files (tens of ms), too slow for every store; SQLite holds every acknowledged write
   * meanwhile, so a crash costs only a catch-up on the next start. The same tick notices a deleted
   * index directory.
   */
  private static final long TICK_EVERY_MS = 2_000;

  /**
   * While writes keep coming, the index commits at most this often; it commits at the first tick
   * that finds no write since the one before. A commit every tick fsynced about 20 files every 2 s
   * of a stream of stores (6.6 fsyncs a store at 10k), on the disk whose queue each store's own
   * SQLite commit waits in (perf trace, issue 19 session 20). A crash meanwhile costs a catch-up of
   * at most this much of the change log on the next start.
   */
  static final long COMMIT_AT_LEAST_EVERY_MS = 30_000;

  /**
   * How often a running index re-verifies its checksums: damage that breaks no read (flipped bytes
   * in stored fields or postings) otherwise only shows as missed results. A check reads every file
   * once (BENCHMARKS.md: tens of ms at 10k memories), so hourly costs nothing noticeable.
   */
  private static final long VERIFY_EVERY_MS = 3_600_000;

  /** A rebuild that failed (disk full, permissions) is tried again after this long. */
  private static final long RETRY_REBUILD_MS = 30_000;

  /**
   * Failures in a row whose check found no damage, before the index is rebuilt anyway: an index
   * that keeps failing with whole checksums is broken in a way they do not cover.
   */
  private static final int FAILURES_BEFORE_REBUILD = 3;

  /** Meta key: change-log entries up to this seq were pruned; an index behind it must rebuild. */
  static final String PRUNED_THROUGH = "changes_pruned_through";

  private final MemoryRepository repo;
  private final String model;
  private final Path dir;
  private final StoredVectorSearch fallback;
  private final ScheduledExecutorService maintenance;
  private final boolean ownsMaintenance;

  /** Whether a {@link #reopenSoon} is queued or running. */
  private final java.util.concurrent.atomic.AtomicBoolean reopening =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Other nodes apply the same change log (a cluster on one database): no node prunes it, since one
   * node's durable index says nothing of another's.
   */
  private final boolean sharedLog;

  private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

  /** Other nodes' writes: when each became searchable here. */
  private final ReplicationLag replicationLag;

  /** Held for a whole rebuild, so that two never run at once. */
  private final Object rebuildLock = new Object();

  /** Guards phase changes. */
  private final Object stateLock = new Object();

  /** The open index; null while none is (a rebuild is opening a fresh one). */
  private volatile MemoryIndex index;

  private volatile Phase phase = Phase.HEALTHY;
  private volatile String reason;
  private volatile List<IndexDamage> damage = List.of();
  private final AtomicInteger rebuilt = new AtomicInteger();
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger rebuilds = new AtomicInteger();
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Set once the opening catch-up is done: what a starting node replays was not late on a serving
   * node, so it is not measured as replication lag.
   */
  private volatile boolean serving;

  private IndexSynchronizer(
      MemoryRepository repo,
      Path dir,
      String model,
      ScheduledExecutorService maintenance,
      boolean ownsMaintenance,
      boolean sharedLog,
      ReplicationLag replicationLag) {
    this.repo = repo;
    this.sharedLog = sharedLog;
    this.replicationLag = replicationLag;
    this.model = model;
    this.dir = dir;
    this.fallback = new StoredVectorSearch(repo, model);
    this.maintenance = maintenance;
    this.ownsMaintenance = ownsMaintenance;
  }

  /**
   * Opens the index in {@code dir} for vectors of {@code model}, verifies its checksums and brings
   * it up to date from the change log; an unreadable, damaged or too old index is rebuilt from
   * SQLite in the background while searches answer from SQLite.
   */
  public static IndexSynchronizer open(MemoryRepository repo, Path dir, String model) {
    return open(repo, dir, model, false);
  }

  /**
   * As {@link #open(MemoryRepository, Path, String)}; {@code sharedLog}: other nodes write and
   * apply the same change log, so this one never prunes it.
   */
  public static IndexSynchronizer open(
      MemoryRepository repo, Path dir, String model, boolean sharedLog) {
    return open(repo, dir, model, sharedLog, new ReplicationLag());
  }

  /**
   * As {@link #open(MemoryRepository, Path, String, boolean)}, reporting to {@code lag} when other
   * nodes' writes become searchable.
   */
  public static IndexSynchronizer open(
      MemoryRepository repo, Path dir, String model, boolean sharedLog, ReplicationLag lag) {
    ScheduledExecutorService own =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "omem-index");
              t.setDaemon(true);
              return t;
            });
    return new IndexSynchronizer(repo, dir, model, own, true, sharedLog, lag).start();
  }

  /**
   * As {@link #open(MemoryRepository, Path, String)}, with commits, checks and rebuilds on {@code
   * maintenance} (tests hold it to see the fallback at work); the caller shuts it down.
   */
  public static IndexSynchronizer open(
      MemoryRepository repo, Path dir, String model, ScheduledExecutorService maintenance) {
    return new IndexSynchronizer(repo, dir, model, maintenance, false, false, new ReplicationLag())
        .start();
  }

  private IndexSynchronizer start() {
    MemoryIndex idx = null;
    List<IndexDamage> found;
    long t0 = System.nanoTime();
    try {
      idx = MemoryIndex.open(dir);
      LOG.info("index opened in {} ms", (System.nanoTime() - t0) / 1_000_000);
      found = idx.verify();
      LOG.info("index verified in {} ms", (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      found = List.of(IndexDamage.ofOpenFailure(dir, e));
    }
    boolean current = true;
    if (found.isEmpty()) {
      try {
        current = idx.currentFormat();
      } catch (RuntimeException e) {
        found = List.of(IndexDamage.ofOpenFailure(dir, e));
      }
    }
    // On a shared log, which no node prunes, an empty index (a new node, or its directory deleted)
    // is rebuilt from the stored rows and vectors rather than replayed from the first change.
    boolean empty = sharedLog && found.isEmpty() && idx.appliedSeq() == 0 && repo.lastSeq() > 0;
    if (found.isEmpty() && current && !empty && idx.appliedSeq() >= prunedThrough()) {
      index = idx;
      catchUp();
      LOG.info("index caught up in {} ms", (System.nanoTime() - t0) / 1_000_000);
    } else {
      if (idx != null) {
        idx.abandonQuietly();
      }
      // An index of an older build (another analyzer) is rebuilt once, like a damaged one.
      String why =
          !found.isEmpty()
              ? "damaged at open"
              : empty
                  ? "empty"
                  : current ? "older than the change log" : "written by an older build";
      LOG.warn("index in {} is {} {}; rebuilding it from the store", dir, why, found);
      damage = found;
      reason = why;
      phase = Phase.REBUILDING;
      total.set((int) Math.min(Integer.MAX_VALUE, repo.countAll()));
      maintenance.execute(() -> rebuildInBackground(why));
    }
    ticks.add(
        maintenance.scheduleWithFixedDelay(
            this::tick, TICK_EVERY_MS, TICK_EVERY_MS, TimeUnit.MILLISECONDS));
    ticks.add(
        maintenance.scheduleWithFixedDelay(
            this::verifyPeriodically, VERIFY_EVERY_MS, VERIFY_EVERY_MS, TimeUnit.MILLISECONDS));
    serving = true;
    return this;
  }

  /** The open Lucene index, or null while a rebuild opens a fresh one (tests look into it). */
  public MemoryIndex index() {
    return index;
  }

  public Path dir() {
    return dir;
  }

  /** What the index is doing now, and the damage found since it opened. */
  public IndexStatus status() {
    int t = total.get();
    int pct = phase != Phase.REBUILDING ? 100 : t == 0 ? 0 : Math.min(99, 100 * rebuilt.get() / t);
    return new IndexStatus(phase, pct, damage, reason, rebuilds.get());
  }

  /** Change-log entries not yet searchable in the index. */
  public long lag() {
    MemoryIndex idx = index;
    long last = repo.lastSeq();
    return idx == null ? last : Math.max(0, last - idx.appliedSeq());
  }

  /** Documents in the index (while it is rebuilt: those indexed so far). */
  public int documents() {
    MemoryIndex idx = index;
    if (phase != Phase.HEALTHY || idx == null) {
      return rebuilt.get();
    }
    try {
      return idx.count();
    } catch (RuntimeException e) {
      failed("counting documents", e);
      return rebuilt.get();
    }
  }

  /**
   * The sequence number a search started now sees at least (every change up to it applied), or -1
   * while the index is not healthy and searches are answered from the store.
   */
  public long searchableSeq() {
    MemoryIndex idx = index;
    return phase == Phase.HEALTHY && idx != null ? idx.appliedSeq() : -1;
  }

  // ---- searches ----

  /** BM25 over the index; from the store's text while the index is not healthy. */
  public IndexHits searchText(String query, MemoryFilter filter, int k) {
    return searchText(query, List.of(filter), k);
  }

  /** BM25 over the memories any of {@code filters} selects, one ranking. */
  public IndexHits searchText(String query, List<MemoryFilter> filters, int k) {
    MemoryIndex idx = readable();
    if (idx != null) {
      try {
        IndexHits out = new IndexHits(idx.searchText(query, filters, k), null);
        failuresInARow.set(0);
        return out;
      } catch (RuntimeException e) {
        failed("a search", e);
      }
    }
    return new IndexHits(
        merged(filters, f -> fallback.searchText(query, f, k), k),
        note("substring match over the stored text"));
  }

  /** Nearest vectors in the index; from the stored vectors while the index is not healthy. */
  public IndexHits searchVector(float[] vector, MemoryFilter filter, int k) {
    return searchVector(vector, List.of(filter), k);
  }

  /** Nearest vectors among the memories any of {@code filters} selects. */
  public IndexHits searchVector(float[] vector, List<MemoryFilter> filters, int k) {
    MemoryIndex idx = readable();
    if (idx != null) {
      try {
        IndexHits out = new IndexHits(idx.searchVector(vector, filters, k), null);
        failuresInARow.set(0);
        return out;
      } catch (RuntimeException e) {
        failed("a search", e);
      }
    }
    return new IndexHits(
        merged(filters, f -> fallback.searchVector(vector, f, k), k),
        note("cosine over the stored vectors"));
  }

  /**
   * The vector retriever's two lists ({@link MemoryIndex#searchVectorPools}); while the index is
   * not healthy, the plain cosine over the stored vectors alone.
   */
  public VectorPools searchVectorPools(float[] vector, List<MemoryFilter> filters, int k) {
    MemoryIndex idx = readable();
    if (idx != null) {
      try {
        VectorPools out = idx.searchVectorPools(vector, filters, k);
        failuresInARow.set(0);
        return out;
      } catch (RuntimeException e) {
        failed("a search", e);
      }
    }
    IndexHits plain = searchVector(vector, filters, k);
    return new VectorPools(plain.hits(), List.of(), plain.fallback());
  }

  /**
   * Nearest vectors for a store's neighbour check, without reopening the index's reader for the
   * writes just applied ({@link MemoryIndex#searchVectorUnread}: HNSW, not the exact search).
   */
  public IndexHits searchNeighbours(float[] vector, MemoryFilter filter, int k) {
    MemoryIndex idx = readable();
    if (idx != null) {
      try {
        IndexHits out = new IndexHits(idx.searchVectorUnread(vector, List.of(filter), k), null);
        failuresInARow.set(0);
        return out;
      } catch (RuntimeException e) {
        failed("a search", e);
      }
    }
    return searchVector(vector, filter, k);
  }

  /** The store's answers for each filter, merged best first. */
  private static List<IndexHit> merged(
      List<MemoryFilter> filters,
      java.util.function.Function<MemoryFilter, List<IndexHit>> search,
      int k) {
    if (filters.size() == 1) {
      return search.apply(filters.get(0));
    }
    return filters.stream()
        .flatMap(f -> search.apply(f).stream())
        .sorted(java.util.Comparator.comparingDouble((IndexHit h) -> -h.score()))
        .limit(k)
        .toList();
  }

  /**
   * Reopens the reader on the maintenance thread, once at a time: searches lay the unread writes
   * over the reader they have ({@link UnreadWrites}), so the reader is reopened for a few dozen
   * writes at once instead of for each burst of stores, and the stores do not wait for it.
   */
  private void reopenSoon(MemoryIndex idx) {
    if (!reopening.compareAndSet(false, true)) {
      return;
    }
    try {
      maintenance.execute(
          () -> {
            try {
              idx.refresh();
            } catch (RuntimeException e) {
              failed("reopening the reader", e);
            } finally {
              reopening.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      reopening.set(false); // closing: the searches reopen it themselves if they must
    }
  }

  private MemoryIndex readable() {
    return phase == Phase.HEALTHY ? index : null;
  }

  private String note(String how) {
    return status().describe() + ": answered from the store, " + how;
  }

  // ---- writes ----

  /**
   * Applies every change after the index's sequence number; returns how many were applied. While
   * the index is checked or rebuilt it applies none: SQLite and its change log hold them.
   */
  public synchronized int catchUp() {
    return catchUp(null, 0);
  }

  /**
   * As {@link #catchUp()}, for the writer of {@code written}, the row its transaction inserted as
   * the change {@code seq}: when that change is the only one pending, the row is applied as the
   * writer holds it, not read back from the store (a query and a row's mapping, about 0.5 ms of a
   * store; issue 19). A row the store holds differently (a later change, another writer's) is in
   * the log after it and read as before.
   */
  public synchronized int catchUp(StoredMemory written, long seq) {
    MemoryIndex idx = index;
    if (phase != Phase.HEALTHY || idx == null) {
      return 0;
    }
    try {
      int n = applyChanges(idx, written, seq);
      failuresInARow.set(0);
      if (n > 0 && idx.manyUnreadWrites()) {
        reopenSoon(idx);
      }
      return n;
    } catch (RuntimeException e) {
      failed("applying the change log", e);
      return 0;
    }
  }

  /**
   * Applies every pending change in batches; when other nodes wrote some of them, reopens the
   * reader once at the end (rather than at the next search), so that they are searchable now and
   * their lag is measured at the moment they became so.
   */
  private int applyChanges(MemoryIndex idx) {
    return applyChanges(idx, null, 0);
  }

  private int applyChanges(MemoryIndex idx, StoredMemory written, long seq) {
    int applied = 0;
    List<Change> foreign = new ArrayList<>();
    while (true) {
      List<Change> changes = repo.changesAfter(idx.appliedSeq(), BATCH);
      if (!changes.isEmpty()) {
        Map<String, StoredMemory> rows =
            isOnly(changes, written, seq)
                ? Map.of(written.memory().id(), written)
                : repo.findStored(changes.stream().map(Change::memoryId).distinct().toList());
        for (Change ch : changes) {
          StoredMemory row = rows.get(ch.memoryId());
          if (row == null) {
            idx.delete(ch.memoryId());
          } else {
            idx.upsert(row, model);
          }
        }
        idx.markApplied(changes.get(changes.size() - 1).seq());
        applied += changes.size();
        for (Change ch : changes) {
          if (ch.foreign()) {
            foreign.add(ch);
          }
        }
      }
      // A short batch was the log's end when read: no second, empty read per store (issue 19). A
      // write committed since then is applied by its own writer's catch-up, or the follower's.
      if (changes.size() < BATCH) {
        if (!foreign.isEmpty() && serving) {
          idx.refresh();
          replicationLag.searchable(foreign, System.currentTimeMillis());
        }
        return applied;
      }
    }
  }

  /** Whether {@code changes} are only the change {@code seq} of {@code written}'s own insert. */
  private static boolean isOnly(List<Change> changes, StoredMemory written, long seq) {
    if (written == null || changes.size() != 1) {
      return false;
    }
    Change c = changes.get(0);
    return c.seq() == seq && !c.foreign() && c.memoryId().equals(written.memory().id());
  }

  /**
   * Commits the index and prunes the change-log entries it made durable. The commit's fsyncs (tens
   * to hundreds of ms on a busy disk) run outside this object's lock, so catch-ups (the follower
   * bringing other nodes' writes in) go on meanwhile: Lucene takes documents during a commit, and
   * the sequence number read first is covered by what the commit holds (replaying more is
   * harmless). A rebuild that swaps the index meanwhile makes the old one's commit fail quietly.
   */
  public void commit() {
    MemoryIndex idx;
    synchronized (this) {
      idx = index;
      if (phase != Phase.HEALTHY || idx == null) {
        return;
      }
    }
    long seq;
    try {
      seq = idx.commit(repo::durableNow);
    } catch (RuntimeException e) {
      failed("a commit", e);
      return;
    }
    if (!sharedLog && seq > prunedThrough()) {
      repo.pruneChangesThrough(seq);
      repo.putMeta(PRUNED_THROUGH, Long.toString(seq));
    }
  }

  private long prunedThrough() {
    return Long.parseLong(repo.meta(PRUNED_THROUGH).orElse("0"));
  }

  // ---- checks and rebuilds ----

  /**
   * A read or write of the index failed: searches and writes leave it at once, and its checksums
   * are verified on the maintenance thread, which rebuilds it if they fail.
   */
  private void failed(String what, Throwable e) {
    synchronized (stateLock) {
      if (closed || phase != Phase.HEALTHY) {
        return;
      }
      phase = Phase.CHECKING;
      reason = what + " failed: " + IndexDamage.describe(e);
    }
    LOG.warn("index: {} failed ({}); verifying its checksums", what, e.toString());
    submit(this::checkAfterFailure);
  }

  private void checkAfterFailure() {
    MemoryIndex idx = index;
    List<IndexDamage> found =
        idx == null ? List.of(new IndexDamage("index", "not open")) : idx.verify();
    if (found.isEmpty() && failuresInARow.incrementAndGet() < FAILURES_BEFORE_REBUILD) {
      LOG.info("index checksums hold after {}; keeping the index", reason);
      synchronized (stateLock) {
        if (phase == Phase.CHECKING) {
          phase = Phase.HEALTHY;
        }
      }
      catchUp();
      return;
    }
    damage = found;
    rebuildInBackground(found.isEmpty() ? reason + ", again" : "damaged: " + found);
  }

  /** What the index had applied at the previous tick: a tick that finds more is in a stream. */
  private long appliedAtLastTick = -1;

  /** {@link System#nanoTime} of the last commit the tick made. */
  private long committedAt = System.nanoTime();

  /**
   * The tick: catch up, reopen, and commit once writes pause or {@link #COMMIT_AT_LEAST_EVERY_MS}
   * has passed (package-private: tests run it by hand).
   */
  void tick() {
    if (phase == Phase.HEALTHY && !Files.isDirectory(dir)) {
      failed("finding the index directory", new NoSuchFileException(dir.toString()));
      return;
    }
    catchUp();
    MemoryIndex idx = index;
    if (phase == Phase.HEALTHY && idx != null) {
      // Reopen before the commit, not after it: the reopen's flush writes the unread writes'
      // segment and the commit then only syncs it, so a tick flushes one segment, as a commit alone
      // did. Reopening after the commit flushed a second one whenever a store came in between
      // (issue 19, session 16).
      try {
        idx.refresh();
      } catch (RuntimeException e) {
        failed("reopening the reader", e);
      }
    }
    long applied = idx == null ? -1 : idx.appliedSeq();
    boolean quiet = applied == appliedAtLastTick;
    appliedAtLastTick = applied;
    long now = System.nanoTime();
    if (quiet || now - committedAt >= TimeUnit.MILLISECONDS.toNanos(COMMIT_AT_LEAST_EVERY_MS)) {
      committedAt = now;
      commit();
    }
  }

  private void verifyPeriodically() {
    MemoryIndex idx = index;
    if (phase != Phase.HEALTHY || idx == null) {
      return;
    }
    List<IndexDamage> found = idx.verify();
    if (!found.isEmpty()) {
      LOG.warn("index checksums failed: {}; rebuilding it from the store", found);
      damage = found;
      synchronized (stateLock) {
        phase = Phase.CHECKING;
      }
      rebuildInBackground("damaged: " + found);
    }
  }

  /**
   * Verifies every index file's checksum now (on the caller's thread), starts a rebuild if any is
   * damaged, and waits up to {@code wait} for a running rebuild: {@code omem doctor}'s check.
   */
  public IndexStatus verifyNow(Duration wait) {
    MemoryIndex idx = index;
    if (phase == Phase.HEALTHY && idx != null) {
      List<IndexDamage> found = idx.verify();
      if (!found.isEmpty()) {
        damage = found;
        synchronized (stateLock) {
          phase = Phase.CHECKING;
          reason = "damaged: " + found;
        }
        submit(() -> rebuildInBackground("damaged: " + found));
      }
    }
    long end = System.nanoTime() + wait.toNanos();
    while ((phase == Phase.CHECKING || phase == Phase.REBUILDING)
        && System.nanoTime() < end
        && !Thread.currentThread().isInterrupted()) {
      sleepBriefly();
    }
    return status();
  }

  /** Waits until the index is healthy (no check or rebuild running); false on timeout. */
  public boolean awaitHealthy(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (phase != Phase.HEALTHY) {
      if (System.nanoTime() > end || closed || Thread.currentThread().isInterrupted()) {
        return false;
      }
      sleepBriefly();
    }
    return true;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void rebuildInBackground(String why) {
    if (closed) {
      return;
    }
    try {
      rebuildNow(why);
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      LOG.error("rebuilding the index failed; trying again in {} s", RETRY_REBUILD_MS / 1000, e);
      synchronized (stateLock) {
        phase = Phase.FAILED;
        reason = "rebuild failed: " + IndexDamage.describe(e);
      }
      try {
        maintenance.schedule(
            () -> rebuildInBackground(why), RETRY_REBUILD_MS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        // closing
      }
    }
  }

  /** Rebuilds the index from every SQLite row and its stored vector, then commits it. */
  public int rebuild() {
    return rebuildNow("asked for");
  }

  private int rebuildNow(String why) {
    synchronized (rebuildLock) {
      synchronized (stateLock) {
        phase = Phase.REBUILDING;
        reason = why;
      }
      rebuilt.set(0);
      total.set((int) Math.min(Integer.MAX_VALUE, repo.countAll()));
      MemoryIndex old;
      synchronized (this) { // waits for a catch-up or commit in progress
        old = index;
        index = null;
      }
      if (old != null) {
        old.abandonQuietly();
      }
      MemoryIndex fresh;
      try {
        MemoryIndex.wipe(dir);
        fresh = MemoryIndex.open(dir); // creates the directory if it was deleted
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot create the index in " + dir, e);
      }
      try {
        // Read first: a change made during the scan is applied after. An emptied log says 0, yet
        // everything up to what was pruned is in the rows (else the next open rebuilds again).
        long seq = Math.max(repo.lastSeq(), prunedThrough());
        repo.forEachStored(
            row -> {
              if (closed) {
                throw new CancellationException("closing");
              }
              fresh.upsert(row, model);
              rebuilt.incrementAndGet();
            });
        fresh.markApplied(seq);
        synchronized (this) {
          if (closed) {
            throw new CancellationException("closing");
          }
          applyChanges(fresh);
          fresh.commit(repo::durableNow);
          index = fresh;
          synchronized (stateLock) {
            phase = Phase.HEALTHY;
          }
        }
      } catch (RuntimeException e) {
        fresh.abandonQuietly();
        throw e;
      }
      failuresInARow.set(0);
      rebuilds.incrementAndGet();
      commit(); // prunes the change log the fresh index made durable
      LOG.info("rebuilt the index from {} stored memories ({})", rebuilt.get(), why);
      return rebuilt.get();
    }
  }

  private void submit(Runnable work) {
    try {
      maintenance.execute(work);
    } catch (RejectedExecutionException stopped) {
      // closing: the next open checks the index again
    }
  }

  // ---- closing ----

  /** Stops without committing, as a crash would (for recovery tests). */
  public void abandon() {
    closed = true;
    stopMaintenance();
    MemoryIndex idx = index;
    if (idx != null) {
      idx.abandon();
    }
  }

  /**
   * Lets a running commit finish: interrupting Lucene's file channels mid-write closes them, which
   * is why this is not {@code shutdownNow}.
   */
  private void stopMaintenance() {
    ticks.forEach(t -> t.cancel(false));
    if (!ownsMaintenance) {
      return;
    }
    maintenance.shutdown();
    try {
      maintenance.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    synchronized (stateLock) {
      closed = true;
    }
    stopMaintenance();
    synchronized (this) {
      MemoryIndex idx = index;
      if (idx == null) {
        return;
      }
      if (phase == Phase.HEALTHY) {
        try {
          commit();
          idx.close();
          return;
        } catch (RuntimeException e) {
          LOG.warn("closing the index failed; the next start checks it: {}", e.toString());
        }
      }
      idx.abandonQuietly();
    }
  }
}
