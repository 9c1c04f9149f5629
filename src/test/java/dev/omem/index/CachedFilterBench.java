package dev.omem.index;

import dev.omem.domain.MemoryFilter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;

/**
 * A search's filter over every segment of an index, from its postings (main) and from {@link
 * CachedFilter}, alternated call by call in one JVM so both see the same load (issue 19, session
 * 18). Usage, on a copy of an index: {@code java -XX:TieredStopAtLevel=1 -cp
 * target/omem.jar:target/test-classes dev.omem.index.CachedFilterBench INDEX_DIR TENANT SCOPE
 * ROUNDS}
 */
public final class CachedFilterBench {
  private CachedFilterBench() {}

  public static void main(String[] a) throws Exception {
    MemoryFilter f = MemoryFilter.builder(a[1]).scopes(Set.of(a[2], "global")).build();
    int rounds = Integer.parseInt(a[3]);
    var threads = ManagementFactory.getThreadMXBean();
    NeighbourFilterCache cache = new NeighbourFilterCache();
    try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(Path.of(a[0])))) {
      IndexSearcher s = new IndexSearcher(r);
      double[] plain = new double[rounds];
      double[] cached = new double[rounds];
      long docs = 0;
      for (int i = 0; i < rounds; i++) {
        long c0 = threads.getCurrentThreadCpuTime();
        docs += count(s, LuceneFilters.anyOf(List.of(f)));
        long c1 = threads.getCurrentThreadCpuTime();
        docs -= count(s, new CachedFilter(cache.queryOf(List.of(f)), cache));
        long c2 = threads.getCurrentThreadCpuTime();
        plain[i] = (c1 - c0) / 1e6;
        cached[i] = (c2 - c1) / 1e6;
      }
      System.out.printf("segments %d, documents passed differ by %d%n", r.leaves().size(), docs);
      print("postings", plain);
      print("cached", cached);
      // BM25 with either filter, as MemoryIndex.searchText asks it (100 hits).
      List<String> words =
          List.of("deploy", "servic", "config", "databas", "test", "timeout", "cach", "build");
      double[] bm25Plain = new double[rounds];
      double[] bm25Cached = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        List<String> terms = List.of(words.get(i % 8), words.get((i * 3 + 1) % 8));
        long c0 = threads.getCurrentThreadCpuTime();
        var x = s.search(text(terms, LuceneFilters.anyOf(List.of(f))), 100).scoreDocs;
        long c1 = threads.getCurrentThreadCpuTime();
        var y =
            s.search(text(terms, new CachedFilter(cache.queryOf(List.of(f)), cache)), 100)
                .scoreDocs;
        long c2 = threads.getCurrentThreadCpuTime();
        for (int j = 0; j < Math.max(x.length, y.length); j++) {
          if (x.length != y.length || x[j].doc != y[j].doc || x[j].score != y[j].score) {
            throw new IllegalStateException("BM25 hits differ at round " + i + ", hit " + j);
          }
        }
        bm25Plain[i] = (c1 - c0) / 1e6;
        bm25Cached[i] = (c2 - c1) / 1e6;
      }
      print("bm25 postings", bm25Plain);
      print("bm25 cached", bm25Cached);
    }
  }

  private static Query text(List<String> terms, Query filter) {
    var t = new org.apache.lucene.search.BooleanQuery.Builder();
    for (String w : terms) {
      t.add(
          new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term("text", w)),
          org.apache.lucene.search.BooleanClause.Occur.SHOULD);
    }
    return new org.apache.lucene.search.BooleanQuery.Builder()
        .add(t.build(), org.apache.lucene.search.BooleanClause.Occur.MUST)
        .add(filter, org.apache.lucene.search.BooleanClause.Occur.FILTER)
        .build();
  }

  /** The documents {@code filter} passes in every segment, as a search's scorer reads them. */
  private static long count(IndexSearcher s, Query filter) throws Exception {
    Weight w = s.createWeight(s.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    long n = 0;
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      Scorer scorer = w.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      DocIdSetIterator it = scorer.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        n++;
      }
    }
    return n;
  }

  private static void print(String what, double[] all) {
    double[] t = Arrays.copyOfRange(all, all.length / 2, all.length);
    Arrays.sort(t);
    System.out.printf(
        "%-8s thread CPU p50 %.3f ms  mean %.3f ms%n",
        what, t[t.length / 2], Arrays.stream(t).average().orElse(0));
  }
}
