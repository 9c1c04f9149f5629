package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.bench.LateInteractionFit.Fold;
import dev.omem.bench.RelevanceFit.Metrics;
import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Session 11 (issue 13): where the separation is lost, and what raises it, by the nested
 * leave-one-project-out protocol of {@link RelevanceFit} over its cached pairs
 * (scripts/fit-relevance --cache). Three parts, every figure outer left-out:
 *
 * <ol>
 *   <li>{@code --what analysis}: answerable prompts whose relevant memory is not among the
 *       candidates (pool miss), in the pool below the hook threshold, above it; and the features of
 *       unrelated prompts' best candidates against answerable prompts' relevant ones.
 *   <li>{@code --what features}: new pairwise features joined to the cached pairs (best cosine of
 *       the query against one sentence of a memory, whole-token identifier matches, coverage of the
 *       query's rare words by store-level rarity, margins to the prompt's best candidate), each
 *       group added to the shipped set, and a fold that lets inner CV pick among them.
 *   <li>{@code --what mlp}: a one-hidden-layer network ({@link Mlp}) against the logistic model on
 *       the same features; {@code --what gate}: a prompt-level gate (is this prompt answerable from
 *       this store?) over the candidates' score distribution, multiplied into the pair score.
 * </ol>
 *
 * <p>Run: java -cp target/classes:target/test-classes:target/omem.jar dev.omem.bench.RelevanceProbe
 * --cache target/s11/pairs.tsv --what analysis|features|mlp|gate
 */
public final class RelevanceProbe {
  private RelevanceProbe() {}

  /** The extra features, in the order they are appended to each cached pair's vector. */
  static final List<String> EXTRA =
      List.of(
          "sentence_cosine", // the query's best cosine against one sentence (or the whole) memory
          "sentence_minus_best", // against the prompt's best candidate by the same
          "identifier_matches", // ln(1 + the query's identifiers found whole in the memory)
          "identifier_share", // share of the query's identifiers found whole (0 without any)
          "rare_coverage", // coverage of the query's words weighted by their rarity in the store
          "coverage_minus_best", // coverage minus the prompt's best coverage
          "idf_coverage_minus_best", // the same for idf_coverage (rarity among the candidates)
          "rare_coverage_minus_best"); // the same for rare_coverage

  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?;])\\s+|\\s+[—–-]\\s+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    List<Prompt> prompts = RelevanceFit.readCachePublic(cache);
    List<String> names = RelevanceFit.featureNamesPublic();
    int[] base = LateInteractionFit.cols(names, RelevanceFit.FEATURE_SETS.get("base+local"));
    String what = o.getOrDefault("what", "analysis");
    gateWithNewFeatures = o.getOrDefault("gate-features", "all").equals("all");
    List<Prompt> extended = extend(prompts, cache, data, what.equals("analysis") ? null : "bge");
    int n = names.size();
    Function<String, Integer> col =
        f -> names.contains(f) ? names.indexOf(f) : n + EXTRA.indexOf(f);
    switch (what) {
      case "analysis" -> analysis(extended, base, col);
      case "features" -> {
        header();
        LateInteractionFit.report("base+local (shipped)", extended, base);
        Map<String, int[]> groups = groups(base, col);
        for (var e : groups.entrySet()) {
          LateInteractionFit.report(e.getKey(), extended, e.getValue());
        }
      }
      case "mlp" -> {
        int[] cols = o.containsKey("set") ? groups(base, col).get(o.get("set")) : base;
        header();
        LateInteractionFit.report("logistic", extended, cols);
        for (String h : o.getOrDefault("hidden", "4,8").split(",")) {
          reportMlp("MLP, " + h + " hidden", extended, cols, Integer.parseInt(h));
        }
      }
      case "gate" -> {
        int[] cols = o.containsKey("set") ? groups(base, col).get(o.get("set")) : base;
        header();
        LateInteractionFit.report("logistic, no gate", extended, cols);
        reportGate("logistic x prompt gate", extended, cols, col);
      }
      case "pick" -> {
        Map<String, int[]> sets = new java.util.LinkedHashMap<>();
        sets.put("base+local", base);
        for (String g :
            o.getOrDefault("sets", String.join(",", groups(base, col).keySet())).split(",")) {
          sets.put(g, groups(base, col).get(g));
        }
        header();
        reportPicked("set and λ by inner CV among " + sets.keySet(), extended, sets);
      }
      default -> throw new IllegalArgumentException("--what analysis|features|mlp|gate|pick");
    }
  }

  private static void header() {
    System.out.println(
        "| model / features | prompt AUC | pair AUC | no floor recall@5 / MRR | hook hit |"
            + " precision (n) | quiet | recall@5 | MRR | abstention |");
    System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
  }

  static Map<String, int[]> groups(int[] base, Function<String, Integer> col) {
    Map<String, int[]> g = new java.util.LinkedHashMap<>();
    g.put("+ sentence cosine", with(base, col, "sentence_cosine", "sentence_minus_best"));
    g.put("+ identifiers whole", with(base, col, "identifier_matches", "identifier_share"));
    g.put("+ rare coverage", with(base, col, "rare_coverage", "rare_coverage_minus_best"));
    g.put(
        "+ coverage margins",
        with(base, col, "idf_coverage", "coverage_minus_best", "idf_coverage_minus_best"));
    g.put("+ all new", with(base, col, EXTRA.toArray(String[]::new)));
    g.put(
        "+ all new but the sentence cosine",
        with(base, col, EXTRA.subList(2, EXTRA.size()).toArray(String[]::new)));
    return g;
  }

  private static int[] with(int[] base, Function<String, Integer> col, String... more) {
    return LateInteractionFit.append(base, Arrays.stream(more).mapToInt(col::apply).toArray());
  }

  /** The lane's texts: each prompt in the cache's order, each memory by "project/id". */
  record Texts(
      List<String> prompts, Map<String, String> memories, Map<String, List<String>> byProject) {
    static Texts read(Path data) throws java.io.IOException {
      JsonNode root = new ObjectMapper().readTree(data.toFile());
      List<String> promptText = new ArrayList<>();
      Map<String, String> memoryText = new HashMap<>();
      Map<String, List<String>> byProject = new HashMap<>();
      for (JsonNode project : root.get("projects")) {
        String pid = project.get("id").asText();
        for (JsonNode m : project.get("memories")) {
          memoryText.put(pid + "/" + m.get("id").asText(), m.get("text").asText());
          byProject.computeIfAbsent(pid, k -> new ArrayList<>()).add(m.get("text").asText());
        }
        for (JsonNode q : project.get("prompts")) {
          promptText.add(q.get("text").asText());
        }
      }
      return new Texts(promptText, memoryText, byProject);
    }
  }

  /** The cached pairs with {@link #EXTRA} appended (the sentence cosines only with a model). */
  static List<Prompt> extend(List<Prompt> prompts, Path cache, Path data, String model)
      throws Exception {
    List<String[]> ids = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(cache + ".ids"))) {
      ids.add(line.split("\t", -1));
    }
    Texts t = Texts.read(data);
    if (t.prompts().size() != prompts.size()) {
      throw new IllegalStateException(t.prompts().size() + " prompts vs " + prompts.size());
    }
    Map<String, float[]> queryVec = new HashMap<>();
    Map<String, float[][]> sentenceVec = new HashMap<>();
    if (model != null) {
      long t0 = System.nanoTime();
      try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
        for (var en : t.memories().entrySet()) {
          List<String> pieces = sentences(en.getValue());
          sentenceVec.put(en.getKey(), e.embedDocuments(pieces).toArray(float[][]::new));
        }
        for (int i = 0; i < t.prompts().size(); i++) {
          queryVec.put("Q" + i, e.embedQuery(t.prompts().get(i)));
        }
      }
      System.err.printf(
          Locale.ROOT, "sentence vectors in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
    Map<String, Map<String, Integer>> storeDf = new HashMap<>();
    for (var en : t.byProject().entrySet()) {
      Map<String, Integer> df = new HashMap<>();
      for (String text : en.getValue()) {
        for (String w : contentWords(text, false)) {
          df.merge(w, 1, Integer::sum);
        }
      }
      storeDf.put(en.getKey(), df);
    }
    List<String> names = RelevanceFit.featureNamesPublic();
    int coverage = names.indexOf("coverage");
    int idfCoverage = names.indexOf("idf_coverage");
    List<Prompt> out = new ArrayList<>();
    int k = 0;
    for (int i = 0; i < prompts.size(); i++) {
      Prompt q = prompts.get(i);
      String query = t.prompts().get(i);
      Set<String> qIds = identifiers(query);
      Set<String> qWords = contentWords(dev.omem.retrieve.QueryReaderAccess.keywords(query), true);
      int m = q.pairs().size();
      double[][] extra = new double[m][EXTRA.size()];
      String project = q.project();
      Map<String, Integer> df = storeDf.get(project);
      int docs = t.byProject().get(project).size();
      for (int j = 0; j < m; j++, k++) {
        String[] id = ids.get(k);
        if (Integer.parseInt(id[1]) != i) {
          throw new IllegalStateException("ids out of step at " + k);
        }
        String key = id[0] + "/" + id[2];
        String text = t.memories().get(key);
        if (model != null) {
          float[] qv = queryVec.get("Q" + i);
          double best = -1;
          for (float[] sv : sentenceVec.get(key)) {
            best = Math.max(best, TokenMaxSimFit.dot(qv, sv));
          }
          extra[j][0] = best;
        }
        Set<String> mIds = tokensWhole(text);
        int found = 0;
        for (String w : qIds) {
          found += mIds.contains(w) ? 1 : 0;
        }
        extra[j][2] = Math.log(1 + found);
        extra[j][3] = qIds.isEmpty() ? 0 : (double) found / qIds.size();
        extra[j][4] = rareCoverage(qWords, contentWords(text, false), df, docs);
      }
      double bestSentence = max(extra, 0);
      double bestCov = 0, bestIdf = 0;
      for (Pair p : q.pairs()) {
        bestCov = Math.max(bestCov, p.x()[coverage]);
        bestIdf = Math.max(bestIdf, p.x()[idfCoverage]);
      }
      double bestRare = max(extra, 4);
      List<Pair> pairs = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        Pair p = q.pairs().get(j);
        extra[j][1] = extra[j][0] - bestSentence;
        extra[j][5] = p.x()[coverage] - bestCov;
        extra[j][6] = p.x()[idfCoverage] - bestIdf;
        extra[j][7] = extra[j][4] - bestRare;
        double[] x = Arrays.copyOf(p.x(), p.x().length + EXTRA.size());
        System.arraycopy(extra[j], 0, x, p.x().length, EXTRA.size());
        pairs.add(new Pair(p.relevant(), x, ids.get(k - m + j)[2]));
      }
      out.add(new Prompt(q.project(), q.answerable(), q.relevantCount(), pairs));
    }
    return out;
  }

  private static double max(double[][] rows, int c) {
    double b = Double.NEGATIVE_INFINITY;
    for (double[] r : rows) {
      b = Math.max(b, r[c]);
    }
    return rows.length == 0 ? 0 : b;
  }

  /** A memory's sentences and clauses, with the whole text first (one-sentence memories too). */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    out.add(text);
    for (String s : SENTENCE.split(text)) {
      if (s.strip().length() >= 12 && !s.strip().equals(text.strip())) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /**
   * The query's identifiers, paths, flags, error codes and versions: whitespace-separated tokens,
   * stripped of quotes and trailing punctuation, that hold a joiner inside ({@code _ . / : @ -}),
   * start with a dash, mix letters and digits, or have a camelCase hump; lower-cased.
   */
  static Set<String> identifiers(String text) {
    Set<String> out = new HashSet<>();
    for (String raw : WHITESPACE.split(text)) {
      String w = strip(raw);
      if (w.length() < 2) {
        continue;
      }
      boolean joiner =
          w.substring(1, w.length() - 1).chars().anyMatch(c -> "_./:@-".indexOf(c) >= 0);
      boolean flag = w.startsWith("-") && w.length() > 2;
      boolean digits =
          w.chars().anyMatch(Character::isDigit) && w.chars().anyMatch(Character::isLetter);
      boolean camel = Pattern.compile("\\p{Ll}\\p{Lu}").matcher(w).find();
      boolean upper =
          w.length() >= 3
              && w.equals(w.toUpperCase(Locale.ROOT))
              && w.chars().allMatch(c -> Character.isLetter(c) || c == '_');
      if (joiner || flag || digits || camel || upper) {
        out.add(w.toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  /** Every whitespace-separated token of a text, stripped as {@link #identifiers}, lower-cased. */
  static Set<String> tokensWhole(String text) {
    Set<String> out = new HashSet<>();
    for (String raw : WHITESPACE.split(text)) {
      String w = strip(raw);
      if (!w.isEmpty()) {
        out.add(w.toLowerCase(Locale.ROOT));
        // A path's last parts too: "src/main/App.tsx" holds "App.tsx".
        int slash = w.lastIndexOf('/');
        if (slash >= 0 && slash < w.length() - 1) {
          out.add(w.substring(slash + 1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  private static String strip(String raw) {
    int a = 0, b = raw.length();
    while (a < b && "`'\"([{<,;".indexOf(raw.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && "`'\")]}>,;:.?!".indexOf(raw.charAt(b - 1)) >= 0) {
      b--;
    }
    return raw.substring(a, b);
  }

  /** Coverage of the query's words, each weighted by its idf among the store's memories. */
  static double rareCoverage(
      Set<String> query, Set<String> memory, Map<String, Integer> df, int docs) {
    double total = 0, held = 0;
    for (String w : query) {
      double idf = Math.log((docs + 1.0) / (df.getOrDefault(w, 0) + 0.5));
      total += idf;
      held += memory.contains(w) ? idf : 0;
    }
    return total == 0 ? 0 : held / total;
  }

  static Set<String> contentWords(String text, boolean dropStop) {
    return dev.omem.retrieve.QueryReaderAccess.contentWords(text, dropStop);
  }

  // ---------------------------------------------------------------- analysis

  static void analysis(List<Prompt> prompts, int[] base, Function<String, Integer> col) {
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    int answerable = 0, poolMiss = 0, poolPartial = 0, below = 0, above = 0, top1 = 0, top5 = 0;
    int unrelated = 0, unrelatedAbove = 0;
    String[] show = {
      "cosine",
      "cosine_minus_best",
      "best_cosine",
      "bm25",
      "coverage",
      "idf_coverage",
      "query_words_in_store",
      "gap_to_next"
    };
    List<double[]> relevantRows = new ArrayList<>(),
        topAnswerable = new ArrayList<>(),
        topUnrelated = new ArrayList<>();
    List<Double> pRel = new ArrayList<>(), pUnrel = new ArrayList<>();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = LateInteractionFit.fold(train, base);
      double hook = RelevanceFit.hookThreshold(f.inner());
      for (Prompt q : prompts) {
        if (!q.project().equals(p)) {
          continue;
        }
        Scored s = LateInteractionFit.score(f.model(), q);
        List<Integer> order = s.order();
        int top = order.get(0);
        if (q.answerable()) {
          answerable++;
          int inPool = (int) q.pairs().stream().filter(Pair::relevant).count();
          if (inPool == 0) {
            poolMiss++;
            continue;
          }
          poolPartial += inPool < q.relevantCount() ? 1 : 0;
          int bestRel = -1;
          for (int r = 0; r < order.size(); r++) {
            if (q.pairs().get(order.get(r)).relevant()) {
              bestRel = r;
              break;
            }
          }
          top1 += bestRel == 0 ? 1 : 0;
          top5 += bestRel < 5 ? 1 : 0;
          double pr = s.p()[order.get(bestRel)];
          pRel.add(pr);
          if (pr >= hook) {
            above++;
          } else {
            below++;
          }
          relevantRows.add(q.pairs().get(order.get(bestRel)).x());
          topAnswerable.add(q.pairs().get(top).x());
        } else {
          unrelated++;
          pUnrel.add(s.p()[top]);
          unrelatedAbove += s.p()[top] >= hook ? 1 : 0;
          topUnrelated.add(q.pairs().get(top).x());
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "answerable %d: pool miss %d (%.3f), pool partial %d; in pool, best relevant ranked first %d"
            + " (%.3f), in the top 5 %d (%.3f); its probability below the fold's hook threshold %d"
            + " (%.3f), at or above %d (%.3f)%n",
        answerable,
        poolMiss,
        (double) poolMiss / answerable,
        poolPartial,
        top1,
        (double) top1 / answerable,
        top5,
        (double) top5 / answerable,
        below,
        (double) below / answerable,
        above,
        (double) above / answerable);
    System.out.printf(
        Locale.ROOT,
        "unrelated %d: best candidate at or above the hook threshold %d (%.3f)%n%n",
        unrelated,
        unrelatedAbove,
        (double) unrelatedAbove / unrelated);
    System.out.println(
        "| feature (median [25%, 75%]) | answerable: best relevant candidate | answerable: top"
            + " candidate | unrelated: top candidate |");
    System.out.println("|---|---|---|---|");
    System.out.println("| left-out probability | " + quart(pRel) + " | | " + quart(pUnrel) + " |");
    for (String f : show) {
      int c = col.apply(f);
      System.out.println(
          "| "
              + f
              + " | "
              + quart(relevantRows.stream().map(x -> x[c]).toList())
              + " | "
              + quart(topAnswerable.stream().map(x -> x[c]).toList())
              + " | "
              + quart(topUnrelated.stream().map(x -> x[c]).toList())
              + " |");
    }
  }

  private static String quart(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%.3f [%.3f, %.3f]",
        a[a.length / 2],
        a[a.length / 4],
        a[Math.min(a.length - 1, 3 * a.length / 4)]);
  }

  /**
   * The feature set chosen per outer fold by inner leave-one-project-out log loss (each set with
   * its own λ by the same loss), as RelevanceFit chooses; prints which set each fold took.
   */
  static void reportPicked(String label, List<Prompt> prompts, Map<String, int[]> sets) {
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Scored> leftOut = new ArrayList<>();
    List<Metrics> per = new ArrayList<>();
    StringBuilder picks = new StringBuilder();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold best = null;
      String bestSet = null;
      double bestLoss = Double.POSITIVE_INFINITY;
      for (var e : sets.entrySet()) {
        Fold f = LateInteractionFit.fold(train, e.getValue());
        double loss = logLoss(f.inner());
        if (loss < bestLoss) {
          bestLoss = loss;
          best = f;
          bestSet = e.getKey();
        }
      }
      picks.append(p).append(": ").append(bestSet).append("; ");
      double hook = RelevanceFit.hookThreshold(best.inner());
      double floor = RelevanceFit.searchFloor(best.inner());
      List<Scored> mine = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          mine.add(LateInteractionFit.score(best.model(), q));
        }
      }
      leftOut.addAll(mine);
      per.add(Metrics.of(mine, hook, floor));
    }
    LateInteractionFit.print(label, leftOut, per);
    System.out.println();
    System.out.println("picked: " + picks);
  }

  static double logLoss(List<Scored> scored) {
    double loss = 0;
    int n = 0;
    for (Scored s : scored) {
      for (int i = 0; i < s.p().length; i++) {
        double v = Math.min(1 - 1e-9, Math.max(1e-9, s.p()[i]));
        loss -= s.prompt().pairs().get(i).relevant() ? Math.log(v) : Math.log(1 - v);
        n++;
      }
    }
    return loss / n;
  }

  // ---------------------------------------------------------------- the network

  private static final double[] MLP_LAMBDAS = {1, 30};
  private static final int EPOCHS = 300;

  /** The MLP's inner folds: the training projects in this many groups, each left out whole. */
  private static final int INNER_GROUPS = 4;

  static Mlp fitMlp(List<Prompt> train, int[] cols, int hidden, double lambda) {
    LateInteractionFit.Matrix m = LateInteractionFit.matrix(train, cols);
    return Mlp.fit(m.x(), m.y(), hidden, lambda, EPOCHS);
  }

  static Scored scoreMlp(Mlp m, Prompt q, int[] cols) {
    return new Scored(
        q,
        q.pairs().stream()
            .mapToDouble(
                p -> {
                  double[] v = new double[cols.length];
                  for (int j = 0; j < cols.length; j++) {
                    v[j] = p.x()[cols[j]];
                  }
                  return m.p(v);
                })
            .toArray());
  }

  static void reportMlp(String label, List<Prompt> prompts, int[] cols, int hidden) {
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Scored> leftOut = new ArrayList<>();
    List<Metrics> per = new ArrayList<>();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      List<String> inner = train.stream().map(Prompt::project).distinct().sorted().toList();
      // Inner folds: whole projects left out, in INNER_GROUPS groups (not eleven: CPU).
      Map<String, Integer> group = new HashMap<>();
      for (int i = 0; i < inner.size(); i++) {
        group.put(inner.get(i), i % INNER_GROUPS);
      }
      double bestLoss = Double.POSITIVE_INFINITY;
      double bestLambda = MLP_LAMBDAS[0];
      List<Scored> bestInner = null;
      for (double lambda : MLP_LAMBDAS) {
        List<Scored> in = new ArrayList<>();
        for (int ig = 0; ig < INNER_GROUPS; ig++) {
          final int g = ig;
          Mlp m =
              fitMlp(
                  train.stream().filter(q -> group.get(q.project()) != g).toList(),
                  cols,
                  hidden,
                  lambda);
          for (Prompt q : train) {
            if (group.get(q.project()) == g) {
              in.add(scoreMlp(m, q, cols));
            }
          }
        }
        double loss = logLoss(in);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestLambda = lambda;
          bestInner = in;
        }
      }
      Mlp m = fitMlp(train, cols, hidden, bestLambda);
      double hook = RelevanceFit.hookThreshold(bestInner);
      double floor = RelevanceFit.searchFloor(bestInner);
      List<Scored> mine = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          mine.add(scoreMlp(m, q, cols));
        }
      }
      System.err.printf(Locale.ROOT, "mlp fold %s: lambda %s%n", p, bestLambda);
      leftOut.addAll(mine);
      per.add(Metrics.of(mine, hook, floor));
    }
    LateInteractionFit.print(label, leftOut, per);
  }

  // ---------------------------------------------------------------- the prompt gate

  /** A prompt's gate features from its candidates' pair probabilities and features. */
  static double[] gateFeatures(Prompt q, double[] p, Function<String, Integer> col) {
    double[] s = p.clone();
    Arrays.sort(s);
    int m = s.length;
    double top = m > 0 ? s[m - 1] : 0, second = m > 1 ? s[m - 2] : 0;
    double mean5 = 0;
    for (int i = 0; i < Math.min(5, m); i++) {
      mean5 += s[m - 1 - i] / Math.min(5, m);
    }
    double cov = 0, idf = 0, sent = 0, ids = 0;
    for (Pair pr : q.pairs()) {
      cov = Math.max(cov, pr.x()[col.apply("coverage")]);
      idf = Math.max(idf, pr.x()[col.apply("idf_coverage")]);
      sent = Math.max(sent, pr.x()[col.apply("sentence_cosine")]);
      ids = Math.max(ids, pr.x()[col.apply("identifier_matches")]);
    }
    double bestCos = q.pairs().isEmpty() ? 0 : q.pairs().get(0).x()[col.apply("best_cosine")];
    double inStore =
        q.pairs().isEmpty() ? 0 : q.pairs().get(0).x()[col.apply("query_words_in_store")];
    double words = q.pairs().isEmpty() ? 0 : q.pairs().get(0).x()[col.apply("log_query_words")];
    double[] all = {
      logit(top),
      logit(top) - logit(second),
      logit(mean5),
      bestCos,
      inStore,
      words,
      cov,
      idf,
      sent,
      ids
    };
    // Without the sentence cosine and the identifiers: what a search has (RelevanceFeatures).
    return gateWithNewFeatures ? all : Arrays.copyOf(all, 8);
  }

  /** Whether the gate reads the new features too (--gate-features all), or the shipped ones. */
  static boolean gateWithNewFeatures = true;

  private static double logit(double p) {
    double v = Math.min(1 - 1e-6, Math.max(1e-6, p));
    return Math.log(v / (1 - v));
  }

  record Gate(double[] mean, double[] scale, double[] w) {
    double p(double[] x) {
      double z = w[0];
      for (int j = 0; j < mean.length; j++) {
        z += w[j + 1] * (x[j] - mean[j]) / scale[j];
      }
      return LogisticRegression.sigmoid(z);
    }
  }

  static Gate fitGate(List<Scored> scored, Function<String, Integer> col, double lambda) {
    double[][] x = new double[scored.size()][];
    boolean[] y = new boolean[scored.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = gateFeatures(scored.get(i).prompt(), scored.get(i).p(), col);
      y[i] = scored.get(i).prompt().answerable();
    }
    double[][] ms = LogisticRegression.standardisation(x);
    return new Gate(ms[0], ms[1], LogisticRegression.fit(x, y, ms[0], ms[1], lambda));
  }

  static Scored gated(Gate g, Scored s, Function<String, Integer> col) {
    double gate = g.p(gateFeatures(s.prompt(), s.p(), col));
    return new Scored(s.prompt(), Arrays.stream(s.p()).map(v -> v * gate).toArray());
  }

  /**
   * The pair model as in {@link LateInteractionFit#report}; the gate fitted (λ 10) on the training
   * projects' inner left-out pair probabilities, its own thresholds chosen on the inner left-out
   * gated scores (the gate itself left out by project there too).
   */
  static void reportGate(
      String label, List<Prompt> prompts, int[] cols, Function<String, Integer> col) {
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Scored> leftOut = new ArrayList<>();
    List<Metrics> per = new ArrayList<>();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = LateInteractionFit.fold(train, cols);
      List<Scored> inner = f.inner();
      List<Scored> innerGated = new ArrayList<>();
      for (String ip : train.stream().map(Prompt::project).distinct().toList()) {
        Gate g =
            fitGate(inner.stream().filter(s -> !s.prompt().project().equals(ip)).toList(), col, 10);
        inner.stream()
            .filter(s -> s.prompt().project().equals(ip))
            .forEach(s -> innerGated.add(gated(g, s, col)));
      }
      Gate g = fitGate(inner, col, 10);
      double hook = RelevanceFit.hookThreshold(innerGated);
      double floor = RelevanceFit.searchFloor(innerGated);
      List<Scored> mine = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          mine.add(gated(g, LateInteractionFit.score(f.model(), q), col));
        }
      }
      leftOut.addAll(mine);
      per.add(Metrics.of(mine, hook, floor));
    }
    LateInteractionFit.print(label, leftOut, per);
  }
}
