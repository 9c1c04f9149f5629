package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import dev.omem.embed.WordPieceTokenizer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Session 14 (issue 13): late interaction with the shipped bge model's token states as pair
 * features, by the protocol written before the run in docs/relevance/threshold-rule.md ("Session
 * 14"). Per pair: ColBERT's MaxSim over the prompt's content word pieces ({@code late_maxsim}), it
 * minus the prompt's best, an idf-weighted MaxSim over all its pieces ({@code late_idf}, idf among
 * the project's memories' pieces), and the share of content pieces whose best cosine reaches τ.
 * They ride in four columns {@code base+local} does not read ({@link #CARRIERS}: the background
 * features, which no shipped set reads and the gate does not read), so {@link RelevanceFit}'s
 * nested fit (set and λ by inner leave-one-project-out log loss, session 11's gate, thresholds by
 * the rule) runs unchanged. Prints the baseline, the nested choice, each set fixed (λ nested; post
 * hoc), and the CPU the features would cost per search when the candidates' states are computed
 * then.
 *
 * <p>Run: java -Xmx3g -cp target/classes:target/test-classes:target/omem.jar
 * dev.omem.bench.TokenMaxSimFit --data ../shared/bench/coding-recall-dev.json --cache
 * &lt;dir&gt;/pairs.tsv (the cache and its .ids written by RelevanceFit --cache).
 */
public final class TokenMaxSimFit {
  /** Feature columns base+local and the s11 gate do not read, in the order of {@link #extra}. */
  static final List<String> CARRIERS =
      List.of(
          "cosine_minus_background",
          "best_minus_background",
          "best_minus_background_nearest",
          "memory_hubness");

  /** The share thresholds of {@code late_share_τ} (written before the run). */
  static final double[] TAUS = {0.7, 0.8, 0.9};

  private TokenMaxSimFit() {}

  /** One text's pieces: their ids (no [CLS]/[SEP]), unit states, and which are content pieces. */
  record Pieces(long[] ids, float[][] states, boolean[] content) {}

  public static void main(String[] args) throws Exception {
    var o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.get("data"));
    List<RelevanceFit.Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceProbe.Texts t = RelevanceProbe.Texts.read(data);
    if (Boolean.parseBoolean(o.getOrDefault("prf", "false"))) {
      prf(prompts, t, cache);
      return;
    }
    WordPieceTokenizer tok =
        WordPieceTokenizer.fromResource(ModelCatalog.DEFAULT.tokenizerResource());
    Map<Long, String> vocab = vocabulary(ModelCatalog.DEFAULT.tokenizerResource());
    Map<String, Pieces> mem = new HashMap<>();
    List<Pieces> qp = new ArrayList<>();
    long t0 = System.nanoTime();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (var en : t.memories().entrySet()) {
        mem.put(en.getKey(), pieces(e, tok, vocab, en.getValue()));
      }
      for (String p : t.prompts()) {
        qp.add(pieces(e, tok, vocab, p));
      }
      cost(e, t);
    }
    System.err.printf(Locale.ROOT, "token states in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    // Each project's piece document frequencies over its memories.
    Map<String, Map<Long, Integer>> df = new HashMap<>();
    Map<String, Integer> nMem = new HashMap<>();
    for (var en : mem.entrySet()) {
      String project = en.getKey().substring(0, en.getKey().indexOf('/'));
      nMem.merge(project, 1, Integer::sum);
      Map<Long, Integer> d = df.computeIfAbsent(project, k -> new HashMap<>());
      Set<Long> seen = new HashSet<>();
      for (long id : en.getValue().ids()) {
        if (seen.add(id)) {
          d.merge(id, 1, Integer::sum);
        }
      }
    }
    List<List<String>> pairMem = pairMemories(cache, prompts.size());
    List<String> names = RelevanceFit.featureNamesPublic();
    int[] carrier = CARRIERS.stream().mapToInt(names::indexOf).toArray();
    // Variants: the share column holds late_share_τ for one τ; one copy of the pairs per τ.
    Map<Double, List<RelevanceFit.Prompt>> byTau = new LinkedHashMap<>();
    for (double tau : TAUS) {
      List<RelevanceFit.Prompt> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        RelevanceFit.Prompt q = prompts.get(i);
        String project = q.project();
        double[][] x = new double[q.pairs().size()][];
        for (int j = 0; j < x.length; j++) {
          x[j] =
              extra(
                  qp.get(i),
                  mem.get(pairMem.get(i).get(j)),
                  df.get(project),
                  nMem.get(project),
                  tau);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double[] v : x) {
          best = Math.max(best, v[0]);
        }
        List<RelevanceFit.Pair> pairs = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
          RelevanceFit.Pair p = q.pairs().get(j);
          double[] v = p.x().clone();
          v[carrier[0]] = x[j][0];
          v[carrier[1]] = x[j][0] - best;
          v[carrier[2]] = x[j][1];
          v[carrier[3]] = x[j][2];
          pairs.add(new RelevanceFit.Pair(p.relevant(), v, p.memory()));
        }
        out.add(new RelevanceFit.Prompt(project, q.answerable(), q.relevantCount(), pairs));
      }
      byTau.put(tau, out);
    }
    List<String> base = RelevanceFit.FEATURE_SETS.get("base+local");
    List<String> a = RelevanceFit.concat(base, CARRIERS.subList(0, 2));
    RelevanceFit.FEATURE_SETS.put("late-a", a);
    RelevanceFit.FEATURE_SETS.put("late-idf", RelevanceFit.concat(a, List.of(CARRIERS.get(2))));
    RelevanceFit.FEATURE_SETS.put("late-share", RelevanceFit.concat(a, List.of(CARRIERS.get(3))));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    List<RelevanceFit.Prompt> any = byTau.get(TAUS[0]);
    header();
    run("base+local, gate s11 (baseline, shipped)", Map.of("base+local", any));
    // The nested choice: six (set, data) options, chosen per fold with λ by inner log loss.
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    options.put("base+local", any);
    options.put("late-a", any);
    options.put("late-idf", any);
    for (double tau : TAUS) {
      options.put("late-share@" + tau, byTau.get(tau));
    }
    run("nested choice among base+local and the five late sets", options);
    // Each set fixed, λ nested (post hoc: shown, not used to choose).
    for (var en : options.entrySet()) {
      if (!en.getKey().equals("base+local")) {
        run(en.getKey() + " fixed (post hoc)", Map.of(en.getKey(), en.getValue()));
      }
    }
  }

  /** The header of {@link #run}'s table. */
  static void header() {
    System.out.println(
        "| pair model | sets chosen | first place | no floor recall@5 / MRR | hook hit | precision"
            + " (n) | quiet | recall@5 | MRR | abstention | ECE | Brier |");
    System.out.println("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  }

  /**
   * Outer leave-one-project-out over the options (set name → the pairs it reads; a set name
   * "late-share@τ" reads the set "late-share" on that τ's pairs): in each fold the option and λ
   * with the lowest inner log loss, then the s11 gate and the thresholds as RelevanceFit nests
   * them.
   */
  static void run(String label, Map<String, List<RelevanceFit.Prompt>> options) {
    Map<String, java.util.function.Function<String, List<RelevanceFit.Prompt>>> perFold =
        new LinkedHashMap<>();
    options.forEach((k, v) -> perFold.put(k, p -> v));
    runPerFold(label, perFold);
  }

  /**
   * {@link #run} where an option's pairs depend on the outer fold (the left-out project given):
   * features learned from the training projects (WordPairFit).
   */
  static void runPerFold(
      String label,
      Map<String, java.util.function.Function<String, List<RelevanceFit.Prompt>>> options) {
    List<String> projects =
        options.values().iterator().next().apply("").stream()
            .map(RelevanceFit.Prompt::project)
            .distinct()
            .sorted()
            .toList();
    List<RelevanceFit.Scored> leftOut = new ArrayList<>();
    Map<String, RelevanceFit.Metrics> per = new LinkedHashMap<>();
    List<String> chosen = new ArrayList<>();
    for (String p : projects) {
      double bestLoss = Double.POSITIVE_INFINITY;
      String bestOption = null;
      for (var en : options.entrySet()) {
        String set = en.getKey().replaceAll("@.*", "");
        double loss = innerLoss(en.getValue().apply(p), p, set);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestOption = en.getKey();
        }
      }
      List<RelevanceFit.Prompt> all = options.get(bestOption).apply(p);
      RelevanceFit.SETS = List.of(bestOption.replaceAll("@.*", ""));
      List<RelevanceFit.Prompt> train = all.stream().filter(q -> !q.project().equals(p)).toList();
      RelevanceFit.Fold f = RelevanceFit.fold(train);
      chosen.add(bestOption);
      List<RelevanceFit.Scored> mine = new ArrayList<>();
      for (RelevanceFit.Prompt q : all) {
        if (q.project().equals(p)) {
          mine.add(new RelevanceFit.Scored(q, RelevanceFit.predict(f.model(), q)));
        }
      }
      leftOut.addAll(mine);
      per.put(p, RelevanceFit.Metrics.of(mine, f.model().hookThreshold(), f.model().searchFloor()));
    }
    RelevanceFit.Metrics m = RelevanceFit.Metrics.pooled(per.values());
    RelevanceFit.Metrics unfloored = RelevanceFit.Metrics.of(leftOut, 1.01, 0);
    Map<String, Integer> counts = new LinkedHashMap<>();
    chosen.forEach(c -> counts.merge(c, 1, Integer::sum));
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %.3f | %.3f / %.3f | %.3f | %.3f (%d) | %.3f | %.3f | %.3f | %.3f | %.3f |"
            + " %.3f |%n",
        label,
        counts,
        firstPlace(leftOut),
        unfloored.recall5(),
        unfloored.mrr(),
        m.hit(),
        m.precision(),
        m.injected(),
        m.quiet(),
        m.recall5(),
        m.mrr(),
        m.abstention(),
        m.ece(),
        m.brier());
  }

  /**
   * The best inner leave-one-project-out log loss (over λ) of a set, the project {@code out} out.
   */
  private static double innerLoss(List<RelevanceFit.Prompt> all, String out, String set) {
    List<RelevanceFit.Prompt> train = all.stream().filter(q -> !q.project().equals(out)).toList();
    List<String> inner = train.stream().map(RelevanceFit.Prompt::project).distinct().toList();
    double best = Double.POSITIVE_INFINITY;
    for (double lambda : new double[] {0.1, 1, 10, 100, 1000}) {
      double loss = 0;
      int n = 0;
      for (String ip : inner) {
        var m =
            RelevanceFit.fit(
                train.stream().filter(q -> !q.project().equals(ip)).toList(),
                RelevanceFit.FEATURE_SETS.get(set),
                lambda,
                0.5,
                0.5);
        for (RelevanceFit.Prompt q : train) {
          if (q.project().equals(ip)) {
            double[] pr = RelevanceFit.predict(m, q);
            for (int i = 0; i < pr.length; i++) {
              double v = Math.min(1 - 1e-9, Math.max(1e-9, pr[i]));
              loss -= q.pairs().get(i).relevant() ? Math.log(v) : Math.log(1 - v);
              n++;
            }
          }
        }
      }
      best = Math.min(best, loss / n);
    }
    return best;
  }

  /**
   * {@code late_maxsim} (mean best cosine over the prompt's content pieces; all its pieces when it
   * has none), {@code late_idf} (the same over all pieces, idf-weighted), {@code late_share_τ}.
   */
  static double[] extra(Pieces q, Pieces m, Map<Long, Integer> df, int n, double tau) {
    int len = q.ids().length;
    if (len == 0 || m.ids().length == 0) {
      return new double[3];
    }
    double[] best = new double[len];
    for (int i = 0; i < len; i++) {
      double b = -1;
      for (float[] s : m.states()) {
        b = Math.max(b, dot(q.states()[i], s));
      }
      best[i] = b;
    }
    boolean any = false;
    for (boolean c : q.content()) {
      any |= c;
    }
    double sum = 0;
    int count = 0;
    int above = 0;
    double idfSum = 0;
    double idfW = 0;
    for (int i = 0; i < len; i++) {
      if (!any || q.content()[i]) {
        sum += best[i];
        count++;
        above += best[i] >= tau ? 1 : 0;
      }
      double idf = Math.log((n + 1.0) / (df.getOrDefault(q.ids()[i], 0) + 0.5));
      idfSum += idf * best[i];
      idfW += idf;
    }
    return new double[] {sum / count, idfW == 0 ? 0 : idfSum / idfW, (double) above / count};
  }

  /** The dot product, summed in double (every fit's cosine of unit vectors). */
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int d = 0; d < a.length; d++) {
      s += a[d] * b[d];
    }
    return s;
  }

  /** A text's pieces as the model reads it, with its token states and content flags. */
  static Pieces pieces(
      OnnxEmbedder e, WordPieceTokenizer tok, Map<Long, String> vocab, String text) {
    long[] all = tok.encode(text, ModelCatalog.DEFAULT.maxTokens()).ids();
    long[] ids = java.util.Arrays.copyOfRange(all, 1, Math.max(1, all.length - 1));
    float[][] states = e.tokenVectors(text);
    if (states.length != ids.length) {
      throw new IllegalStateException(states.length + " states for " + ids.length + " pieces");
    }
    return new Pieces(ids, states, content(ids, vocab));
  }

  /**
   * Which pieces belong to a content word: a word is a first piece and its "##" continuations; it
   * counts when it holds a letter or digit, is at least two characters and is not one of Lucene's
   * English stop words (RelevanceFeatures' test for a query's content words).
   */
  static boolean[] content(long[] ids, Map<Long, String> vocab) {
    boolean[] out = new boolean[ids.length];
    int i = 0;
    while (i < ids.length) {
      int j = i + 1;
      StringBuilder word = new StringBuilder(vocab.getOrDefault(ids[i], ""));
      while (j < ids.length && vocab.getOrDefault(ids[j], "").startsWith("##")) {
        word.append(vocab.get(ids[j]).substring(2));
        j++;
      }
      String w = word.toString();
      boolean c =
          w.length() >= 2
              && w.chars().anyMatch(Character::isLetterOrDigit)
              && !EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(w);
      for (int k = i; k < j; k++) {
        out[k] = c;
      }
      i = j;
    }
    return out;
  }

  /** id → piece, from the tokenizer file's WordPiece vocabulary. */
  static Map<Long, String> vocabulary(String resource) throws java.io.IOException {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    try (InputStream in = TokenMaxSimFit.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no tokenizer " + resource);
      }
      JsonNode v = new ObjectMapper().readTree(in).get("model").get("vocab");
      Map<Long, String> out = new HashMap<>();
      v.properties().forEach(f -> out.put(f.getValue().asLong(), f.getKey()));
      return out;
    }
  }

  /**
   * The CPU a search would add computing its candidates' states then: the process CPU (ONNX
   * Runtime's threads included) of one prompt's states and of 50 memories' (one at a time, as
   * {@link OnnxEmbedder#tokenVectors} runs), and of the 50 MaxSims, averaged over 10 prompts; and
   * what keeping the states at store time would take (pieces per memory x 384 floats).
   */
  static void cost(OnnxEmbedder e, RelevanceProbe.Texts t) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<String> mems = new ArrayList<>(t.memories().values());
    mems.sort(null);
    List<String> fifty = mems.subList(0, 50);
    double qCpu = 0, mCpu = 0, simCpu = 0;
    int rounds = 10;
    long pieces = 0;
    for (int r = 0; r < rounds; r++) {
      long c0 = os.getProcessCpuTime();
      float[][] q = e.tokenVectors(t.prompts().get(r * 37 % t.prompts().size()));
      long c1 = os.getProcessCpuTime();
      List<float[][]> ms = new ArrayList<>();
      for (String m : fifty) {
        ms.add(e.tokenVectors(m));
      }
      long c2 = os.getProcessCpuTime();
      double sink = 0;
      for (float[][] m : ms) {
        for (float[] a : q) {
          double b = -1;
          for (float[] s : m) {
            b = Math.max(b, dot(a, s));
          }
          sink += b;
        }
      }
      long c3 = os.getProcessCpuTime();
      qCpu += (c1 - c0) / 1e6;
      mCpu += (c2 - c1) / 1e6;
      simCpu += (c3 - c2) / 1e6 + (sink == 42 ? 1 : 0);
    }
    for (String m : mems) {
      pieces += e.tokenVectors(m).length;
    }
    System.out.printf(
        Locale.ROOT,
        "CPU per search (process, mean of %d): prompt states %.1f ms, 50 memories' states %.1f ms,"
            + " 50 MaxSims %.1f ms; store-time states: %.1f pieces per memory = %.1f KB per memory"
            + " as float32 (%.1f KB as int8)%n",
        rounds,
        qCpu / rounds,
        mCpu / rounds,
        simCpu / rounds,
        (double) pieces / mems.size(),
        pieces * 384.0 * 4 / mems.size() / 1024,
        pieces * 384.0 / mems.size() / 1024);
  }

  /** Share of the answerable prompts whose most probable candidate is relevant. */
  static double firstPlace(List<RelevanceFit.Scored> scored) {
    int first = 0;
    int answerable = 0;
    for (RelevanceFit.Scored s : scored) {
      if (s.prompt().answerable()) {
        answerable++;
        first += s.prompt().pairs().get(s.order().get(0)).relevant() ? 1 : 0;
      }
    }
    return (double) first / answerable;
  }

  /**
   * Each prompt's candidates' memories ("project/id"), from the cache's .ids file, in pair order.
   */
  static List<List<String>> pairMemories(Path cache, int prompts) throws java.io.IOException {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < prompts; i++) {
      out.add(new ArrayList<>());
    }
    for (String line : Files.readAllLines(Path.of(cache + ".ids"))) {
      String[] f = line.split("\t", -1);
      out.get(Integer.parseInt(f[1])).add(f[0] + "/" + f[2]);
    }
    return out;
  }

  /** How many of the query's best candidates (by the fused ranking) feed its expansion. */
  static final int PRF_TOP = 3;

  /**
   * Session 14's second candidate: {@code prf_cosine} (the memory's cosine to the query vector plus
   * the mean of its {@link #PRF_TOP} best candidates' vectors, renormalised) and that minus the
   * query's best, in the first two carriers; base+local against base+local plus them, nested.
   */
  static void prf(List<RelevanceFit.Prompt> prompts, RelevanceProbe.Texts t, Path cache)
      throws Exception {
    Map<String, float[]> mem = new HashMap<>();
    float[][] qv = new float[prompts.size()][];
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (var en : t.memories().entrySet()) {
        mem.put(en.getKey(), e.embedDocuments(List.of(en.getValue())).get(0));
      }
      for (int i = 0; i < prompts.size(); i++) {
        qv[i] = e.embedQuery(t.prompts().get(i));
      }
    }
    List<List<String>> pairMem = pairMemories(cache, prompts.size());
    List<String> names = RelevanceFit.featureNamesPublic();
    int rank = names.indexOf("log_fused_rank");
    int[] carrier = CARRIERS.stream().mapToInt(names::indexOf).toArray();
    List<RelevanceFit.Prompt> out = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      RelevanceFit.Prompt q = prompts.get(i);
      int n = q.pairs().size();
      double[] c = new double[n];
      if (n > 0) {
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
          order[j] = j;
        }
        java.util.Arrays.sort(
            order, java.util.Comparator.comparingDouble(j -> q.pairs().get(j).x()[rank]));
        double[] e = new double[qv[i].length];
        int k = Math.min(PRF_TOP, n);
        for (int r = 0; r < k; r++) {
          float[] v = mem.get(pairMem.get(i).get(order[r]));
          for (int d = 0; d < e.length; d++) {
            e[d] += v[d] / k;
          }
        }
        double norm = 0;
        for (int d = 0; d < e.length; d++) {
          e[d] += qv[i][d];
          norm += e[d] * e[d];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < n; j++) {
          float[] v = mem.get(pairMem.get(i).get(j));
          double s = 0;
          for (int d = 0; d < e.length; d++) {
            s += e[d] * v[d];
          }
          c[j] = s / norm;
        }
      }
      out.add(withCarriers(q, c, carrier));
    }
    RelevanceFit.FEATURE_SETS.put(
        "prf",
        RelevanceFit.concat(RelevanceFit.FEATURE_SETS.get("base+local"), CARRIERS.subList(0, 2)));
    RelevanceFit.GATE_SET_NAMES = List.of("s11");
    header();
    run("base+local, gate s11 (baseline, shipped)", Map.of("base+local", out));
    Map<String, List<RelevanceFit.Prompt>> options = new LinkedHashMap<>();
    options.put("base+local", out);
    options.put("prf", out);
    run("nested choice between base+local and + prf_cosine", options);
    run("prf fixed (post hoc)", Map.of("prf", out));
  }

  /**
   * {@code q} with its pairs' two carrier features set: each pair's score {@code c[j]} and its gap
   * to the prompt's best (also {@link QueryPiecesFit}'s way in).
   */
  static RelevanceFit.Prompt withCarriers(RelevanceFit.Prompt q, double[] c, int[] carrier) {
    double best = java.util.Arrays.stream(c).max().orElse(0);
    List<RelevanceFit.Pair> pairs = new ArrayList<>();
    for (int j = 0; j < c.length; j++) {
      RelevanceFit.Pair p = q.pairs().get(j);
      double[] v = p.x().clone();
      v[carrier[0]] = c[j];
      v[carrier[1]] = c[j] - best;
      pairs.add(new RelevanceFit.Pair(p.relevant(), v, p.memory()));
    }
    return new RelevanceFit.Prompt(q.project(), q.answerable(), q.relevantCount(), pairs);
  }
}
