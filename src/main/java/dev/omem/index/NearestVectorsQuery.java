package dev.omem.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.util.Bits;

/**
 * The {@code k} nearest vectors among the documents {@code filter} passes: exact (every passing
 * vector scored) in a segment of at most {@link #EXACT_MAX} documents, HNSW above it.
 *
 * <p>Why not HNSW everywhere: on the paraphrase store of 95,514 memories (issue 19, session 12), 73
 * of the 200 target facts were not found by HNSW even when searched with their own vector (k = 10),
 * and hit@10 of the 200 paraphrased questions was 0.295 against exact cosine's 0.605. The graph is
 * built over thousands of near-identical template sentences; a fact among them keeps too few
 * incoming links to be reached. Exact scoring cannot miss, and costs about 0.19 µs of CPU per
 * vector on this machine (Java 17, no SIMD): 18 ms at 95k.
 */
final class NearestVectorsQuery extends KnnFloatVectorQuery {
  /**
   * Largest segment scored exactly. 100,000: exact search over 95,514 vectors cost 18–21 ms of
   * thread CPU per query (index-level probe, BENCHMARKS.md session 12, load 17), within the 50 ms
   * search p95 goal at 100k memories (issue 19), and is the only setting measured that finds what
   * exact cosine finds; HNSW with a 16× wider beam (k = 1,600) cost 13.5 ms and still lost 0.055 of
   * hit@10.
   */
  static final int EXACT_MAX = 100_000;

  /**
   * Beam (HNSW candidates) of a search above {@link #EXACT_MAX}: at least this many, whatever k. On
   * the 95k store: k = 100 found 0.857 of exact cosine's top 100 (4.1 ms CPU), 400 found 0.978 (6.5
   * ms), 800 0.985 (8.3 ms); 400 is where the gain per millisecond flattens.
   */
  static final int MIN_BEAM = 400;

  NearestVectorsQuery(String field, float[] target, int k, Query filter) {
    // Lucene takes the exact path only for a filtered query; MemoryIndex always has a filter.
    super(field, target, Math.max(k, MIN_BEAM), java.util.Objects.requireNonNull(filter));
  }

  @Override
  protected TopDocs approximateSearch(
      LeafReaderContext context, Bits acceptDocs, int visitedLimit, KnnCollectorManager manager)
      throws IOException {
    if (context.reader().maxDoc() <= EXACT_MAX) {
      // An incomplete answer: Lucene then scores every document the filter passes (exactSearch).
      return new TopDocs(
          new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), new ScoreDoc[0]);
    }
    return super.approximateSearch(context, acceptDocs, visitedLimit, manager);
  }
}
