package dev.omem.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;

/**
 * The neighbour check's filter (tenant, state, the store's scopes), kept per segment as a document
 * set instead of read again from the postings by every store. Lucene's default query cache skips
 * segments under 10,000 documents, which is every segment of a 10k store: there the filter's
 * postings were a fifth of the kNN's samples in a store (issue 19, session 12's profile). A
 * segment's documents never change (an update is a delete and a new document; deletions are applied
 * by the kNN query on top), so a set computed once is right for as long as the segment lives, and
 * the cache drops it when the segment is closed.
 */
final class NeighbourFilterCache {
  /**
   * Filters kept: one per tenant and scope a store writes to, and their clauses. 256 queries; the
   * sets are at most a bit per document of a segment (12.5 KB at 100k), so 8 MB bounds the cache
   * far above what a single-user store's few scopes use.
   */
  private final LRUQueryCache cache =
      new LRUQueryCache(256, 8L << 20, leaf -> true, Float.POSITIVE_INFINITY);

  private static final QueryCachingPolicy ALWAYS =
      new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {}

        @Override
        public boolean shouldCache(Query query) {
          return true;
        }
      };

  /** Segment filters answered from the cache so far. */
  long hits() {
    return cache.getHitCount();
  }

  /** A searcher over {@code reader} whose filters come from this cache. */
  IndexSearcher searcher(IndexReader reader) {
    IndexSearcher s = new IndexSearcher(reader);
    s.setQueryCache(cache);
    s.setQueryCachingPolicy(ALWAYS);
    return s;
  }
}
