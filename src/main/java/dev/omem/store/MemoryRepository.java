package dev.omem.store;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.MemoryPage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Memory rows with their vectors. Every write also appends to the {@link ChangeLog} in the same
 * transaction, so the Lucene index can always catch up to exactly what was committed (DESIGN.md
 * decision 1). The narrower concerns are interfaces of their own, for parts that need only one.
 */
public interface MemoryRepository
    extends ChangeLog, EmbeddingQueue, MemoryStatistics, MetaStore, SessionNeighbours {
  /**
   * Runs {@code work}; the writes it commits on this thread are durable when it returns, maybe not
   * before (the SQLite store's group commit: one fsync for the writes of several threads, after a
   * lock {@code work} releases). Writes outside it are durable when their call returns.
   */
  <T> T durableAfter(java.util.function.Supplier<T> work);

  /** Returns once every write committed so far is durable (before the index claims it). */
  void durableNow();

  /**
   * The one way memories are written: applies {@code w} in one transaction, then runs {@code also}
   * (e.g. recording an ingest step or an import's progress through another repository, whose writes
   * join this transaction) in it too, so either all of it is stored or none. Returns the last
   * change seq, 0 when nothing changed a memory.
   */
  long apply(MemoryWrite w, Runnable also);

  /**
   * Writes the lifecycle fields (tier, state, version, updated_at, expires_at) of several memories
   * in one transaction; everything else, the access count above all, stays as the row has it, so an
   * access counted meanwhile is not lost. Returns the last change seq, 0 for none.
   */
  long updateLifecycle(List<Memory> memories, List<MemoryWrite.HistoryRow> history);

  /**
   * Counts one access for each id of {@code tenantId} (an injection, a get, or a top search
   * result), in one transaction. Not a change of the index: access counts are not indexed.
   */
  void recordAccess(String tenantId, Collection<String> ids, Instant at);

  /** Every active memory, of one tenant or (null) of all: what a decay pass walks. */
  List<Memory> active(String tenantId);

  Optional<Memory> find(String tenantId, String id);

  /**
   * The copy of memory {@code sourceId} kept in partition {@code tenantId} (its provenance names
   * the source), not deleted; what a second share of the same memory answers.
   */
  Optional<Memory> findCopy(String tenantId, String sourceId);

  /** The rows for {@code ids} with their vectors, keyed by id; missing ids are absent. */
  Map<String, StoredMemory> findStored(Collection<String> ids);

  /** An active memory of the tenant with the same normalised text in the same scope. */
  Optional<Memory> findActiveDuplicate(String tenantId, String scope, String content);

  /**
   * Whether any memory of the tenant, in any state, names a successor ({@code superseded_by}): when
   * none does, no search can lead with a replacement and that look-up is skipped. An index lookup
   * (a partial index on the column), not a scan.
   */
  boolean hasSuperseded(String tenantId);

  /**
   * The vectors of the tenant's memories that name a successor (any state; rows without a vector
   * left out), or null when there are more than {@code max}: what a search compares its query with
   * before it looks for a superseded memory in the index. The same partial index as {@link
   * #hasSuperseded}.
   */
  List<float[]> supersededVectors(String tenantId, int max);

  /**
   * The ids of every row matching {@code f}, oldest first ({@code created_at}, then id): an
   * export's snapshot, whose rows it then reads a batch at a time ({@link #findStored}), so that
   * neither a write meanwhile shifts a page nor the store is held in memory whole.
   */
  List<String> idsOldestFirst(MemoryFilter f);

  /** One page of memories matching {@code f}, sorted, with the total count. */
  MemoryPage list(MemoryFilter f, ListSort sort, boolean ascending, int limit, int offset);

  /** Calls {@code sink} for every row with its vector (the index rebuild reads these). */
  void forEachStored(Consumer<StoredMemory> sink);

  /**
   * Calls {@code sink} for every row matching {@code f}, with its vector: the search that answers
   * from the store while the index is rebuilt reads these.
   */
  void forEachStored(MemoryFilter f, Consumer<StoredMemory> sink);
}
