package dev.omem.service;

import static dev.omem.embed.UnitVectors.dot;

import dev.omem.store.MemoryRepository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether any superseded memory of a partition is nearer a query than the search's first result:
 * when none is, {@link SuccessorLead} cannot lead with a successor and skips its BM25 query over
 * the archived memories (0.7 ms of a 10k search's CPU, BENCHMARKS.md session 22). The superseded
 * memories' vectors are kept per partition and read again whenever the change log has moved: every
 * write of a memory (a supersede, a vector set by the backfill) appends to it in its transaction.
 */
final class SupersededNear {
  /**
   * Vectors kept per partition (384 floats each: 384 KB at most, 6 MB over all the partitions kept,
   * beside the daemon's 128 MiB heap; at most ~0.1 ms of dot products a search); a partition with
   * more is not kept and every search there looks in the index, as before.
   */
  static final int MAX_VECTORS = 256;

  /** Partitions kept (a user's few spaces; a team server's most recent tenants). */
  private static final int PARTITIONS = 16;

  private record Kept(long seq, List<float[]> vectors) {}

  private final MemoryRepository repo;
  private final Map<String, Kept> kept =
      new LinkedHashMap<>(PARTITIONS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
          return size() > PARTITIONS;
        }
      };

  SupersededNear(MemoryRepository repo) {
    this.repo = repo;
  }

  /**
   * False only when every memory of {@code tenant} that names a successor and has a vector is at
   * most {@code bar} from {@code query} ({@link dev.omem.embed.UnitVectors#dot}, the comparison
   * {@link SuccessorLead} makes): then none of them can be the one it leads from.
   */
  boolean anyNearer(String tenant, float[] query, double bar) {
    List<float[]> vectors = vectors(tenant);
    if (vectors == null) {
      return true; // too many to keep: the index decides
    }
    for (float[] v : vectors) {
      if (dot(query, v) > bar) {
        return true;
      }
    }
    return false;
  }

  /**
   * The partition's superseded vectors as of now. The seq is read first, so a write after it leaves
   * an older seq with the newer rows (read again next time), never the reverse. A seq of 0 is not
   * kept: the log is empty then, either never written or pruned whole, and a pruned log would show
   * 0 again after later writes were pruned too. A seq above 0 is the newest entry ever written
   * (SQLite's AUTOINCREMENT, PostgreSQL's counter; pruning drops the oldest first).
   */
  private List<float[]> vectors(String tenant) {
    long seq = repo.lastSeq();
    synchronized (kept) {
      Kept k = kept.get(tenant);
      if (k != null && seq > 0 && k.seq() == seq) {
        return k.vectors();
      }
    }
    List<float[]> read = repo.supersededVectors(tenant, MAX_VECTORS);
    if (seq > 0) {
      synchronized (kept) {
        kept.put(tenant, new Kept(seq, read));
      }
    }
    return read;
  }
}
