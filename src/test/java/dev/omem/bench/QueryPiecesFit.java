package dev.omem.bench;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session 18 (issue 13), the second candidate of docs/relevance/threshold-rule.md: the prompt's
 * word pieces against each memory's stored vector. {@code query_pieces_cosine} = ū·d, ū the mean of
 * the prompt's L2-normalised last hidden states over its own pieces (the query instruction's, [CLS]
 * and [SEP] left out: the same model run that embeds the query computes them), d the memory's
 * vector as stored; and that minus the prompt's best. They ride in two of {@link
 * TokenMaxSimFit#CARRIERS} so {@link RelevanceFit}'s nested fit runs unchanged; prints the
 * baseline, the nested choice and the set fixed (post hoc).
 *
 * <p>Run: java -Xmx2g -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.QueryPiecesFit --data ../shared/bench/coding-recall-dev.json --cache
 * &lt;dir&gt;/pairs.tsv (the cache and its .ids written by RelevanceFit --cache).
 */
public final class QueryPiecesFit {
  private QueryPiecesFit() {}

  /** The mean of the query's own pieces' unit states, the instruction's {@code skip} left out. */
  static double[] piecesMean(float[][] states, int skip) {
    int dims = states.length == 0 ? 0 : states[0].length;
    double[] u = new double[dims];
    int n = states.length - skip;
    for (int t = skip; t < states.length; t++) {
      for (int d = 0; d < dims; d++) {
        u[d] += states[t][d] / n;
      }
    }
    return u;
  }

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    if (Boolean.parseBoolean(o.getOrDefault("zscores", "false"))) {
      zscores(RelevanceFit.readCachePublic(Path.of(o.get("cache"))));
      return;
    }
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.get("data"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(data);
    String prefix = ModelCatalog.DEFAULT.queryPrefix();
    Map<String, float[]> mem = new HashMap<>();
    double[][] qu = new double[prompts.size()][];
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      int skip = e.tokenVectors(prefix.trim()).length;
      for (var en : t.memories().entrySet()) {
        mem.put(en.getKey(), e.embedDocuments(List.of(en.getValue())).get(0));
      }
      for (int i = 0; i < prompts.size(); i++) {
        qu[i] = piecesMean(e.tokenVectors(prefix + t.prompts().get(i)), skip);
      }
    }
    List<List<String>> pairMem = TokenMaxSimFit.pairMemories(cache, prompts.size());
    List<String> names = RelevanceFit.featureNamesPublic();
    int[] carrier = TokenMaxSimFit.CARRIERS.stream().mapToInt(names::indexOf).toArray();
    List<RelevanceFit.Prompt> out = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      RelevanceFit.Prompt q = prompts.get(i);
      int n = q.pairs().size();
      double[] c = new double[n];
      for (int j = 0; j < n; j++) {
        float[] v = mem.get(pairMem.get(i).get(j));
        for (int d = 0; d < v.length; d++) {
          c[j] += qu[i][d] * v[d];
        }
      }
      out.add(TokenMaxSimFit.withCarriers(q, c, carrier));
    }
    RelevanceFit.FEATURE_SETS.put(
        "pieces",
        RelevanceFit.concat(
            RelevanceFit.FEATURE_SETS.get("base+local"), TokenMaxSimFit.CARRIERS.subList(0, 2)));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    TokenMaxSimFit.header();
    TokenMaxSimFit.run("base+local, gate s11 (baseline, shipped)", Map.of("base+local", out));
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    options.put("base+local", out);
    options.put("pieces", out);
    TokenMaxSimFit.run("nested choice between base+local and + query pieces", options);
    TokenMaxSimFit.run("pieces fixed (post hoc)", Map.of("pieces", out));
  }

  /** {@code v}'s values as z-scores among themselves (a spread under 1e-6 gives 0). */
  static double[] zscores(double[] v) {
    double mean = java.util.Arrays.stream(v).average().orElse(0);
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean) / v.length;
    }
    double sd = Math.sqrt(var);
    return java.util.Arrays.stream(v).map(x -> sd < 1e-6 ? 0 : (x - mean) / sd).toArray();
  }

  /**
   * The third candidate (threshold-rule.md, session 18): {@code cosine_z} and {@code bm25_z}, each
   * pair's cosine and bm25 as z-scores among the query's candidates, in two carriers; nested.
   */
  static void zscores(List<RelevanceFit.Prompt> prompts) {
    List<String> names = RelevanceFit.featureNamesPublic();
    int cos = names.indexOf("cosine");
    int bm25 = names.indexOf("bm25");
    int[] carrier = TokenMaxSimFit.CARRIERS.stream().mapToInt(names::indexOf).toArray();
    List<RelevanceFit.Prompt> out = new ArrayList<>();
    for (RelevanceFit.Prompt q : prompts) {
      double[] cz = zscores(q.pairs().stream().mapToDouble(p -> p.x()[cos]).toArray());
      double[] bz = zscores(q.pairs().stream().mapToDouble(p -> p.x()[bm25]).toArray());
      List<RelevanceFit.Pair> pairs = new ArrayList<>();
      for (int j = 0; j < cz.length; j++) {
        RelevanceFit.Pair p = q.pairs().get(j);
        double[] v = p.x().clone();
        v[carrier[0]] = cz[j];
        v[carrier[1]] = bz[j];
        pairs.add(new RelevanceFit.Pair(p.relevant(), v, p.memory()));
      }
      out.add(new RelevanceFit.Prompt(q.project(), q.answerable(), q.relevantCount(), pairs));
    }
    RelevanceFit.FEATURE_SETS.put(
        "zscores",
        RelevanceFit.concat(
            RelevanceFit.FEATURE_SETS.get("base+local"), TokenMaxSimFit.CARRIERS.subList(0, 2)));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    options.put("base+local", out);
    options.put("zscores", out);
    TokenMaxSimFit.run("nested choice between base+local and + z-scores", options);
    TokenMaxSimFit.run("zscores fixed (post hoc)", Map.of("zscores", out));
  }
}
