package dev.omem.bench;

import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Session 19 (issue 13), docs/relevance/threshold-rule.md "Session 19": two pair features with no
 * fitted constant, nested as {@link QueryPiecesFit}'s. (1) {@code clause_cosine}: the largest of
 * the memory's cosine and its clauses' cosines with the query, and that minus the prompt's best.
 * (2) The store's own null, no labels: {@code null_rank}, the share of the store's memory-to-memory
 * cosines below the pair's cosine, and {@code nn_margin}, the pair's cosine minus the memory's
 * nearest neighbour's. They ride in {@link TokenMaxSimFit#CARRIERS} (0-1 the clause, 2-3 the null).
 *
 * <p>Run: java -Xmx2g -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.StoreNullFit --data ../shared/bench/coding-recall-dev.json --cache
 * &lt;dir&gt;/pairs.tsv (the cache and its .ids written by RelevanceFit --cache).
 */
public final class StoreNullFit {
  private StoreNullFit() {}

  private static final Pattern CLAUSE_END = Pattern.compile("(?<=[.!?;])\\s+");

  /** Words a clause needs to stand alone (the rule's number, set before the run). */
  static final int MIN_CLAUSE_WORDS = 4;

  /**
   * A text's clauses: cut after a sentence end or semicolon followed by white space; a clause of
   * fewer than {@link #MIN_CLAUSE_WORDS} words joins the one before it (the first, having none
   * before, joins the next). One clause means the text itself.
   */
  static List<String> clauses(String text) {
    List<String> out = new ArrayList<>();
    String carry = "";
    for (String raw : CLAUSE_END.split(text.strip())) {
      String s = carry.isEmpty() ? raw.strip() : carry + " " + raw.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (words(raw) < MIN_CLAUSE_WORDS) {
        if (out.isEmpty()) {
          carry = s;
        } else {
          out.set(out.size() - 1, out.get(out.size() - 1) + " " + raw.strip());
        }
        continue;
      }
      out.add(s);
      carry = "";
    }
    if (!carry.isEmpty()) {
      out.add(carry);
    }
    return out;
  }

  private static int words(String s) {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  /** The share of the sorted {@code nulls} strictly below {@code c} (0 when there are none). */
  static double nullRank(double[] nulls, double c) {
    if (nulls.length == 0) {
      return 0;
    }
    int lo = 0;
    int hi = nulls.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (nulls[mid] < c) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (double) lo / nulls.length;
  }

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.get("data"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(data);
    Map<String, float[]> mem = new HashMap<>();
    Map<String, float[][]> clauseVec = new HashMap<>();
    float[][] qv = new float[prompts.size()][];
    int multi = 0;
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (var en : t.memories().entrySet()) {
        mem.put(en.getKey(), e.embedDocuments(List.of(en.getValue())).get(0));
        List<String> c = clauses(en.getValue());
        if (c.size() > 1) {
          multi++;
          clauseVec.put(en.getKey(), e.embedDocuments(c).toArray(float[][]::new));
        } else {
          clauseVec.put(en.getKey(), new float[0][]);
        }
      }
      for (int i = 0; i < prompts.size(); i++) {
        qv[i] = e.embedQuery(t.prompts().get(i));
      }
    }
    System.out.printf("%d memories, %d of them of more than one clause%n", mem.size(), multi);
    // The store's null and each memory's nearest neighbour, per project, from its memories alone.
    Map<String, List<String>> byProject = new HashMap<>();
    for (String k : mem.keySet()) {
      byProject.computeIfAbsent(k.substring(0, k.indexOf('/')), x -> new ArrayList<>()).add(k);
    }
    Map<String, double[]> nulls = new HashMap<>();
    Map<String, Double> nn = new HashMap<>();
    for (var en : byProject.entrySet()) {
      List<String> ks = en.getValue();
      List<Double> all = new ArrayList<>();
      for (int a = 0; a < ks.size(); a++) {
        double best = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < ks.size(); b++) {
          if (a == b) {
            continue;
          }
          double c = TokenMaxSimFit.dot(mem.get(ks.get(a)), mem.get(ks.get(b)));
          best = Math.max(best, c);
          if (a < b) {
            all.add(c);
          }
        }
        nn.put(ks.get(a), best);
      }
      double[] n = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      nulls.put(en.getKey(), n);
      System.out.printf(
          java.util.Locale.ROOT,
          "%s: %d memories, null median %.3f, p90 %.3f%n",
          en.getKey(),
          ks.size(),
          n[n.length / 2],
          n[(int) (n.length * 0.9)]);
    }
    List<List<String>> pairMem = TokenMaxSimFit.pairMemories(cache, prompts.size());
    List<String> names = RelevanceFit.featureNamesPublic();
    int[] carrier = TokenMaxSimFit.CARRIERS.stream().mapToInt(names::indexOf).toArray();
    List<RelevanceFit.Prompt> out = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      RelevanceFit.Prompt q = prompts.get(i);
      int n = q.pairs().size();
      double[] clause = new double[n];
      double[] cos = new double[n];
      for (int j = 0; j < n; j++) {
        String key = pairMem.get(i).get(j);
        cos[j] = TokenMaxSimFit.dot(qv[i], mem.get(key));
        clause[j] = cos[j];
        for (float[] cv : clauseVec.get(key)) {
          clause[j] = Math.max(clause[j], TokenMaxSimFit.dot(qv[i], cv));
        }
      }
      double best = Arrays.stream(clause).max().orElse(0);
      List<RelevanceFit.Pair> pairs = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        String key = pairMem.get(i).get(j);
        RelevanceFit.Pair p = q.pairs().get(j);
        double[] v = p.x().clone();
        v[carrier[0]] = clause[j];
        v[carrier[1]] = clause[j] - best;
        v[carrier[2]] = nullRank(nulls.get(q.project()), cos[j]);
        v[carrier[3]] = cos[j] - nn.get(key);
        pairs.add(new RelevanceFit.Pair(p.relevant(), v, p.memory()));
      }
      out.add(new RelevanceFit.Prompt(q.project(), q.answerable(), q.relevantCount(), pairs));
    }
    if (Boolean.parseBoolean(o.getOrDefault("swap", "false"))) {
      swap(prompts, qv, mem, pairMem, nulls);
      return;
    }
    List<String> base = RelevanceFit.FEATURE_SETS.get("base+local");
    List<String> c = TokenMaxSimFit.CARRIERS;
    RelevanceFit.FEATURE_SETS.put("clause", RelevanceFit.concat(base, c.subList(0, 2)));
    RelevanceFit.FEATURE_SETS.put("null", RelevanceFit.concat(base, c.subList(2, 4)));
    RelevanceFit.FEATURE_SETS.put("both", RelevanceFit.concat(base, c));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    TokenMaxSimFit.header();
    TokenMaxSimFit.run("base+local, gate s11 (baseline, shipped)", Map.of("base+local", out));
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    for (String s : List.of("base+local", "clause", "null", "both")) {
      options.put(s, out);
    }
    TokenMaxSimFit.run("nested choice among base+local, +clause, +null, +both", options);
    for (String s : List.of("clause", "null", "both")) {
      TokenMaxSimFit.run(s + " fixed (post hoc)", Map.of(s, out));
    }
  }

  /**
   * The third candidate: the {@code best_cosine} column (pair model and gate) replaced by the
   * query's best cosine's rank in the store's null (a), or by it minus the null's median (b);
   * nested with the column as it is.
   */
  static void swap(
      List<RelevanceFit.Prompt> prompts,
      float[][] qv,
      Map<String, float[]> mem,
      List<List<String>> pairMem,
      Map<String, double[]> nulls) {
    int col = RelevanceFit.featureNamesPublic().indexOf("best_cosine");
    List<RelevanceFit.Prompt> rank = new ArrayList<>();
    List<RelevanceFit.Prompt> median = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      RelevanceFit.Prompt q = prompts.get(i);
      double[] n = nulls.get(q.project());
      double best = Double.NEGATIVE_INFINITY;
      for (String key : pairMem.get(i)) {
        best = Math.max(best, TokenMaxSimFit.dot(qv[i], mem.get(key)));
      }
      double r = nullRank(n, best);
      double m = best - n[n.length / 2];
      List<RelevanceFit.Pair> a = new ArrayList<>();
      List<RelevanceFit.Pair> b = new ArrayList<>();
      for (RelevanceFit.Pair p : q.pairs()) {
        double[] va = p.x().clone();
        va[col] = r;
        a.add(new RelevanceFit.Pair(p.relevant(), va, p.memory()));
        double[] vb = p.x().clone();
        vb[col] = m;
        b.add(new RelevanceFit.Pair(p.relevant(), vb, p.memory()));
      }
      rank.add(new RelevanceFit.Prompt(q.project(), q.answerable(), q.relevantCount(), a));
      median.add(new RelevanceFit.Prompt(q.project(), q.answerable(), q.relevantCount(), b));
    }
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    TokenMaxSimFit.header();
    TokenMaxSimFit.run("base+local, gate s11 (baseline, shipped)", Map.of("base+local", prompts));
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    options.put("base+local", prompts);
    options.put("base+local@rank", rank);
    options.put("base+local@median", median);
    TokenMaxSimFit.run(
        "nested choice: best_cosine as is, its null rank, minus the null median", options);
    TokenMaxSimFit.run("null rank fixed (post hoc)", Map.of("base+local@rank", rank));
    TokenMaxSimFit.run("minus null median fixed (post hoc)", Map.of("base+local@median", median));
  }
}
