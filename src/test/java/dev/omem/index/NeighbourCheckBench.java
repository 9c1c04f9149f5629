package dev.omem.index;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Benchmark run by hand (not a test, issue 19): the store's neighbour check, the k = 5 filtered kNN
 * of {@link MemoryIndex#searchVectorUnread}, with the filter read from the postings (Lucene's
 * default searcher) and from {@link NeighbourFilterCache}, alternated query by query on the same
 * reader. Opens a COPY of an index (it is written): each query is a stored vector with noise (a
 * store near what is there), then added as a document like a store, the reader reopened every
 * {@code every} stores (what searches do). Prints each variant's thread CPU per check (median,
 * mean) and how many answers differ (ids or scores).
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -XX:TieredStopAtLevel=1 -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.NeighbourCheckBench /tmp/ix TENANT SCOPE CHECKS EVERY K_TODAY K_NEW [EXACT_UP_TO]
 * </pre>
 */
public final class NeighbourCheckBench {
  private NeighbourCheckBench() {}

  /** HNSW, except in a segment whose filter passes at most {@code upTo} documents: exact there. */
  private static final class ExactWhenSelective extends KnnFloatVectorQuery {
    private final int upTo;

    ExactWhenSelective(float[] q, int k, Query filter, int upTo) {
      super(MemoryIndex.VECTOR, q, k, filter);
      this.upTo = upTo;
    }

    @Override
    protected org.apache.lucene.search.TopDocs approximateSearch(
        org.apache.lucene.index.LeafReaderContext context,
        org.apache.lucene.util.Bits acceptDocs,
        int visitedLimit,
        org.apache.lucene.search.knn.KnnCollectorManager manager)
        throws IOException {
      if (visitedLimit <= upTo) {
        // An incomplete answer: Lucene then scores every document the filter passes.
        return new org.apache.lucene.search.TopDocs(
            new org.apache.lucene.search.TotalHits(
                0, org.apache.lucene.search.TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO),
            new ScoreDoc[0]);
      }
      return super.approximateSearch(context, acceptDocs, visitedLimit, manager);
    }
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String tenant = args[1];
    String scope = args[2];
    int checks = Integer.parseInt(args[3]);
    int every = Integer.parseInt(args[4]);
    // The kNN's k today: 5 plus the unread writes (up to UnreadWrites.MAX); the candidate's k.
    int kToday = Integer.parseInt(args[5]);
    int kNew = Integer.parseInt(args[6]);
    // Optional: the candidate scores exactly every segment whose filter passes at most this many
    // documents (HNSW above it), instead of HNSW first and exact only when HNSW gives up.
    int exactUpTo = args.length > 7 ? Integer.parseInt(args[7]) : -1;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Query filter =
        LuceneFilters.of(
            dev.omem.domain.MemoryFilter.builder(tenant)
                .scopes(java.util.Set.of(scope, "global"))
                .build());
    NeighbourFilterCache cache = new NeighbourFilterCache();
    Random rnd = new Random(7);
    TestVectors noise = new TestVectors(384, 11);
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    cfg.setMergePolicy(MemoryIndex.mergePolicy());
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, cfg)) {
      DirectoryReader r = DirectoryReader.open(w);
      List<float[]> pool = vectors(r);
      long[] plain = new long[checks];
      long[] cached = new long[checks];
      int differ = 0;
      int top1 = 0;
      int missA = 0;
      int missB = 0;
      for (int i = 0; i < checks; i++) {
        float[] base = pool.get(rnd.nextInt(pool.size()));
        float[] q = noise.near(base, 0.03f);
        // With EXACT_UP_TO both read the cached filter (main's check against the candidate).
        IndexSearcher a = exactUpTo < 0 ? new IndexSearcher(r) : cache.searcher(r);
        IndexSearcher b = cache.searcher(r);
        // Alternated: which variant runs first (warmer caches) changes each check.
        Query today = new KnnFloatVectorQuery(MemoryIndex.VECTOR, q, kToday, filter);
        Query candidate =
            exactUpTo < 0
                ? new KnnFloatVectorQuery(MemoryIndex.VECTOR, q, kNew, filter)
                : new ExactWhenSelective(q, kNew, filter, exactUpTo);
        ScoreDoc[] x;
        ScoreDoc[] y;
        if (i % 2 == 0) {
          x = timed(threads, a, today, plain, i);
          y = timed(threads, b, candidate, cached, i);
        } else {
          y = timed(threads, b, candidate, cached, i);
          x = timed(threads, a, today, plain, i);
        }
        if (!same(x, y)) {
          differ++;
          if (x.length == 0 || y.length == 0 || x[0].doc != y[0].doc) {
            top1++;
          }
        }
        if (i % 10 == 0) {
          // Against the exact top 5 (every passing vector scored): what HNSW missed.
          ScoreDoc[] e =
              a.search(new NearestVectorsQuery(MemoryIndex.VECTOR, q, 5, filter), 5).scoreDocs;
          missA += missed(e, x);
          missB += missed(e, y);
        }
        Document doc = new Document();
        doc.add(new StringField(MemoryIndex.ID, UUID.randomUUID().toString(), Field.Store.YES));
        doc.add(new StringField(MemoryIndex.TENANT, tenant, Field.Store.NO));
        doc.add(new StringField(MemoryIndex.STATE, "active", Field.Store.NO));
        doc.add(new StringField(MemoryIndex.SCOPE, scope, Field.Store.NO));
        doc.add(
            new KnnFloatVectorField(MemoryIndex.VECTOR, q, VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(doc);
        if ((i + 1) % every == 0) {
          DirectoryReader n = DirectoryReader.openIfChanged(r, w);
          if (n != null) {
            r.close();
            r = n;
          }
        }
      }
      System.out.printf(
          "checks %d, segments at end %d, docs %d%n", checks, r.leaves().size(), r.numDocs());
      report(exactUpTo < 0 ? "postings (Lucene's default)" : "main's check (cache, HNSW)", plain);
      report(exactUpTo < 0 ? "cached filter" : "exact up to " + exactUpTo + " passing", cached);
      System.out.printf(
          "answers that differ: %d of %d (nearest differs: %d); of the exact top 5 of every 10th"
              + " check, missed by k=%d: %d, by k=%d: %d%n",
          differ, checks, top1, kToday, missA, kNew, missB);
      r.close();
    }
  }

  /** Runs {@code q} on {@code s}, its thread CPU into {@code ns[i]}. */
  private static ScoreDoc[] timed(ThreadMXBean threads, IndexSearcher s, Query q, long[] ns, int i)
      throws IOException {
    long t0 = threads.getCurrentThreadCpuTime();
    ScoreDoc[] out = s.search(q, 5).scoreDocs;
    ns[i] = threads.getCurrentThreadCpuTime() - t0;
    return out;
  }

  private static int missed(ScoreDoc[] exact, ScoreDoc[] got) {
    int n = 0;
    for (ScoreDoc e : exact) {
      if (Arrays.stream(got).noneMatch(g -> g.doc == e.doc)) {
        n++;
      }
    }
    return n;
  }

  private static boolean same(ScoreDoc[] x, ScoreDoc[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i].doc != y[i].doc || x[i].score != y[i].score) {
        return false;
      }
    }
    return true;
  }

  private static void report(String what, long[] ns) {
    // The first half warms the compiler; the second half is reported.
    long[] half = Arrays.copyOfRange(ns, ns.length / 2, ns.length);
    Arrays.sort(half);
    double mean = Arrays.stream(half).average().orElse(0) / 1e6;
    System.out.printf(
        "%-30s median %.2f ms, mean %.2f ms (thread CPU, last %d)%n",
        what, half[half.length / 2] / 1e6, mean, half.length);
  }

  private static List<float[]> vectors(DirectoryReader r) throws IOException {
    List<float[]> out = new ArrayList<>();
    for (LeafReaderContext c : r.leaves()) {
      FloatVectorValues v = c.reader().getFloatVectorValues(MemoryIndex.VECTOR);
      if (v == null) {
        continue;
      }
      while (v.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
        out.add(v.vectorValue().clone());
      }
    }
    return out;
  }
}
