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
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Benchmark run by hand (not a test, issue 19): the store's neighbour check ({@link
 * NeighbourKnnQuery}, the filtered kNN of {@link MemoryIndex#searchVectorUnread}) run two ways on
 * the same reader, alternated check by check: as a Lucene query over a searcher whose filter comes
 * from Lucene's query cache (session 15's check: the cached set is copied with the live documents
 * per check in every segment with deletions), and through {@link NeighbourKnnQuery#search} with
 * {@link NeighbourFilterCache} (deletions taken out once per generation). Opens a COPY of an index
 * (it is written): each check is a stored vector with noise (a store near what is there), then
 * added as a document like a store; every {@code supersedeEvery}-th store also rewrites an older
 * document (a superseded memory: a delete in its segment), and the reader is reopened every {@code
 * every} stores. Prints each way's thread CPU per check (median, mean) and how many answers differ.
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -XX:TieredStopAtLevel=1 -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.NeighbourCheckBench /tmp/ix TENANT SCOPE CHECKS EVERY K SUPERSEDE_EVERY
 * </pre>
 */
public final class NeighbourCheckBench {
  private NeighbourCheckBench() {}

  private static final QueryCachingPolicy ALWAYS =
      new QueryCachingPolicy() {
        @Override
        public void onUse(Query query) {}

        @Override
        public boolean shouldCache(Query query) {
          return true;
        }
      };

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String tenant = args[1];
    String scope = args[2];
    int checks = Integer.parseInt(args[3]);
    int every = Integer.parseInt(args[4]);
    int k = Integer.parseInt(args[5]);
    int supersedeEvery = Integer.parseInt(args[6]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Query filter = filter(tenant, scope);
    LRUQueryCache lucene = new LRUQueryCache(256, 8L << 20, leaf -> true, Float.POSITIVE_INFINITY);
    NeighbourFilterCache cache = new NeighbourFilterCache();
    Random rnd = new Random(7);
    TestVectors noise = new TestVectors(384, 11);
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, writerConfig())) {
      DirectoryReader r = DirectoryReader.open(w);
      List<float[]> pool = vectors(r);
      List<String> ids = ids(r);
      long[] plain = new long[checks];
      long[] cached = new long[checks];
      int differ = 0;
      int top1 = 0;
      for (int i = 0; i < checks; i++) {
        float[] base = pool.get(rnd.nextInt(pool.size()));
        float[] q = noise.near(base, 0.03f);
        IndexSearcher a = new IndexSearcher(r);
        a.setQueryCache(lucene);
        a.setQueryCachingPolicy(ALWAYS);
        IndexSearcher b = new IndexSearcher(r);
        NeighbourKnnQuery query = new NeighbourKnnQuery(MemoryIndex.VECTOR, q, k, filter);
        // Alternated: which way runs first (warmer caches) changes each check.
        ScoreDoc[] x;
        ScoreDoc[] y;
        if (i % 2 == 0) {
          x = timed(threads, () -> a.search(query, k).scoreDocs, plain, i);
          y = timed(threads, () -> query.search(b, cache).scoreDocs, cached, i);
        } else {
          y = timed(threads, () -> query.search(b, cache).scoreDocs, cached, i);
          x = timed(threads, () -> a.search(query, k).scoreDocs, plain, i);
        }
        if (!same(x, y)) {
          differ++;
          if (x.length == 0 || y.length == 0 || x[0].doc != y[0].doc) {
            top1++;
          }
        }
        w.addDocument(document(UUID.randomUUID().toString(), tenant, scope, q));
        if (supersedeEvery > 0 && i % supersedeEvery == 0) {
          String old = ids.get(rnd.nextInt(ids.size()));
          float[] v = pool.get(rnd.nextInt(pool.size()));
          w.updateDocument(new Term(MemoryIndex.ID, old), document(old, tenant, scope, v));
        }
        if ((i + 1) % every == 0) {
          r = reopen(r, w);
        }
      }
      System.out.printf(
          "checks %d, segments at end %d, docs %d, deleted %d%n",
          checks, r.leaves().size(), r.numDocs(), r.numDeletedDocs());
      report("Lucene's query cache", plain);
      report("NeighbourFilterCache", cached);
      System.out.printf(
          "answers that differ: %d of %d (nearest differs: %d); cache hits %d, cuts %d%n",
          differ, checks, top1, cache.hits(), cache.cuts());
      r.close();
    }
  }

  /** The store's filter of a search in {@code scope} (and global) of {@code tenant}. */
  static Query filter(String tenant, String scope) {
    return LuceneFilters.of(
        dev.omem.domain.MemoryFilter.builder(tenant)
            .scopes(java.util.Set.of(scope, "global"))
            .build());
  }

  /** The benches' writer config: the store's merge policy ({@link MemoryIndex#mergePolicy}). */
  static IndexWriterConfig writerConfig() {
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    cfg.setMergePolicy(MemoryIndex.mergePolicy());
    return cfg;
  }

  /** {@code r} reopened on {@code w}'s writes (closed when there are any), as the store does. */
  static DirectoryReader reopen(DirectoryReader r, IndexWriter w) throws IOException {
    DirectoryReader fresh = DirectoryReader.openIfChanged(r, w);
    if (fresh == null) {
      return r;
    }
    r.close();
    return fresh;
  }

  private interface Check {
    ScoreDoc[] run() throws IOException;
  }

  static Document document(String id, String tenant, String scope, float[] v) {
    Document doc = new Document();
    doc.add(new StringField(MemoryIndex.ID, id, Field.Store.YES));
    doc.add(new StringField(MemoryIndex.TENANT, tenant, Field.Store.NO));
    doc.add(new StringField(MemoryIndex.STATE, "active", Field.Store.NO));
    doc.add(new StringField(MemoryIndex.SCOPE, scope, Field.Store.NO));
    doc.add(new KnnFloatVectorField(MemoryIndex.VECTOR, v, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }

  private static List<String> ids(DirectoryReader r) throws IOException {
    List<String> out = new ArrayList<>();
    StoredFields stored = r.storedFields();
    for (int doc = 0; doc < r.maxDoc(); doc++) {
      out.add(stored.document(doc).get(MemoryIndex.ID));
    }
    return out;
  }

  /** Runs {@code check}, its thread CPU into {@code ns[i]}. */
  private static ScoreDoc[] timed(ThreadMXBean threads, Check check, long[] ns, int i)
      throws IOException {
    long t0 = threads.getCurrentThreadCpuTime();
    ScoreDoc[] out = check.run();
    ns[i] = threads.getCurrentThreadCpuTime() - t0;
    return out;
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

  /** Every vector of {@code r}, in document order (also {@link HnswBuildBench}'s input). */
  static List<float[]> vectors(DirectoryReader r) throws IOException {
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
