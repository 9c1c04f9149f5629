package dev.omem.index;

import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * The writes the index's current reader does not show yet, kept in memory so that a store's
 * neighbour check can search the reader as it is plus these few, instead of reopening the reader
 * (flushing a tiny segment) before every store: that reopen was most of a store's time in a JFR
 * profile of 1,500 MCP stores (issue 19). Each write gets a stamp when it is in the writer; a
 * reopen that began after a stamp shows that write, and {@link #forgetUpTo} drops it.
 */
final class UnreadWrites {
  /**
   * Above this many unread writes a search or a neighbour check reopens the reader after all. The
   * reader is asked for that many more neighbours (a write may hide one of its hits), and checking
   * a write is one dot product of 384 floats: a few dozen keep both well under a millisecond, a
   * fraction of a reopen. Half again {@link #REOPEN_AT}, so the writes that arrive while the
   * background reopen runs still fit and no store or search reopens the reader itself.
   */
  static final int MAX = 96;

  /**
   * At this many unread writes the index synchronizer reopens the reader in the background: the
   * count at which main's neighbour check reopened (its cap of 64), so the overlay never flushes a
   * segment more often than that did. Every 32 flushed twice as many tiny segments as main for one
   * agent's stores, and the merges they set off doubled its daemon's CPU per search at 10k memories
   * (issue 19, session 15, measured idle by the integrator).
   */
  static final int REOPEN_AT = 64;

  /**
   * A memory as written ({@code memory} null: deleted); {@code vector} null when not indexed; its
   * text as the writer inverted it, for BM25 ({@code text} null when deleted).
   */
  record Write(long stamp, Memory memory, float[] vector, UnreadText.Terms text) {}

  private final Map<String, Write> writes = new ConcurrentHashMap<>();
  private final AtomicLong stamps = new AtomicLong();
  private final AtomicLong forgets = new AtomicLong();

  /** Whether everything the reader lacks may not be here (after a clear): reopen before reading. */
  private volatile boolean incomplete;

  /**
   * Records a write that is in the index writer now. Past {@link #MAX} a check reopens anyway, so
   * further writes are not kept, only counted: a rebuild of 100k memories, which never reopens
   * before its commit, held every memory and vector here and ran a 256 MiB daemon out of heap
   * (issue 19, session 13). The stamp comes first, so a reopen that began before it cannot mark
   * this list complete.
   */
  void written(String id, Memory memory, float[] vector, UnreadText.Terms text) {
    long stamp = stamps.incrementAndGet();
    if (incomplete || writes.size() >= MAX) {
      incomplete = true;
      return;
    }
    writes.put(id, new Write(stamp, memory, vector, text));
  }

  /** After every document was removed: the reader's old documents are no guide until reopened. */
  void cleared() {
    forgets.incrementAndGet();
    incomplete = true;
    stamps.incrementAndGet();
  }

  /** The stamp of the newest write in the writer: read it before a reopen, which then shows it. */
  long stamp() {
    return stamps.get();
  }

  /**
   * How many times writes were dropped ({@link #forgetUpTo}) or the index cleared: a reader and a
   * {@link #snapshot} taken with no change of this between them belong together.
   */
  long forgets() {
    return forgets.get();
  }

  /** After a reopen that began at {@code stamp}: the writes it shows need no keeping. */
  void forgetUpTo(long stamp) {
    forgets.incrementAndGet(); // before the removal: a check that overlaps it sees it and retries
    writes.values().removeIf(w -> w.stamp() <= stamp);
    if (stamps.get() == stamp) {
      incomplete = false;
    }
  }

  int size() {
    return writes.size();
  }

  /** Whether a search must reopen the reader rather than rely on this list. */
  boolean tooManyOrIncomplete() {
    return incomplete || writes.size() > MAX;
  }

  /**
   * {@code readerHits} (cosines from a reader missing these writes) with the writes laid over:
   * memories written since are scored again or dropped, new ones that {@code filters} select are
   * added; the best {@code k}.
   */
  List<IndexHit> overlay(
      List<IndexHit> readerHits, float[] vector, List<MemoryFilter> filters, int k) {
    return overlay(readerHits, snapshot(), vector, filters, k);
  }

  /** The unread writes as they are now. */
  Map<String, Write> snapshot() {
    return Map.copyOf(writes);
  }

  /** {@link #overlay}, with the writes of a {@link #snapshot} taken beside the reader. */
  static List<IndexHit> overlay(
      List<IndexHit> readerHits,
      Map<String, Write> snapshot,
      float[] vector,
      List<MemoryFilter> filters,
      int k) {
    return overlay(readerHits, snapshot, vector, filters, k, true);
  }

  /**
   * {@link #overlay}; {@code knn}: the reader's scores came from Lucene's kNN score ({@code (1 +
   * dot) / 2}, then {@code * 2 - 1}), else they are the plain dot product ({@link
   * ExactVectorPools}). A write is scored the same way, to the same float: the two forms differ in
   * the last bits, so a memory read and the same memory unread scored differently and a search's
   * answer depended on whether the background reopen had run (session 19).
   */
  static List<IndexHit> overlay(
      List<IndexHit> readerHits,
      Map<String, Write> snapshot,
      float[] vector,
      List<MemoryFilter> filters,
      int k,
      boolean knn) {
    List<IndexHit> out = new ArrayList<>();
    for (IndexHit h : readerHits) {
      if (!snapshot.containsKey(h.id())) {
        out.add(h);
      }
    }
    for (Map.Entry<String, Write> e : inWriteOrder(snapshot)) {
      Write w = e.getValue();
      if (w.memory() != null && w.vector() != null && anyMatches(filters, w.memory())) {
        float score = knn ? cosine(vector, w.vector()) : VectorUtil.dotProduct(vector, w.vector());
        out.add(new IndexHit(e.getKey(), score));
      }
    }
    out.sort(Comparator.comparingDouble(IndexHit::score).reversed());
    return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
  }

  /**
   * The centred list ({@link StoreCentroid}) with the unread writes laid over it, as {@link
   * #overlay} does for the plain one: ranked by what ranked the reader's list ({@code readRanks[i]}
   * for {@code readerHits.get(i)}, {@code rankOf} for a write's vector: the same measure, against
   * the same mean), each hit keeping its plain cosine to {@code vector}.
   */
  static List<IndexHit> overlayCentred(
      List<IndexHit> readerHits,
      float[] readRanks,
      Map<String, Write> snapshot,
      float[] vector,
      java.util.function.ToDoubleFunction<float[]> rankOf,
      List<MemoryFilter> filters,
      int k) {
    record Ranked(IndexHit hit, float rank) {}
    List<Ranked> out = new ArrayList<>();
    for (int i = 0; i < readerHits.size(); i++) {
      if (!snapshot.containsKey(readerHits.get(i).id())) {
        out.add(new Ranked(readerHits.get(i), readRanks[i]));
      }
    }
    for (Map.Entry<String, Write> e : inWriteOrder(snapshot)) {
      Write w = e.getValue();
      if (w.memory() != null && w.vector() != null && anyMatches(filters, w.memory())) {
        out.add(
            new Ranked(
                // The centred hits' cosines are plain dot products (PlainCosines, the exact pass).
                new IndexHit(e.getKey(), VectorUtil.dotProduct(vector, w.vector())),
                (float) rankOf.applyAsDouble(w.vector())));
      }
    }
    out.sort(Comparator.comparingDouble(Ranked::rank).reversed());
    return out.stream().limit(k).map(Ranked::hit).toList();
  }

  /**
   * The snapshot's writes oldest first: equal scores then keep the order a reopened reader gives
   * them (documents in the order they were written, the reader's before the writes'), not the
   * snapshot map's, which differs from run to run (session 19).
   */
  static List<Map.Entry<String, Write>> inWriteOrder(Map<String, Write> snapshot) {
    List<Map.Entry<String, Write>> out = new ArrayList<>(snapshot.entrySet());
    out.sort(Comparator.comparingLong(e -> e.getValue().stamp()));
    return out;
  }

  /** The vectors of the writes a reopen would add to the index, for {@link StoreCentroid}. */
  static List<float[]> vectors(Map<String, Write> snapshot) {
    List<float[]> out = new ArrayList<>();
    for (Map.Entry<String, Write> e : inWriteOrder(snapshot)) {
      if (e.getValue().memory() != null && e.getValue().vector() != null) {
        out.add(e.getValue().vector());
      }
    }
    return out;
  }

  /** {@code LuceneFilters.of}, on a memory in hand. */
  static boolean anyMatches(List<MemoryFilter> filters, Memory m) {
    for (MemoryFilter f : filters) {
      if (f.matches(m)) {
        return true;
      }
    }
    return false;
  }

  /** The cosine as the index's exact vector search reports it, to the same float. */
  static float cosine(float[] a, float[] b) {
    return VectorSimilarityFunction.DOT_PRODUCT.compare(a, b) * 2 - 1;
  }
}
