package dev.omem.index;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
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
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Benchmark run by hand (not a test, issue 19): what HNSW's {@code maxConn} and {@code beamWidth}
 * cost to build and what they lose. Reads the vectors of an index (not written), then writes them
 * into a fresh index in {@code out} with the given graph parameters, {@link MemoryIndex}'s merge
 * policy, and a reader reopen every {@code every} documents (what the daemon does: small flushed
 * segments, merged among themselves); prints the process CPU of that build (indexing and merge
 * threads). Then, on the final reader, {@code queries} stored vectors with noise (a store near what
 * is there) are searched by HNSW (Lucene's unfiltered kNN, as the neighbour check over a segment
 * its filter mostly passes) and exactly, and the share of the exact top {@code k} HNSW finds is
 * printed.
 *
 * <pre>
 * java -cp target/omem.jar:target/test-classes dev.omem.index.HnswBuildBench \
 *   STORE/index OUT MAXCONN BEAMWIDTH EVERY QUERIES K
 * </pre>
 */
public final class HnswBuildBench {
  private HnswBuildBench() {}

  public static void main(String[] args) throws IOException {
    Path src = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int maxConn = Integer.parseInt(args[2]);
    int beamWidth = Integer.parseInt(args[3]);
    int every = Integer.parseInt(args[4]);
    int queries = Integer.parseInt(args[5]);
    int k = Integer.parseInt(args[6]);
    List<float[]> pool;
    try (Directory d = FSDirectory.open(src);
        DirectoryReader r = DirectoryReader.open(d)) {
      pool = NeighbourCheckBench.vectors(r);
    }
    Files.createDirectories(out);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    cfg.setMergePolicy(MemoryIndex.mergePolicy());
    cfg.setCodec(MemoryIndex.codec(maxConn, beamWidth));
    cfg.setUseCompoundFile(false);
    try (Directory d = FSDirectory.open(out);
        IndexWriter w = new IndexWriter(d, cfg)) {
      long t0 = os.getProcessCpuTime();
      DirectoryReader r = DirectoryReader.open(w);
      for (int i = 0; i < pool.size(); i++) {
        Document doc = new Document();
        doc.add(new StringField(MemoryIndex.ID, Integer.toString(i), Field.Store.YES));
        doc.add(
            new KnnFloatVectorField(
                MemoryIndex.VECTOR, pool.get(i), VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(doc);
        if ((i + 1) % every == 0) {
          DirectoryReader n = DirectoryReader.openIfChanged(r, w);
          if (n != null) {
            r.close();
            r = n;
          }
        }
      }
      DirectoryReader n = DirectoryReader.openIfChanged(r, w);
      if (n != null) {
        r.close();
        r = n;
      }
      w.getConfig().getMergeScheduler().close(); // wait for running merges
      long built = os.getProcessCpuTime() - t0;
      System.out.printf(
          "maxConn %d beamWidth %d: %d vectors, reopen every %d: build %.2f s CPU, %d segments%n",
          maxConn, beamWidth, pool.size(), every, built / 1e9, r.leaves().size());
      IndexSearcher s = new IndexSearcher(r);
      Random rnd = new Random(7);
      TestVectors noise = new TestVectors(384, 11);
      int found = 0;
      long hnswNs = 0;
      for (int q = 0; q < queries; q++) {
        float[] v = noise.near(pool.get(rnd.nextInt(pool.size())), 0.03f);
        long a = System.nanoTime();
        ScoreDoc[] approx =
            s.search(new KnnFloatVectorQuery(MemoryIndex.VECTOR, v, k), k).scoreDocs;
        hnswNs += System.nanoTime() - a;
        Set<Integer> got = new HashSet<>();
        Arrays.stream(approx).forEach(x -> got.add(x.doc));
        for (int doc : exact(r, v, k)) {
          if (got.contains(doc)) {
            found++;
          }
        }
      }
      System.out.printf(
          "recall@%d over %d queries: %.4f (HNSW wall %.2f ms a query)%n",
          k, queries, found / (double) (queries * k), hnswNs / 1e6 / queries);
      r.close();
    }
  }

  private static int[] exact(DirectoryReader r, float[] q, int k) throws IOException {
    List<float[]> scored = new ArrayList<>(); // {score, doc}
    for (LeafReaderContext c : r.leaves()) {
      FloatVectorValues v = c.reader().getFloatVectorValues(MemoryIndex.VECTOR);
      if (v == null) {
        continue;
      }
      for (int doc = v.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = v.nextDoc()) {
        float score = VectorSimilarityFunction.DOT_PRODUCT.compare(q, v.vectorValue());
        scored.add(new float[] {score, c.docBase + doc});
      }
    }
    scored.sort((x, y) -> Float.compare(y[0], x[0]));
    return scored.stream().limit(k).mapToInt(x -> (int) x[1]).toArray();
  }
}
