package dev.omem.index;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Benchmark run by hand (not a test, issue 19, session 19): the neighbour check's rule for when a
 * segment is scored exactly ({@link NeighbourKnnQuery#exactIsCheaper}) under each given {@link
 * NeighbourKnnQuery#FILTERED_VISITS} (1 is the rule before session 19; a huge one scores exactly
 * every segment the filter narrows, which is the reference: exact wherever any document is filtered
 * out; {@code W/K} asks for K neighbours whatever the unread writes), alternated check by check on
 * one reader. Each check asks for k = 5 + the writes since the last reopen, as {@link
 * MemoryIndex#searchVectorUnread} does. Prints each variant's thread CPU per check and how often
 * its answer (the k ids, and the first 5) differs from the reference's. Opens a COPY of an index
 * (it is written), as {@link NeighbourCheckBench}.
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -XX:TieredStopAtLevel=1 -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.NeighbourRuleBench /tmp/ix TENANT SCOPE CHECKS EVERY NOISE 1,4,8
 * </pre>
 */
public final class NeighbourRuleBench {
  private NeighbourRuleBench() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    String tenant = args[1];
    String scope = args[2];
    int checks = Integer.parseInt(args[3]);
    int every = Integer.parseInt(args[4]);
    float noiseLevel = Float.parseFloat(args[5]);
    String[] variants = args[6].split(",");
    double[] weights = new double[variants.length];
    int[] fixedK = new int[variants.length]; // 0: 5 + the unread writes
    for (int v = 0; v < variants.length; v++) {
      String[] wk = variants[v].split("/");
      weights[v] = Double.parseDouble(wk[0]);
      fixedK[v] = wk.length > 1 ? Integer.parseInt(wk[1]) : 0;
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Query filter = NeighbourCheckBench.filter(tenant, scope);
    NeighbourFilterCache cache = new NeighbourFilterCache();
    Random rnd = new Random(7);
    TestVectors noise = new TestVectors(384, 11);
    int n = weights.length;
    try (Directory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, NeighbourCheckBench.writerConfig())) {
      DirectoryReader r = DirectoryReader.open(w);
      List<float[]> pool = NeighbourCheckBench.vectors(r);
      long[][] ns = new long[n][checks];
      int[] differ = new int[n];
      int[] differ5 = new int[n];
      int unread = 0;
      for (int i = 0; i < checks; i++) {
        float[] q = noise.near(pool.get(rnd.nextInt(pool.size())), noiseLevel);
        int k = 5 + unread;
        IndexSearcher s = new IndexSearcher(r);
        ScoreDoc[] exact =
            new NeighbourKnnQuery(MemoryIndex.VECTOR, q, k, filter, 1e12)
                .search(s, cache)
                .scoreDocs;
        for (int j = 0; j < n; j++) {
          int v = (i + j) % n; // a rotating order: no weight always runs first
          int kv = fixedK[v] > 0 ? fixedK[v] : k;
          NeighbourKnnQuery query =
              new NeighbourKnnQuery(MemoryIndex.VECTOR, q, kv, filter, weights[v]);
          long t0 = threads.getCurrentThreadCpuTime();
          ScoreDoc[] got = query.search(s, cache).scoreDocs;
          ns[v][i] = threads.getCurrentThreadCpuTime() - t0;
          if (!ids(got, Math.min(k, kv)).equals(ids(exact, Math.min(k, kv)))) {
            differ[v]++;
          }
          if (!ids(got, 5).equals(ids(exact, 5))) {
            differ5[v]++;
          }
        }
        w.addDocument(NeighbourCheckBench.document(UUID.randomUUID().toString(), tenant, scope, q));
        unread++;
        if (unread == every) {
          r = NeighbourCheckBench.reopen(r, w);
          unread = 0;
        }
      }
      System.out.printf(
          "checks %d, segments at end %d, docs %d%n", checks, r.leaves().size(), r.numDocs());
      for (int v = 0; v < n; v++) {
        long[] half = Arrays.copyOfRange(ns[v], checks / 2, checks);
        Arrays.sort(half);
        System.out.printf(
            "variant %-8s thread CPU p50 %.3f ms, mean %.3f ms (last %d); k ids differ from exact %d, first 5 differ %d (of %d)%n",
            variants[v],
            half[half.length / 2] / 1e6,
            Arrays.stream(half).average().orElse(0) / 1e6,
            half.length,
            differ[v],
            differ5[v],
            checks);
      }
      r.close();
    }
  }

  private static Set<Integer> ids(ScoreDoc[] docs, int k) {
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < Math.min(k, docs.length); i++) {
      out.add(docs[i].doc);
    }
    return out;
  }
}
