package dev.omem.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Benchmark run by hand (not a test, issue 19): how many nodes filtered HNSW visits per segment,
 * against how many documents the neighbour check's filter passes there, the figures {@link
 * NeighbourKnnQuery#BEAM_FLOOR} was fitted on. Reads a COPY of an index; 100 checks, each a stored
 * vector with noise, HNSW run to completion (no visit limit) in every segment. Prints per segment
 * (documents, passing) the median and p90 of the nodes visited.
 *
 * <pre>
 * cp -r STORE/index /tmp/ix &amp;&amp; java -cp target/omem.jar:target/test-classes \
 *   dev.omem.index.NeighbourVisitBench /tmp/ix TENANT SCOPE K
 * </pre>
 */
public final class NeighbourVisitBench {
  private NeighbourVisitBench() {}

  /** Each segment's documents, passing documents and nodes visited, one row per segment search. */
  private static final List<long[]> ROWS = new ArrayList<>();

  private static final class Unlimited extends KnnFloatVectorQuery {
    Unlimited(float[] q, int k, Query filter) {
      super(MemoryIndex.VECTOR, q, k, filter);
    }

    @Override
    protected TopDocs approximateSearch(
        LeafReaderContext c, Bits accept, int visitedLimit, KnnCollectorManager m)
        throws IOException {
      TopDocs t = super.approximateSearch(c, accept, Integer.MAX_VALUE, m);
      ROWS.add(new long[] {c.reader().maxDoc(), visitedLimit - 1, t.totalHits.value});
      return t;
    }
  }

  public static void main(String[] args) throws IOException {
    int k = Integer.parseInt(args[3]);
    Query filter = NeighbourCheckBench.filter(args[1], args[2]);
    TestVectors noise = new TestVectors(384, 11);
    Random rnd = new Random(7);
    try (Directory d = FSDirectory.open(Path.of(args[0]));
        DirectoryReader r = DirectoryReader.open(d)) {
      List<float[]> pool = NeighbourCheckBench.vectors(r);
      IndexSearcher s = new IndexSearcher(r);
      for (int i = 0; i < 100; i++) {
        float[] q = noise.near(pool.get(rnd.nextInt(pool.size())), 0.03f);
        s.search(new Unlimited(q, k, filter), k);
      }
    }
    Map<String, List<Long>> bySegment = new TreeMap<>();
    for (long[] row : ROWS) {
      bySegment.computeIfAbsent(row[0] + " " + row[1], x -> new ArrayList<>()).add(row[2]);
    }
    bySegment.forEach(
        (key, v) -> {
          Collections.sort(v);
          System.out.printf(
              "documents passing %s: visited median %d p90 %d (%d)%n",
              key, v.get(v.size() / 2), v.get(v.size() * 9 / 10), v.size());
        });
  }
}
