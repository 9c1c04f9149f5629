package dev.omem.index;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;

/**
 * The neighbour check's kNN: per segment, whichever of HNSW and exact scoring costs fewer vector
 * comparisons. Exact scores every document the filter passes; filtered HNSW must visit about as
 * many nodes as it would unfiltered, divided by the share of the segment the filter passes (only
 * that share of what it visits can be kept). Where the filter passes few documents, exact is the
 * cheaper, and it is never wrong; Lucene's own rule tries HNSW first and falls back to exact only
 * once HNSW has visited more nodes than pass, so such a segment paid for both (issue 19, session
 * 14: a store into a project the 10k store does not hold, where only {@code global} passes, spent 5
 * ms in this check).
 *
 * <p>Run through {@link #search}, not as a query: the filter then comes from {@link
 * NeighbourFilterCache} with deletions already taken out, where Lucene's own rewrite copied it per
 * check in every segment that has deletions.
 */
final class NeighbourKnnQuery extends KnnFloatVectorQuery {
  /**
   * Unfiltered HNSW (Lucene's defaults, M = 16, beam = k) visits about {@code (k + BEAM_FLOOR) ·
   * ln(n)} nodes of an n-document segment. Fitted on the 10k paraphrase store's two large segments
   * (3,019 and 6,759 documents, k = 5 and 37, every document passing, 100 noisy stored vectors
   * each: medians 129/143 and 384/433 visited against 120/132 and 376/414 predicted) and checked on
   * the 100k store's (93,239 documents: 174 and 466 against 172 and 538); {@code
   * NeighbourVisitBench}, BENCHMARKS.md session 15. With a quarter passing, filtered HNSW visited
   * 1.1-1.6 times the 1/share estimate at 10k and 6 times at 100k ({@link #FILTERED_VISITS}).
   */
  static final int BEAM_FLOOR = 10;

  /**
   * How many times the 1/share estimate filtered HNSW visits when the filter passes almost nothing
   * of a segment; scaled by the share filtered out, so a segment where every document passes keeps
   * the unfiltered estimate. 8 gives 6.25 at a quarter passing, the 6 times session 15 measured at
   * 100k. A filtered HNSW that runs to its visit limit then scores every passing document too, so
   * erring toward exact is the cheaper mistake. Chosen with {@code NeighbourRuleBench} (session 19,
   * BENCHMARKS.md: weights 1, 4 and 8 on the 10k and 100k paraphrase stores, a quarter and all
   * passing): at 100k with a quarter passing the check's thread CPU fell from 21.3 to 11.9 ms a
   * check (mean), at 10k from 2.9 to 1.9 ms, where all pass it is unchanged, and the answers came
   * closer to exact cosine's (at 10k 28 of 800 differed in their ids, then none).
   */
  static final double FILTERED_VISITS = 8;

  private final double filteredVisits;

  NeighbourKnnQuery(String field, float[] target, int k, Query filter) {
    this(field, target, k, filter, FILTERED_VISITS);
  }

  /** With another {@link #FILTERED_VISITS} ({@code NeighbourRuleBench} compares them). */
  NeighbourKnnQuery(String field, float[] target, int k, Query filter, double filteredVisits) {
    super(field, target, k, java.util.Objects.requireNonNull(filter));
    this.filteredVisits = filteredVisits;
  }

  /** True when scoring the {@code passing} documents of an n-document segment costs less. */
  static boolean exactIsCheaper(int k, int segmentDocs, int passing) {
    return exactIsCheaper(k, segmentDocs, passing, FILTERED_VISITS);
  }

  static boolean exactIsCheaper(int k, int segmentDocs, int passing, double filteredVisits) {
    if (passing <= 0 || segmentDocs <= 1) {
      return true;
    }
    double unfiltered = (k + BEAM_FLOOR) * Math.log(segmentDocs);
    double filteredOut = (double) (segmentDocs - passing) / segmentDocs;
    double filtered = unfiltered * segmentDocs / passing * (1 + (filteredVisits - 1) * filteredOut);
    return passing <= filtered;
  }

  /**
   * The k nearest among the documents the filter passes, best first, with their raw scores: what
   * {@code searcher.search(this, k)} answers (Lucene 9.12's {@code AbstractKnnVectorQuery.rewrite},
   * segment by segment in order, each segment's answer from HNSW when complete, else exact), with
   * each segment's filter looked up in {@code filters}.
   */
  TopDocs search(IndexSearcher searcher, NeighbourFilterCache filters) throws IOException {
    // Lucene's rewrite filters on the field's presence too: a document without a vector.
    Query passing =
        filters.canonical(
            new BooleanQuery.Builder()
                .add(getFilter(), BooleanClause.Occur.FILTER)
                .add(new FieldExistsQuery(field), BooleanClause.Occur.FILTER)
                .build());
    KnnCollectorManager manager = getKnnCollectorManager(k, searcher);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    TopDocs[] perSegment = new TopDocs[leaves.size()];
    for (LeafReaderContext leaf : leaves) {
      TopDocs found = searchSegment(leaf, filters.accepted(leaf, passing), manager);
      for (ScoreDoc d : found.scoreDocs) {
        d.doc += leaf.docBase;
      }
      perSegment[leaf.ord] = found;
    }
    return mergeLeafResults(perSegment);
  }

  private TopDocs searchSegment(
      LeafReaderContext leaf, NeighbourFilterCache.Accepted accepted, KnnCollectorManager manager)
      throws IOException {
    int passing = accepted.count();
    if (passing == 0) {
      return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
    }
    if (passing > k) {
      TopDocs found = approximateSearch(leaf, accepted.docs(), passing + 1, manager);
      if (found.totalHits.relation == TotalHits.Relation.EQUAL_TO && found.scoreDocs.length >= k) {
        return found;
      }
    }
    return exactSearch(leaf, new BitSetIterator(accepted.docs(), passing), null);
  }

  @Override
  protected TopDocs approximateSearch(
      LeafReaderContext context, Bits acceptDocs, int visitedLimit, KnnCollectorManager manager)
      throws IOException {
    // Lucene sets the limit to the passing documents' count + 1 (AbstractKnnVectorQuery).
    if (exactIsCheaper(k, context.reader().maxDoc(), visitedLimit - 1, filteredVisits)) {
      // An incomplete answer: Lucene then scores every document the filter passes (exactSearch).
      return new TopDocs(
          new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), new ScoreDoc[0]);
    }
    return super.approximateSearch(context, acceptDocs, visitedLimit, manager);
  }
}
