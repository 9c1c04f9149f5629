package dev.omem.index;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;

/**
 * A search's filter (tenant, states, scopes, ...) read per segment from {@link
 * NeighbourFilterCache} instead of from the postings. Lucene's query cache skips segments under
 * 10,000 documents, every segment of a 10k store, so each search evaluated its filter's term sets
 * in every segment twice (BM25 and the vector pass) and the successor look-up a third time: 19% of
 * a search's Java samples at 10k memories under C1 (issue 19, session 18's profile). It passes the
 * same documents (deleted ones too are left out, which both the searcher and the vector pass skip
 * anyway) and scores nothing, so the hits are the same.
 */
final class CachedFilter extends Query {
  private final Query filter;
  private final NeighbourFilterCache cache;

  /** {@code filter} as its canonical instance in {@code cache}. */
  CachedFilter(Query filter, NeighbourFilterCache cache) {
    this.filter = cache.canonical(Objects.requireNonNull(filter));
    this.cache = cache;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public Scorer scorer(LeafReaderContext leaf) throws IOException {
        NeighbourFilterCache.Accepted a = cache.accepted(leaf, filter);
        if (a.count() == 0) {
          return null;
        }
        return new ConstantScoreScorer(
            this, score(), scoreMode, new BitSetIterator(a.docs(), a.count()));
      }

      @Override
      public boolean isCacheable(LeafReaderContext leaf) {
        return false; // cached already, per segment and deletion generation
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "cached(" + filter.toString(field) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o)
        && filter.equals(((CachedFilter) o).filter)
        && cache == ((CachedFilter) o).cache;
  }

  @Override
  public int hashCode() {
    return 31 * classHash() + filter.hashCode();
  }
}
