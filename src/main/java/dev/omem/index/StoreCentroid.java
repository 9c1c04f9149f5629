package dev.omem.index;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.VectorUtil;

/**
 * The mean of the index's vectors, and the query moved away from it: the vector retriever ranks by
 * {@code (q − μ) · d}, the dot product of the documents with the query centred on the store's mean
 * vector μ (no tuned constant).
 *
 * <p>Why: bge-small's vectors share a large common direction (|μ| ≈ 0.73 on the paraphrase stores),
 * so a dense cluster of near-copies that lies along μ out-scores a distinct fact that answers the
 * question better once that shared direction is set aside. {@code q · d − μ · d} takes back from
 * each document what it shares with the store as a whole. Exact ranking over the paraphrase stores
 * (issue 19, session 13, BENCHMARKS.md): hit@10 0.820 / 0.670 / 0.605 by cosine at 1k / 10k / 100k,
 * 0.950 / 0.885 / 0.790 centred. As {@code |d| = 1} for every stored vector, ranking by {@code (q −
 * μ) · d} is ranking by the cosine of the centred query, so HNSW and the exact path serve it
 * unchanged.
 *
 * <p>A search ranks by it beside the plain cosine in one exact pass ({@link ExactVectorPools}, with
 * {@link #meanDots}), and fuses the union ({@code RetrievalPipeline}): alone, through the relevance
 * model fitted on plain-cosine candidates, it lowered paraphrase hit@10 at 1k (0.900 -> 0.800) and
 * LoCoMo dev slightly (session 13); as a second list it lowered neither by more than the rule
 * allowed (sessions 14 and 15, BENCHMARKS.md). {@link #centred} serves the HNSW path of an index
 * with a segment above {@link NearestVectorsQuery#EXACT_MAX}.
 *
 * <p>Per segment the sum of its vectors is computed once (one pass, what one exact search costs)
 * and kept while the segment is open: new segments are small, a merge sums its result once. The sum
 * counts a segment's deleted documents until a merge drops them, so that replacing one memory never
 * makes a search sum a 93k segment again; a few stale vectors barely move a mean over thousands.
 */
final class StoreCentroid {
  private record Sum(long[] sum, int count) {}

  /**
   * Sums are kept in fixed point, each component rounded to a multiple of 2^-32: integer sums do
   * not depend on their order, so the mean is the same to the bit however the index is cut into
   * segments and whether a write is read or still unread ({@link UnreadWrites}). Summed in doubles,
   * the order the background flushes and merges left changed the mean's last bits and, through
   * near-ties in the centred list, LoCoMo's vector-only rankings from run to run (session 19). A
   * unit vector's components are at most 1, so 2^31 vectors fit in a long.
   */
  private static final double SCALE = 0x1p32;

  private static long fixed(float v) {
    return Math.round(v * SCALE);
  }

  /** The mean the exact pass centres on, numbered so that a segment's dots say which they used. */
  record Reference(float[] mean, long count, long version) {}

  private record MeanDots(float[] dots, long version) {}

  private static final AtomicLong VERSIONS = new AtomicLong();

  private final String field;
  private final Map<Object, Sum> bySegment = new ConcurrentHashMap<>();
  private final Map<Object, MeanDots> dotsBySegment = new ConcurrentHashMap<>();
  private volatile Reference reference;

  StoreCentroid(String field) {
    this.field = field;
  }

  /**
   * {@code query − μ}, normalised; {@code query} itself when the index holds no vector or the two
   * coincide (a store of one memory asked with its own text).
   */
  float[] centred(IndexReader reader, float[] query, List<float[]> unread) throws IOException {
    long[] total = new long[query.length];
    long count = total(reader, unread, total);
    if (count == 0) {
      return query;
    }
    float[] out = new float[query.length];
    double norm = 0;
    for (int i = 0; i < out.length; i++) {
      double v = query[i] - total[i] / SCALE / count;
      out[i] = (float) v;
      norm += v * v;
    }
    if (norm < 1e-12) {
      return query;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }

  /**
   * Per document of {@code leaf} (by its segment's doc id), {@code μ · d} with the mean of {@link
   * #reference}: what {@link ExactVectorPools} subtracts from the plain dot to rank by the centred
   * one ({@code (q − μ) · d = q · d − μ · d}) in the same pass. NaN where a document has no vector;
   * null when the segment has none. Kept per segment core while the reference stands.
   */
  float[] meanDots(LeafReader leaf, float[] mean, long version) throws IOException {
    IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
    if (helper == null) {
      return dots(leaf, mean);
    }
    Object key = helper.getKey();
    MeanDots d = dotsBySegment.get(key);
    if (d == null || d.version() != version) {
      float[] dots = dots(leaf, mean);
      if (dots == null) {
        return null;
      }
      d = new MeanDots(dots, version);
      if (dotsBySegment.put(key, d) == null) {
        helper.addClosedListener(dotsBySegment::remove);
      }
    }
    return d.dots();
  }

  /**
   * The mean the exact pass centres on ({@link #meanDots}): the index's mean when last taken, taken
   * again once the number of vectors has moved by more than a tenth from it. Retaking it on every
   * change would recompute every segment's {@code μ · d} (a full pass, what a second kNN cost)
   * after each store; a tenth bounds that to one extra pass per 10% of growth, and adding a tenth
   * more vectors moves a mean by at most a eleventh of their distance from it. Not tuned: not
   * measured against other fractions. Null when the index holds no vector of this dimension.
   */
  Reference reference(IndexReader reader, int dimension, List<float[]> unread) throws IOException {
    long[] total = new long[dimension];
    long count = total(reader, unread, total);
    Reference r = reference;
    if (count == 0) {
      return null;
    }
    if (r != null
        && r.mean().length == dimension
        && Math.abs(count - r.count()) * 10 <= r.count()) {
      return r;
    }
    float[] mean = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      mean[i] = (float) (total[i] / SCALE / count);
    }
    r = new Reference(mean, count, VERSIONS.incrementAndGet());
    reference = r;
    return r;
  }

  /**
   * Adds the reader's vectors and {@code unread} (the writes it does not show yet, which a reopen
   * would add: the mean is then the same before and after it) into {@code total}; their count.
   */
  private long total(IndexReader reader, List<float[]> unread, long[] total) throws IOException {
    long count = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      Sum s = sum(leaf.reader());
      if (s != null && s.sum().length == total.length) {
        for (int i = 0; i < total.length; i++) {
          total[i] += s.sum()[i];
        }
        count += s.count();
      }
    }
    for (float[] v : unread) {
      if (v.length == total.length) {
        for (int i = 0; i < total.length; i++) {
          total[i] += fixed(v[i]);
        }
        count++;
      }
    }
    return count;
  }

  private float[] dots(LeafReader leaf, float[] mean) throws IOException {
    FloatVectorValues values = leaf.getFloatVectorValues(field);
    if (values == null || values.dimension() != mean.length) {
      return null;
    }
    float[] out = new float[leaf.maxDoc()];
    java.util.Arrays.fill(out, Float.NaN);
    for (int d = values.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = values.nextDoc()) {
      out[d] = VectorUtil.dotProduct(mean, values.vectorValue());
    }
    return out;
  }

  private Sum sum(LeafReader leaf) throws IOException {
    IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
    if (helper == null) {
      return compute(leaf);
    }
    Object key = helper.getKey();
    Sum s = bySegment.get(key);
    if (s == null) {
      s = compute(leaf);
      if (s != null && bySegment.putIfAbsent(key, s) == null) {
        helper.addClosedListener(bySegment::remove);
      }
    }
    return s;
  }

  private Sum compute(LeafReader leaf) throws IOException {
    FloatVectorValues values = leaf.getFloatVectorValues(field);
    if (values == null) {
      return null;
    }
    long[] sum = new long[values.dimension()];
    int count = 0;
    for (int d = values.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = values.nextDoc()) {
      float[] v = values.vectorValue();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += fixed(v[i]);
      }
      count++;
    }
    return count == 0 ? null : new Sum(sum, count);
  }
}
