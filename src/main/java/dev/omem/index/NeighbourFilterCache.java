package dev.omem.index;

import dev.omem.domain.MemoryFilter;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The neighbour check's filter (tenant, state, the store's scopes, has a vector) per segment, as
 * the set of documents it passes that are not deleted, so that a check looks it up instead of
 * reading it again. Read from the postings once per segment: Lucene's query cache skips segments
 * under 10,000 documents, which is every segment of a 10k store, and there the filter's postings
 * were a fifth of the kNN's samples in a store (issue 19, session 12's profile). Deletions taken
 * out here, once per deletion generation, not by the kNN per check: Lucene's {@code
 * AbstractKnnVectorQuery.createBitSet} copies the filter document by document whenever a segment
 * has deletions, 22% of the neighbour check's samples in a 100k store (issue 19, session 15's
 * profile). A segment's documents never change (an update is a delete and a new document); its
 * deletions do, and each generation has its own live-documents object (Lucene copies it on the next
 * delete once a reader has seen it), so the set is kept with the object it was cut by. Searches
 * read their filters from here too ({@link CachedFilter}, issue 19, session 18).
 */
final class NeighbourFilterCache {
  /**
   * Segment filters kept: one per tenant and scope set a store writes to and segment. A set is a
   * bit per document of its segment, two of them per entry (with and without deletions): 25 KB for
   * the 93k-document segment of the 100k store, so 256 bound the cache near 6 MB even if every
   * entry were that large; a single user's few scopes over ~40 segments use a fraction of it.
   */
  private static final int MAX_ENTRIES = 256;

  /** The documents a filter passes in one segment, deletions taken out, and how many. */
  record Accepted(FixedBitSet docs, int count) {}

  private record Key(Object core, Query filter) {}

  /** {@code base} without deletions; {@code accepted} is {@code base} cut by {@code live}. */
  private record Entry(FixedBitSet base, Bits live, Accepted accepted) {}

  private final Map<Key, Entry> entries =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  /**
   * One instance per distinct filter: a check looks its filter up in every segment, and a key
   * holding the very instance it is asked with compares by reference ({@code Objects.equals}) and
   * hashes once (a {@code BooleanQuery} keeps its hash), where a filter built anew per check was
   * hashed and compared clause by clause per segment: 2% of a store's samples at 10k memories under
   * the daemon's C1 (issue 19, session 17's profile). Bounded like the entries.
   */
  private final Map<Query, Query> instances = new java.util.HashMap<>();

  /** Segments whose closing drops their entries (a listener added once per segment). */
  private final java.util.Set<Object> watched = new java.util.HashSet<>();

  private long hits;
  private long cuts;

  /** Segment filters answered from the cache so far (the postings not read). */
  synchronized long hits() {
    return hits;
  }

  /** Sets cut by a segment's deletions so far (once per segment, filter and generation). */
  synchronized long cuts() {
    return cuts;
  }

  /**
   * The filter query of each set of memory filters a check asked with: a store's filter (its
   * tenant, active, its scopes) is the same store after store, and building its query (terms sorted
   * into a term set per part) was another 2% of a store's samples in the same profile.
   */
  private final Map<List<MemoryFilter>, Query> queries = new java.util.HashMap<>();

  /** The filter query of {@code filters} ({@link LuceneFilters#anyOf}), built once. */
  synchronized Query queryOf(List<MemoryFilter> filters) {
    Query q = queries.get(filters);
    if (q == null) {
      if (queries.size() >= MAX_ENTRIES) {
        queries.clear();
      }
      q = LuceneFilters.anyOf(filters);
      queries.put(List.copyOf(filters), q);
    }
    return q;
  }

  /** The instance of a filter equal to {@code filter} the cache holds its sets under. */
  synchronized Query canonical(Query filter) {
    Query known = instances.putIfAbsent(filter, filter);
    if (known != null) {
      return known;
    }
    if (instances.size() > MAX_ENTRIES) {
      instances.clear(); // older keys still match by equality, only more slowly
      instances.put(filter, filter);
    }
    return filter;
  }

  /**
   * The documents of {@code leaf} that {@code filter} passes and that are not deleted. The set is
   * shared: read it, never change it.
   */
  synchronized Accepted accepted(LeafReaderContext leaf, Query filter) throws IOException {
    LeafReader reader = leaf.reader();
    Bits live = reader.getLiveDocs();
    IndexReader.CacheHelper core = reader.getCoreCacheHelper();
    if (core == null) {
      return cut(passing(reader, filter), live);
    }
    Key key = new Key(core.getKey(), filter);
    Entry e = entries.get(key);
    if (e != null && e.live() == live) {
      hits++;
      return e.accepted();
    }
    FixedBitSet base;
    if (e != null) {
      hits++;
      base = e.base();
    } else {
      base = passing(reader, filter);
      watch(core);
    }
    Accepted accepted = cut(base, live);
    entries.put(key, new Entry(base, live, accepted));
    return accepted;
  }

  private void watch(IndexReader.CacheHelper core) {
    Object id = core.getKey();
    if (watched.add(id)) {
      core.addClosedListener(this::forget);
    }
  }

  private synchronized void forget(IndexReader.CacheKey core) {
    watched.remove(core);
    for (Iterator<Key> it = entries.keySet().iterator(); it.hasNext(); ) {
      if (it.next().core() == core) {
        it.remove();
      }
    }
  }

  private Accepted cut(FixedBitSet base, Bits live) {
    if (live == null) {
      return new Accepted(base, base.cardinality());
    }
    cuts++;
    FixedBitSet docs = base.clone();
    if (live instanceof FixedBitSet l) {
      docs.and(l); // a word at a time
    } else {
      // Lucene 9.12 hands readers a read-only view of its live documents, so bit by bit over the
      // passing documents: Lucene's own copy per check, done here once per deletion generation.
      for (int d = docs.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS; ) {
        if (!live.get(d)) {
          docs.clear(d);
        }
        d = d + 1 < docs.length() ? docs.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS;
      }
    }
    return new Accepted(docs, docs.cardinality());
  }

  /** The documents {@code filter} passes in {@code reader}, deleted ones included. */
  private static FixedBitSet passing(LeafReader reader, Query filter) throws IOException {
    IndexSearcher s = new IndexSearcher(reader);
    s.setQueryCache(null);
    Weight w = s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    FixedBitSet docs = new FixedBitSet(reader.maxDoc());
    Scorer scorer = w.scorer(s.getIndexReader().leaves().get(0));
    if (scorer != null) {
      docs.or(scorer.iterator());
    }
    return docs;
  }
}
