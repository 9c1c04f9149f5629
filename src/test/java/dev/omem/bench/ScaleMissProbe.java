package dev.omem.bench;

import dev.omem.config.OmemConfig;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchMode;
import dev.omem.index.IndexHit;
import dev.omem.index.IndexSynchronizer;
import dev.omem.index.VectorPools;
import dev.omem.retrieve.RetrievalPipeline.RelevanceRow;
import dev.omem.retrieve.SearchQuery;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Where a paraphrase target is lost at a store size (issue 19, session 17): for each of {@link
 * ParaphraseCorpus}'s questions, the target's place in the vector retriever's plain and centred
 * lists and in BM25's (each of {@code RankingWeights.CANDIDATES}), its place in the relevance
 * window (the fused best, then the centred extras), its place among the window's rows by the
 * model's score (session 17's column was the window place: rows keep the window's order), and its
 * place in the search's results (limit 10 and 50, no floor). One tab-separated line per question;
 * not a test.
 *
 * <p>Run on a copy of a {@link ScaleBench} store (the store is opened and so written to): java
 * -Xmx2g -cp target/omem.jar:target/test-classes dev.omem.bench.ScaleMissProbe STORE_DIR &gt; OUT
 */
public final class ScaleMissProbe {
  private ScaleMissProbe() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    int k = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    List<String> ids = Files.readAllLines(home.resolve("targets.txt"));
    List<ParaphraseCorpus.Target> targets = ParaphraseCorpus.targets(ScaleBench.CORPUS_SEED);
    Caller caller = Caller.local("bench/project");
    try (LocalMemoryService svc =
        LocalMemoryService.open(
            new OmemConfig(home, OmemConfig.DEFAULT_MODEL, SearchMode.HYBRID))) {
      if (!svc.awaitModel(Duration.ofMinutes(5))) {
        throw new IllegalStateException("model did not load");
      }
      var indexOf = LocalMemoryService.class.getDeclaredMethod("index");
      indexOf.setAccessible(true);
      IndexSynchronizer idx = (IndexSynchronizer) indexOf.invoke(svc);
      String tenant =
          svc.search(
                  caller,
                  SearchRequest.builder(targets.get(0).question())
                      .limit(1)
                      .minScore(0.0)
                      .countAccess(false)
                      .build())
              .results()
              .get(0)
              .memory()
              .tenantId();
      MemoryFilter filter = MemoryFilter.activeOf(tenant);
      var embedder = embedderOf(svc);
      var keywords =
          Class.forName("dev.omem.retrieve.QueryReader")
              .getDeclaredMethod("keywords", String.class);
      keywords.setAccessible(true);
      System.out.println(
          "t\tplain\tcentred\tbm25\twindow_rows\twindow_place\trelevance_rank\tresult10\tresult50");
      for (int t = 0; t < targets.size(); t++) {
        String q = targets.get(t).question();
        String id = ids.get(t);
        float[] v = embedder.embedQuery(q);
        VectorPools pools = idx.searchVectorPools(v, List.of(filter), k);
        int plain = place(pools.plain(), id);
        int centred = place(pools.centred(), id);
        int bm25 =
            place(idx.searchText((String) keywords.invoke(null, q), List.of(filter), k).hits(), id);
        List<RelevanceRow> rows =
            svc.retrievalPipeline().relevanceRows(new SearchQuery(q, filter, 10, 0, null));
        // relevanceRows keeps the window's order (the fused best, then the centred extras): the
        // model's place is the count of rows it scored above the target.
        int place = -1;
        int rel = -1;
        for (int i = 0; i < rows.size(); i++) {
          if (rows.get(i).id().equals(id)) {
            place = i;
          }
        }
        if (place >= 0) {
          double p = rows.get(place).relevance();
          rel = (int) rows.stream().filter(r -> r.relevance() > p).count();
        }
        int r10 = result(svc, caller, q, id, 10);
        int r50 = result(svc, caller, q, id, 50);
        System.out.printf(
            Locale.ROOT,
            "%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n",
            t,
            plain,
            centred,
            bm25,
            rows.size(),
            place,
            rel,
            r10,
            r50);
      }
    }
  }

  private static int result(LocalMemoryService svc, Caller caller, String q, String id, int limit) {
    List<ScoredMemory> res =
        svc.search(
                caller,
                SearchRequest.builder(q).limit(limit).minScore(0.0).countAccess(false).build())
            .results();
    for (int i = 0; i < res.size(); i++) {
      if (res.get(i).memory().id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  private static int place(List<IndexHit> hits, String id) {
    for (int i = 0; i < hits.size(); i++) {
      if (hits.get(i).id().equals(id)) {
        return i;
      }
    }
    return -1;
  }

  private static dev.omem.embed.Embedder embedderOf(LocalMemoryService svc) throws Exception {
    var f = LocalMemoryService.class.getDeclaredField("embeddings");
    f.setAccessible(true);
    Object provider = f.get(svc);
    var ready = provider.getClass().getMethod("ifReady");
    @SuppressWarnings("unchecked")
    var e = (java.util.Optional<dev.omem.embed.Embedder>) ready.invoke(provider);
    return e.orElseThrow();
  }
}
