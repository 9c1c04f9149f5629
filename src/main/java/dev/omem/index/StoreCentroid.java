package dev.omem.index;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;

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
 * <p>A search runs it beside the plain search and fuses the union ({@code RetrievalPipeline}):
 * alone, through the relevance model fitted on plain-cosine candidates, it lowered paraphrase
 * hit@10 at 1k (0.900 -> 0.800) and LoCoMo dev slightly (session 13); as a second pool it lowered
 * neither by more than the rule allowed (session 14, BENCHMARKS.md).
 *
 * <p>Per segment the sum of its vectors is computed once (one pass, what one exact search costs)
 * and kept while the segment is open: new segments are small, a merge sums its result once. The sum
 * counts a segment's deleted documents until a merge drops them, so that replacing one memory never
 * makes a search sum a 93k segment again; a few stale vectors barely move a mean over thousands.
 */
final class StoreCentroid {
  private record Sum(double[] sum, int count) {}

  private final String field;
  private final Map<Object, Sum> bySegment = new ConcurrentHashMap<>();

  StoreCentroid(String field) {
    this.field = field;
  }

  /**
   * {@code query − μ}, normalised; {@code query} itself when the index holds no vector or the two
   * coincide (a store of one memory asked with its own text).
   */
  float[] centred(IndexReader reader, float[] query) throws IOException {
    double[] total = new double[query.length];
    long count = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      Sum s = sum(leaf.reader());
      if (s == null || s.sum().length != query.length) {
        continue;
      }
      for (int i = 0; i < total.length; i++) {
        total[i] += s.sum()[i];
      }
      count += s.count();
    }
    if (count == 0) {
      return query;
    }
    float[] out = new float[query.length];
    double norm = 0;
    for (int i = 0; i < out.length; i++) {
      double v = query[i] - total[i] / count;
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
    double[] sum = new double[values.dimension()];
    int count = 0;
    for (int d = values.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = values.nextDoc()) {
      float[] v = values.vectorValue();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += v[i];
      }
      count++;
    }
    return count == 0 ? null : new Sum(sum, count);
  }
}
