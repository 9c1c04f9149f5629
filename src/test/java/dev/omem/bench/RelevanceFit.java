package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.config.OmemConfig;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.SearchMode;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
import dev.omem.retrieve.RetrievalPipeline.RelevanceRow;
import dev.omem.retrieve.SearchQuery;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fits the relevance model (scripts/fit-relevance): each project of the coding lane in a fresh
 * store through the real service and model, every prompt's candidates with their features, then a
 * logistic regression with leave-one-project-out cross-validation. The L2 strength is chosen by an
 * inner leave-one-project-out loop; the thresholds (hook: most hits with quiet ≥ 0.90; search
 * floor: best recall@5 with abstention ≥ 0.90; docs/relevance/threshold-rule.md) on the training
 * projects' inner left-out predictions. Prints the outer left-out figures per project and overall,
 * writes the weights fitted on every project, and with --folds each fold's own file.
 */
public final class RelevanceFit {
  private static final double[] LAMBDAS = {0.1, 1, 10, 100, 1000};

  /** The pipeline's features of session 7, before the background and the lexicon. */
  private static final List<String> BASE = featureNames().subList(0, 13);

  /**
   * The feature sets the inner cross-validation chooses among (with λ), by log loss: the base, the
   * base with the background (BackgroundPrompts) features, with the lexicon's, and all. Mutable:
   * {@link TokenMaxSimFit} adds its sets before a run.
   */
  static final Map<String, List<String>> FEATURE_SETS =
      new HashMap<>(
          Map.of(
              "base",
              BASE,
              "base+background",
              concat(
                  BASE,
                  List.of(
                      "cosine_minus_background",
                      "best_minus_background",
                      "best_minus_background_nearest",
                      "memory_hubness")),
              "base+lexicon",
              concat(BASE, List.of("idf_coverage", "query_words_in_store")),
              "base+local",
              concat(BASE, List.of("memory_hubness_local")),
              "base+lexicon+local",
              concat(BASE, List.of("idf_coverage", "query_words_in_store", "memory_hubness_local")),
              "all",
              featureNames(),
              AdapterFit.SET,
              concat(BASE, List.of("memory_hubness_local", AdapterFit.CARRIER)),
              "bm25-only",
              RelevanceModel.WITHOUT_VECTORS));

  /** The set of the model without vectors (--without-vectors true): BM25's features alone. */
  private static final String WITHOUT_VECTORS = "bm25-only";

  /**
   * The sets the CV chooses among: all of them with vectors, or the one --set names (for
   * comparisons), or {@link #WITHOUT_VECTORS}'s with --without-vectors.
   */
  static List<String> SETS =
      FEATURE_SETS.keySet().stream()
          .filter(k -> !k.equals(WITHOUT_VECTORS) && !k.equals(AdapterFit.SET))
          .sorted()
          .toList();

  /** Whether this run fits the model a search reads without vectors (BM25 mode, model loading). */
  static boolean withoutVectors = false;

  /** Whether the model gets a prompt-level gate (RelevanceGate; --gate false for none). */
  static boolean gated = true;

  /** The most memories the hook injects (PromptInjection.MAX_PROMPT_MEMORIES; --hook-cap). */
  static int hookCap = 3;

  /** The gate's L2 strengths, chosen by inner leave-one-project-out log loss over prompts. */
  private static final double[] GATE_LAMBDAS = {1, 10, 100};

  /**
   * The gate's feature sets, chosen with its λ by inner leave-one-project-out log loss over prompts
   * (session 12, docs/relevance/threshold-rule.md): session 11's, with the query style, and both
   * without the query's length (session 12's query-contrast sets gained nothing left-out and were
   * removed in session 13).
   */
  static final Map<String, List<String>> GATE_SETS = gateSets();

  /** The gate sets the CV chooses among (--gate-set names one, for comparisons). */
  static List<String> GATE_SET_NAMES = GATE_SETS.keySet().stream().sorted().toList();

  private static Map<String, List<String>> gateSets() {
    List<String> s11 = RelevanceGate.NAMES;
    List<String> noLength = s11.stream().filter(n -> !n.equals("log_query_words")).toList();
    List<String> style = List.of(RelevanceGate.QUERY_STYLE);
    return Map.of(
        "s11",
        s11,
        "s11-length",
        noLength,
        "s11+style",
        concat(s11, style),
        "s11-length+style",
        concat(noLength, style));
  }

  /** The query-style regression's L2 strengths, chosen by inner leave-one-project-out log loss. */
  private static final double[] STYLE_LAMBDAS = {10, 100, 1000};

  /** Each prompt's query vector (the shipped model's), for the gate's query style. */
  private static final Map<Prompt, float[]> QUERY_VECTORS = new java.util.IdentityHashMap<>();

  /**
   * Each training prompt's query-style log-odds while a fold is fitted: from a regression fitted
   * without its project (set by {@link #fold}).
   */
  private static final Map<Prompt, Double> STYLE = new java.util.IdentityHashMap<>();

  /** The query-style regression of the fold being fitted (set by {@link #fold}). */
  private static dev.omem.retrieve.QueryStyle foldStyle = dev.omem.retrieve.QueryStyle.NONE;

  /** Embeds every prompt's text (the lane's, in the cache's order) with the shipped model. */
  private static void embedPrompts(List<Prompt> prompts, Path data) throws IOException {
    List<String> texts = RelevanceProbe.Texts.read(data).prompts();
    if (texts.size() != prompts.size()) {
      throw new IllegalStateException(texts.size() + " prompts vs " + prompts.size());
    }
    try (var e = dev.omem.embed.OnnxEmbedder.load(dev.omem.embed.ModelCatalog.DEFAULT)) {
      for (int i = 0; i < texts.size(); i++) {
        QUERY_VECTORS.put(prompts.get(i), e.embedQuery(texts.get(i)));
      }
    }
  }

  /** A prompt's query vector, for prompts not in the cache ({@link SmallStoreGate}). */
  static void queryVector(Prompt p, float[] v) {
    QUERY_VECTORS.put(p, v);
  }

  /** {@link #embedPrompts}, for {@link TwoThresholdFit}. */
  static void embedPromptsPublic(List<Prompt> prompts, Path data) throws IOException {
    embedPrompts(prompts, data);
  }

  /** A query-style regression over the prompts' vectors (answerable or not), λ {@code lambda}. */
  static dev.omem.retrieve.QueryStyle fitStyle(List<Prompt> train, double lambda) {
    double[][] x = new double[train.size()][];
    boolean[] y = new boolean[train.size()];
    for (int i = 0; i < x.length; i++) {
      float[] v = QUERY_VECTORS.get(train.get(i));
      x[i] = new double[v.length];
      for (int j = 0; j < v.length; j++) {
        x[i][j] = v[j];
      }
      y[i] = train.get(i).answerable();
    }
    double[][] ms = LogisticRegression.standardisation(x);
    double[] w = LogisticRegression.fit(x, y, ms[0], ms[1], lambda);
    // Folded into raw weights over the unit query vector: one dot product per search.
    double[] raw = new double[w.length];
    raw[0] = w[0];
    for (int j = 1; j < w.length; j++) {
      raw[j] = w[j] / ms[1][j - 1];
      raw[0] -= w[j] * ms[0][j - 1] / ms[1][j - 1];
    }
    return new dev.omem.retrieve.QueryStyle(raw);
  }

  /**
   * The query style of a fold: λ by inner leave-one-project-out log loss over the training prompts,
   * each training prompt's inner left-out log-odds into {@link #STYLE}, and the regression fitted
   * on all of them (which scores the left-out project).
   */
  private static dev.omem.retrieve.QueryStyle foldStyle(List<Prompt> train, List<String> projects) {
    double bestLoss = Double.POSITIVE_INFINITY;
    double bestLambda = STYLE_LAMBDAS[0];
    Map<Prompt, Double> best = null;
    for (double lambda : STYLE_LAMBDAS) {
      Map<Prompt, Double> inner = new java.util.IdentityHashMap<>();
      double loss = 0;
      for (String p : projects) {
        dev.omem.retrieve.QueryStyle st =
            fitStyle(train.stream().filter(q -> !q.project().equals(p)).toList(), lambda);
        for (Prompt q : train) {
          if (q.project().equals(p)) {
            double z = st.logit(QUERY_VECTORS.get(q));
            inner.put(q, z);
            double v = Math.min(1 - 1e-9, Math.max(1e-9, 1 / (1 + Math.exp(-z))));
            loss -= q.answerable() ? Math.log(v) : Math.log(1 - v);
          }
        }
      }
      if (loss < bestLoss) {
        bestLoss = loss;
        bestLambda = lambda;
        best = inner;
      }
    }
    STYLE.clear();
    STYLE.putAll(best);
    System.err.printf(Locale.ROOT, "fit-relevance: query style λ %s%n", bestLambda);
    return fitStyle(train, bestLambda);
  }

  private static List<String> featureNames() {
    return dev.omem.retrieve.RelevanceModel.featureNames();
  }

  /** {@code a} then {@code b}, unmodifiable (a feature set and its extra columns). */
  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  private static final double QUIET_GOAL = 0.90;

  /** One (prompt, candidate) pair. */
  record Pair(boolean relevant, double[] x, String memory) {
    Pair(boolean relevant, double[] x) {
      this(relevant, x, "");
    }
  }

  /** One prompt and its candidates. */
  record Prompt(String project, boolean answerable, int relevantCount, List<Pair> pairs) {}

  private RelevanceFit() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    if (o.containsKey("set")) {
      SETS = List.of(o.get("set").split(","));
    }
    hookCap = Integer.parseInt(o.getOrDefault("hook-cap", "3"));
    if (o.containsKey("gate-set")) {
      GATE_SET_NAMES = List.of(o.get("gate-set").split(","));
    }
    withoutVectors = Boolean.parseBoolean(o.getOrDefault("without-vectors", "false"));
    SESSION_STORES = Boolean.parseBoolean(o.getOrDefault("session-stores", "false"));
    listwise = Boolean.parseBoolean(o.getOrDefault("listwise", "false"));
    gated = !withoutVectors && Boolean.parseBoolean(o.getOrDefault("gate", "true"));
    if (withoutVectors) {
      SETS = List.of(WITHOUT_VECTORS);
    }
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    Path out =
        Path.of(
            o.getOrDefault(
                "out",
                withoutVectors
                    ? "src/main/resources/retrieve/relevance-weights-bm25.txt"
                    : "src/main/resources/retrieve/relevance-weights.txt"));
    String model = o.getOrDefault("model", OmemConfig.DEFAULT_MODEL);
    Path cache = o.containsKey("cache") ? Path.of(o.get("cache")) : null;
    boolean cached = cache != null && Files.exists(cache) && !o.containsKey("refresh");
    List<Prompt> prompts = cached ? readCache(cache) : collect(data, model);
    // Written only when collected: a cache read back has no memory ids, and writing it again
    // emptied the .ids file beside it (which RelevanceProbe and LateInteractionFit join on).
    if (cache != null && !cached) {
      writeCache(cache, prompts);
    }
    if (gated && GATE_SET_NAMES.stream().anyMatch(n -> n.contains("style"))) {
      embedPrompts(prompts, data);
    }
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "%d projects, %d prompts, %d pairs, model %s%n%n",
        projects.size(),
        prompts.size(),
        prompts.stream().mapToInt(p -> p.pairs().size()).sum(),
        model);

    // Outer leave-one-project-out: every figure below is on a project its model never saw.
    Map<String, Fold> folds = new LinkedHashMap<>();
    List<Scored> leftOut = new ArrayList<>();
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = fold(train);
      folds.put(p, f);
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          leftOut.add(new Scored(q, predict(f.model(), q)));
        }
      }
    }
    System.out.println(
        "Left-out figures (each project scored by the model and thresholds fitted without it):");
    System.out.println();
    System.out.println(
        "| project | λ | hook threshold | hook hit | precision (n) | quiet | search floor |"
            + " recall@5 | MRR | abstention | ECE | Brier |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    Map<String, Metrics> perProject = new LinkedHashMap<>();
    for (String p : projects) {
      Fold f = folds.get(p);
      List<Scored> mine = leftOut.stream().filter(s -> s.prompt().project().equals(p)).toList();
      Metrics m = Metrics.of(mine, f.model().hookThreshold(), f.model().searchFloor());
      perProject.put(p, m);
      System.out.println(row(p + " (" + f.set() + ")", f.lambda(), f.model(), m));
    }
    // Overall: every prompt with its own fold's thresholds.
    Metrics all = Metrics.pooled(perProject.values());
    System.out.println(row("**all**", Double.NaN, null, all));
    System.out.println();
    Metrics unfloored = Metrics.of(leftOut, 1.01, 0);
    System.out.printf(
        Locale.ROOT,
        "Ranking by the left-out relevance, no floor: recall@5 %.3f, MRR %.3f, first place %.3f%n%n",
        unfloored.recall5(),
        unfloored.mrr(),
        TokenMaxSimFit.firstPlace(leftOut));
    System.out.println(
        "The trade-off on the pooled left-out predictions (one threshold for hook and floor;"
            + " a curve, not a CV choice):");
    System.out.println();
    System.out.println(
        "| threshold | hook hit | precision | quiet | recall@5 | MRR | abstention |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (double t :
        new double[] {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7}) {
      Metrics m = Metrics.of(leftOut, t, t);
      System.out.printf(
          Locale.ROOT,
          "| %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
          t,
          m.hit(),
          m.precision(),
          m.quiet(),
          m.recall5(),
          m.mrr(),
          m.abstention());
    }
    System.out.println();

    Fold fin = fold(prompts);
    System.out.printf(
        Locale.ROOT,
        "Shipped: features %s, λ %s, hook threshold %.2f, search floor %.2f (thresholds from the inner"
            + " left-out predictions of all %d projects)%n",
        fin.set(),
        fmt(fin.lambda()),
        fin.model().hookThreshold(),
        fin.model().searchFloor(),
        projects.size());
    List<String> header =
        List.of(
            withoutVectors
                ? "The relevance model without vectors (BM25 mode, the embedding model loading or"
                    + " failed): logistic regression over RelevanceModel.WITHOUT_VECTORS, collected"
                    + " in BM25 mode; a search puts it on the shipped model's scale (onScaleOf)."
                : "The relevance model (RelevanceModel): logistic regression over"
                    + " RelevanceFeatures"
                    + (gated
                        ? ", times a prompt-level gate (RelevanceGate, logistic over prompts, its"
                            + " feature set and λ by inner leave-one-project-out log loss on the pair"
                            + " model's inner left-out probabilities)."
                        : "."),
            "Fitted by scripts/fit-relevance on "
                + data.getFileName()
                + " ("
                + projects.size()
                + " projects, "
                + prompts.size()
                + " prompts), model "
                + model
                + ", "
                + LocalDate.now(ZoneOffset.UTC)
                + ".",
            "Feature set '"
                + fin.set()
                + "' of "
                + SETS
                + ", L2 strength "
                + fmt(fin.lambda())
                + " and both thresholds chosen by leave-one-project-out CV (set and λ by inner"
                + " log loss); hook: most hits with quiet >= 0.90; search floor: best recall@5"
                + " with abstention >= 0.90 (docs/relevance/threshold-rule.md).",
            String.format(
                Locale.ROOT,
                "Left-out (outer LOPO) figures: hook hit %.3f, precision %.3f, quiet %.3f;"
                    + " search recall@5 %.3f, MRR %.3f, abstention %.3f; ECE %.3f, Brier %.3f.",
                all.hit(),
                all.precision(),
                all.quiet(),
                all.recall5(),
                all.mrr(),
                all.abstention(),
                all.ece(),
                all.brier()));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, fin.model().format(header));
    System.out.println("wrote " + out);
    if (o.containsKey("folds")) {
      Path dir = Path.of(o.get("folds"));
      Files.createDirectories(dir);
      for (var e : folds.entrySet()) {
        Files.writeString(
            dir.resolve("without-" + e.getKey() + ".txt"),
            e.getValue()
                .model()
                .format(
                    List.of(
                        "left-out fold: fitted without "
                            + e.getKey()
                            + " ("
                            + header.get(1)
                            + ")")));
      }
      System.out.println("wrote " + folds.size() + " fold files to " + dir);
    }
  }

  /** {@code --name value} pairs, by name without the dashes. */
  static Map<String, String> options(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return o;
  }

  /** A model, its feature set, L2 strength and the thresholds chosen on its training projects. */
  record Fold(RelevanceModel model, double lambda, String set) {}

  /**
   * Whether each project's memories are stored in one session (--session-stores true), as one MCP
   * connection's memory_store calls are: what a search's session neighbours (context expansion)
   * read.
   */
  static boolean SESSION_STORES;

  /** Feature set and λ by inner leave-one-project-out log loss; thresholds on those predictions. */
  static Fold fold(List<Prompt> train) {
    List<String> projects = train.stream().map(Prompt::project).distinct().sorted().toList();
    double bestLoss = Double.POSITIVE_INFINITY;
    double bestLambda = LAMBDAS[0];
    String bestSet = null;
    List<Scored> bestInner = null;
    for (String set : SETS)
      for (double lambda : LAMBDAS) {
        List<String> features = FEATURE_SETS.get(set);
        List<Scored> inner = new ArrayList<>();
        double loss = 0;
        int n = 0;
        for (String p : projects) {
          RelevanceModel m =
              fit(
                  train.stream().filter(q -> !q.project().equals(p)).toList(),
                  features,
                  lambda,
                  0.5,
                  0.5);
          for (Prompt q : train) {
            if (q.project().equals(p)) {
              double[] pr = predict(m, q);
              inner.add(new Scored(q, pr));
              for (int i = 0; i < pr.length; i++) {
                double v = Math.min(1 - 1e-9, Math.max(1e-9, pr[i]));
                loss -= q.pairs().get(i).relevant() ? Math.log(v) : Math.log(1 - v);
                n++;
              }
            }
          }
        }
        loss /= n;
        if (loss < bestLoss) {
          bestLoss = loss;
          bestLambda = lambda;
          bestSet = set;
          bestInner = inner;
        }
      }
    RelevanceGate gate = RelevanceGate.NONE;
    List<Scored> forThresholds = bestInner;
    if (gated) {
      // The gate learns from the pair model's inner left-out probabilities; its own λ and the
      // thresholds from the gate's inner left-out scores (each project's gate fitted without it).
      dev.omem.retrieve.QueryStyle style =
          QUERY_VECTORS.isEmpty() ? dev.omem.retrieve.QueryStyle.NONE : foldStyle(train, projects);
      foldStyle = style;
      double bestGateLoss = Double.POSITIVE_INFINITY;
      double gateLambda = GATE_LAMBDAS[0];
      List<String> gateNames = RelevanceGate.NAMES;
      double bestS11Loss = Double.POSITIVE_INFINITY;
      for (String gs : GATE_SET_NAMES)
        for (double l : GATE_LAMBDAS) {
          List<String> names = GATE_SETS.get(gs);
          if (names.contains(RelevanceGate.QUERY_STYLE) && style.none()) {
            continue;
          }
          List<Scored> g = gatedLeftOut(bestInner, projects, names, l);
          double loss = 0;
          for (int i = 0; i < g.size(); i++) {
            double v = Math.min(1 - 1e-9, Math.max(1e-9, gateOf(g.get(i), bestInner.get(i))));
            loss -= g.get(i).prompt().answerable() ? Math.log(v) : Math.log(1 - v);
          }
          if (gs.equals("s11") && loss < bestS11Loss) {
            bestS11Loss = loss;
            lastS11Gated = g;
            lastS11Lambda = l;
          }
          if (loss < bestGateLoss) {
            bestGateLoss = loss;
            gateLambda = l;
            gateNames = names;
            forThresholds = g;
          }
        }
      gate = fitGate(bestInner, gateNames, gateLambda);
      List<String> chosen = gateNames;
      System.err.printf(
          Locale.ROOT,
          "fit-relevance: gate %s, λ %s%n",
          GATE_SETS.entrySet().stream()
              .filter(e -> e.getValue().equals(chosen))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse("?"),
          gateLambda);
    }
    lastInner = bestInner;
    lastGated = forThresholds;
    double hook = hookThreshold(forThresholds);
    double floor = searchFloor(forThresholds);
    return new Fold(
        fit(train, FEATURE_SETS.get(bestSet), bestLambda, floor, hook).withGate(gate, floor, hook),
        bestLambda,
        bestSet);
  }

  /**
   * The last {@link #fold}'s inner left-out pair probabilities, the same times its chosen gate, and
   * times session 11's gate (its λ by the same inner log loss), for {@link TwoThresholdFit}.
   */
  static List<Scored> lastInner, lastGated, lastS11Gated;

  static double lastS11Lambda;

  /** The gate's factor that turned {@code plain} into {@code gated} (the same for every pair). */
  static double gateOf(Scored gated, Scored plain) {
    int best = plain.order().get(0);
    return plain.p()[best] == 0 ? 0 : gated.p()[best] / plain.p()[best];
  }

  /** Each project's scored prompts times a gate fitted on the other projects' (λ {@code l}). */
  private static List<Scored> gatedLeftOut(
      List<Scored> inner, List<String> projects, List<String> names, double l) {
    Map<String, RelevanceGate> gates = new HashMap<>();
    for (String p : projects) {
      gates.put(
          p,
          fitGate(inner.stream().filter(s -> !s.prompt().project().equals(p)).toList(), names, l));
    }
    return inner.stream().map(s -> gated(gates.get(s.prompt().project()), s)).toList();
  }

  private static Scored gated(RelevanceGate g, Scored s) {
    double f = g.probability(gateFeatures(s));
    return new Scored(s.prompt(), java.util.Arrays.stream(s.p()).map(v -> v * f).toArray());
  }

  private static double[][] rows(Prompt q) {
    return q.pairs().stream().map(Pair::x).toArray(double[][]::new);
  }

  /** A training prompt's gate features, its query style the fold's inner left-out one. */
  private static double[] gateFeatures(Scored s) {
    return RelevanceGate.features(s.p(), rows(s.prompt()), STYLE.getOrDefault(s.prompt(), 0.0));
  }

  /**
   * A training prompt's inner left-out query-style log-odds in the last {@link #fold} (0 if none).
   */
  static double innerStyle(Prompt q) {
    return STYLE.getOrDefault(q, 0.0);
  }

  /** The last {@link #fold}'s query-style regression (fitted on all its training prompts). */
  static dev.omem.retrieve.QueryStyle lastStyle() {
    return foldStyle;
  }

  /** A prompt's query vector (the shipped model's), or null before it was embedded. */
  static float[] queryVectorOf(Prompt q) {
    return QUERY_VECTORS.get(q);
  }

  /** A logistic regression over prompts: answerable or not, from their gate features. */
  static RelevanceGate fitGate(List<Scored> scored, List<String> names, double lambda) {
    int[] cols = names.stream().mapToInt(RelevanceGate.ALL::indexOf).toArray();
    double[][] x = new double[scored.size()][];
    boolean[] y = new boolean[scored.size()];
    for (int i = 0; i < x.length; i++) {
      double[] all = gateFeatures(scored.get(i));
      x[i] = java.util.Arrays.stream(cols).mapToDouble(c -> all[c]).toArray();
      y[i] = scored.get(i).prompt().answerable();
    }
    double[][] ms = LogisticRegression.standardisation(x);
    // The gate's features come from the fold's inner left-out styles (STYLE); its own style is the
    // fold's regression, which scores the left-out project.
    return new RelevanceGate(
        names,
        ms[0],
        ms[1],
        LogisticRegression.fit(x, y, ms[0], ms[1], lambda),
        names.contains(RelevanceGate.QUERY_STYLE) ? foldStyle : dev.omem.retrieve.QueryStyle.NONE);
  }

  static RelevanceModel fit(
      List<Prompt> train, List<String> features, double lambda, double floor, double hook) {
    List<Pair> pairs = train.stream().flatMap(q -> q.pairs().stream()).toList();
    int[] cols = features.stream().mapToInt(featureNames()::indexOf).toArray();
    double[][] x =
        pairs.stream()
            .map(
                pr -> {
                  double[] v = new double[cols.length];
                  for (int j = 0; j < cols.length; j++) {
                    v[j] = pr.x()[cols[j]];
                  }
                  return v;
                })
            .toArray(double[][]::new);
    boolean[] y = new boolean[pairs.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = pairs.get(i).relevant();
    }
    double[][] ms = LogisticRegression.standardisation(x);
    double[] w =
        listwise
            ? listwiseWeights(train, cols, ms, lambda)
            : LogisticRegression.fit(x, y, ms[0], ms[1], lambda);
    return new RelevanceModel(features, ms[0], ms[1], w, floor, hook);
  }

  /** Whether the pair model is fitted listwise ({@link Listwise}; --listwise true; session 18). */
  static boolean listwise = false;

  /**
   * {@link Listwise}'s weights for the order, then a pointwise logistic regression (λ 1: three or
   * so weights over thousands of pairs) over the listwise score and the features a softmax cannot
   * see (constant within a prompt), folded into one model's weights (intercept first) on the
   * standardisation {@code ms}.
   */
  private static double[] listwiseWeights(
      List<Prompt> train, int[] cols, double[][] ms, double lambda) {
    List<double[][]> all = new ArrayList<>();
    List<double[][]> lists = new ArrayList<>();
    List<boolean[]> relevant = new ArrayList<>();
    for (Prompt q : train) {
      double[][] z = new double[q.pairs().size()][cols.length];
      boolean[] r = new boolean[z.length];
      boolean any = false;
      for (int i = 0; i < z.length; i++) {
        for (int j = 0; j < cols.length; j++) {
          z[i][j] = (q.pairs().get(i).x()[cols[j]] - ms[0][j]) / ms[1][j];
        }
        r[i] = q.pairs().get(i).relevant();
        any |= r[i];
      }
      if (z.length > 0) {
        all.add(z);
      }
      if (any) {
        lists.add(z);
        relevant.add(r);
      }
    }
    double[] v = Listwise.fit(lists, relevant, lambda);
    List<Integer> constant = Listwise.promptConstant(all);
    List<double[]> cx = new ArrayList<>();
    List<Boolean> cy = new ArrayList<>();
    int k = 0;
    for (Prompt q : train) {
      for (Pair pr : q.pairs()) {
        double[] z = new double[cols.length];
        for (int j = 0; j < cols.length; j++) {
          z[j] = (pr.x()[cols[j]] - ms[0][j]) / ms[1][j];
        }
        double[] row = new double[1 + constant.size()];
        row[0] = LogisticRegression.dot(z, v);
        for (int c = 0; c < constant.size(); c++) {
          row[1 + c] = z[constant.get(c)];
        }
        cx.add(row);
        cy.add(pr.relevant());
        k++;
      }
    }
    double[][] x = cx.toArray(double[][]::new);
    boolean[] y = new boolean[k];
    for (int i = 0; i < k; i++) {
      y[i] = cy.get(i);
    }
    double[][] cms = LogisticRegression.standardisation(x);
    double[] c = LogisticRegression.fit(x, y, cms[0], cms[1], 1);
    double[] w = new double[cols.length + 1];
    w[0] = c[0] - c[1] * cms[0][0] / cms[1][0];
    for (int j = 0; j < cols.length; j++) {
      w[1 + j] = c[1] * v[j] / cms[1][0];
    }
    for (int i = 0; i < constant.size(); i++) {
      int j = constant.get(i);
      w[0] -= c[2 + i] * cms[0][1 + i] / cms[1][1 + i];
      w[1 + j] += c[2 + i] / cms[1][1 + i];
    }
    return w;
  }

  static double[] predict(RelevanceModel m, Prompt q) {
    return m.scores(rows(q), QUERY_VECTORS.get(q));
  }

  /** A prompt with a probability per candidate. */
  record Scored(Prompt prompt, double[] p) {
    /** Candidate indexes, most probable first (the order a search returns). */
    List<Integer> order() {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < p.length; i++) {
        idx.add(i);
      }
      idx.sort(Comparator.comparingDouble(i -> -p[i]));
      return idx;
    }
  }

  /**
   * The hook's threshold (docs/relevance/threshold-rule.md, written before session 9's fits): the
   * most hits among thresholds with quiet ≥ 0.90; if none reaches it, the best harmonic mean of hit
   * and quiet. Precision is reported, not a constraint.
   */
  static double hookThreshold(List<Scored> s) {
    return choose(s, Metrics::hit, Metrics::quiet);
  }

  /** The search floor: the best recall@5 with abstention ≥ 0.90, else the best harmonic mean. */
  static double searchFloor(List<Scored> s) {
    return choose(s, Metrics::recall5, Metrics::abstention);
  }

  private static double choose(
      List<Scored> s,
      java.util.function.ToDoubleFunction<Metrics> gain,
      java.util.function.ToDoubleFunction<Metrics> quiet) {
    double best = -1;
    double bestGain = -1;
    double fallback = 0.99;
    double bestHarmonic = -1;
    for (int k = 1; k < 100; k++) {
      double t = k / 100.0;
      Metrics m = Metrics.of(s, t, t);
      double g = gain.applyAsDouble(m);
      double q = quiet.applyAsDouble(m);
      if (q >= QUIET_GOAL && g > bestGain) {
        best = t;
        bestGain = g;
      }
      double h = g + q == 0 ? 0 : 2 * g * q / (g + q);
      if (h > bestHarmonic) {
        fallback = t;
        bestHarmonic = h;
      }
    }
    return best > 0 ? best : fallback;
  }

  /** The lane's figures for scored prompts, as the hook and the default search would answer. */
  record Metrics(
      int answerable,
      int unrelated,
      int hits,
      int injected,
      int injectedRelevant,
      int quietCount,
      double recallSum,
      double rrSum,
      int abstained,
      double[] binN,
      double[] binP,
      double[] binY,
      double brierSum,
      int pairs) {

    double hit() {
      return (double) hits / answerable;
    }

    double precision() {
      return injected == 0 ? Double.NaN : (double) injectedRelevant / injected;
    }

    double quiet() {
      return (double) quietCount / unrelated;
    }

    double recall5() {
      return recallSum / answerable;
    }

    double mrr() {
      return rrSum / answerable;
    }

    double abstention() {
      return (double) abstained / unrelated;
    }

    double ece() {
      double e = 0;
      for (int b = 0; b < 10; b++) {
        e += Math.abs(binP[b] - binY[b]);
      }
      return e / pairs;
    }

    double brier() {
      return brierSum / pairs;
    }

    static Metrics of(List<Scored> scored, double hook, double floor) {
      int answerable = 0, unrelated = 0, hits = 0, injected = 0, injectedRel = 0, quiet = 0;
      int abstained = 0, pairs = 0;
      double recall = 0, rr = 0, brier = 0;
      double[] bn = new double[10], bp = new double[10], by = new double[10];
      for (Scored s : scored) {
        Prompt q = s.prompt();
        List<Integer> order = s.order();
        // The hook: up to 3 of the 10 best, each at or above its threshold (HookHandler);
        // --hook-cap k compares a smaller cap (session 12).
        int shown = 0, shownRel = 0;
        for (int i : order.subList(0, Math.min(10, order.size()))) {
          if (shown < hookCap && s.p()[i] >= hook) {
            shown++;
            shownRel += q.pairs().get(i).relevant() ? 1 : 0;
          }
        }
        injected += shown;
        injectedRel += shownRel;
        // The default search: the 10 best at or above the floor.
        List<Integer> results = order.stream().filter(i -> s.p()[i] >= floor).limit(10).toList();
        if (q.answerable()) {
          answerable++;
          hits += shownRel > 0 ? 1 : 0;
          int found = 0;
          for (int r = 0; r < Math.min(5, results.size()); r++) {
            found += q.pairs().get(results.get(r)).relevant() ? 1 : 0;
          }
          recall += (double) found / q.relevantCount();
          for (int r = 0; r < results.size(); r++) {
            if (q.pairs().get(results.get(r)).relevant()) {
              rr += 1.0 / (r + 1);
              break;
            }
          }
        } else {
          unrelated++;
          quiet += shown == 0 ? 1 : 0;
          abstained += results.isEmpty() ? 1 : 0;
        }
        // Calibration over the 10 best pairs, whatever the floor (the bench's probe).
        for (int i : order.subList(0, Math.min(10, order.size()))) {
          double p = s.p()[i];
          double y = q.pairs().get(i).relevant() ? 1 : 0;
          int b = Math.min(9, (int) (p * 10));
          bn[b]++;
          bp[b] += p;
          by[b] += y;
          brier += (p - y) * (p - y);
          pairs++;
        }
      }
      return new Metrics(
          answerable,
          unrelated,
          hits,
          injected,
          injectedRel,
          quiet,
          recall,
          rr,
          abstained,
          bn,
          bp,
          by,
          brier,
          pairs);
    }

    static Metrics pooled(java.util.Collection<Metrics> ms) {
      int a = 0, u = 0, h = 0, inj = 0, ir = 0, qu = 0, ab = 0, pr = 0;
      double rec = 0, rr = 0, br = 0;
      double[] bn = new double[10], bp = new double[10], by = new double[10];
      for (Metrics m : ms) {
        a += m.answerable;
        u += m.unrelated;
        h += m.hits;
        inj += m.injected;
        ir += m.injectedRelevant;
        qu += m.quietCount;
        ab += m.abstained;
        pr += m.pairs;
        rec += m.recallSum;
        rr += m.rrSum;
        br += m.brierSum;
        for (int b = 0; b < 10; b++) {
          bn[b] += m.binN[b];
          bp[b] += m.binP[b];
          by[b] += m.binY[b];
        }
      }
      return new Metrics(a, u, h, inj, ir, qu, rec, rr, ab, bn, bp, by, br, pr);
    }
  }

  private static String row(String name, double lambda, RelevanceModel m, Metrics x) {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %.3f | %.3f (%d) | %.3f | %s | %.3f | %.3f | %.3f | %.3f | %.3f |",
        name,
        Double.isNaN(lambda) ? "" : fmt(lambda),
        m == null ? "per fold" : String.format(Locale.ROOT, "%.2f", m.hookThreshold()),
        x.hit(),
        x.precision(),
        x.injected(),
        x.quiet(),
        m == null ? "per fold" : String.format(Locale.ROOT, "%.2f", m.searchFloor()),
        x.recall5(),
        x.mrr(),
        x.abstention(),
        x.ece(),
        x.brier());
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Every project in a fresh store; every prompt's candidates with their features. */
  static List<Prompt> collect(Path data, String model) throws Exception {
    JsonNode root = new ObjectMapper().readTree(data.toFile());
    List<Prompt> out = new ArrayList<>();
    for (JsonNode project : root.get("projects")) {
      String pid = project.get("id").asText();
      Path home = Files.createTempDirectory("omem-fit-relevance-");
      long t0 = System.nanoTime();
      OmemConfig config =
          new OmemConfig(home, model, withoutVectors ? SearchMode.BM25 : SearchMode.HYBRID);
      try (LocalMemoryService svc = LocalMemoryService.open(config)) {
        if (!svc.awaitModel(Duration.ofMinutes(3))) {
          throw new IllegalStateException("the embedding model did not load");
        }
        // --session-stores true: the memories stored in one session, as one MCP connection's
        // memory_store calls are (session 20: what scripts/bench-relevance's stores hold).
        Caller caller =
            SESSION_STORES ? new Caller(null, null, null, "bench-" + pid) : Caller.local(null);
        Map<String, String> benchId = new HashMap<>();
        String tenant = null;
        for (JsonNode m : project.get("memories")) {
          Memory stored = svc.store(caller, StoreRequest.of(m.get("text").asText()));
          benchId.put(stored.id(), m.get("id").asText());
          tenant = stored.tenantId();
        }
        MemoryFilter filter = MemoryFilter.activeOf(tenant);
        int want = Math.min(50, benchId.size());
        for (int tries = 0; withoutVectors && !indexed(svc, filter, benchId); tries++) {
          if (tries > 600) {
            throw new IllegalStateException(pid + ": the index never caught up");
          }
          Thread.sleep(100);
        }
        for (int tries = 0; !withoutVectors; tries++) {
          int got =
              svc.retrievalPipeline()
                  .relevanceRows(new SearchQuery("readiness probe", filter, 10, 0, null))
                  .size();
          if (got == want) {
            break;
          }
          if (tries > 600) {
            throw new IllegalStateException(pid + ": " + got + " of " + want + " candidates");
          }
          Thread.sleep(100);
        }
        for (JsonNode q : project.get("prompts")) {
          Set<String> relevant = new LinkedHashSet<>();
          q.get("relevant").forEach(r -> relevant.add(r.asText()));
          List<Pair> pairs = new ArrayList<>();
          for (RelevanceRow r :
              svc.retrievalPipeline()
                  .relevanceRows(new SearchQuery(q.get("text").asText(), filter, 10, 0, null))) {
            pairs.add(
                new Pair(
                    relevant.contains(benchId.get(r.id())), r.features(), benchId.get(r.id())));
          }
          out.add(new Prompt(pid, !relevant.isEmpty(), relevant.size(), pairs));
        }
      } finally {
        deleteTree(home);
      }
      System.err.printf(
          Locale.ROOT,
          "fit-relevance: %s collected in %.1f s%n",
          pid,
          (System.nanoTime() - t0) / 1e9);
    }
    return out;
  }

  /** Whether BM25 finds every stored memory by its own text (the index has caught up). */
  private static boolean indexed(
      LocalMemoryService svc, MemoryFilter filter, Map<String, String> benchId) {
    for (String id : benchId.keySet()) {
      String text = svc.get(Caller.local(null), id).content();
      if (svc.retrievalPipeline().relevanceRows(new SearchQuery(text, filter, 10, 0, null)).stream()
          .noneMatch(r -> r.id().equals(id))) {
        return false;
      }
    }
    return true;
  }

  private static void writeCache(Path f, List<Prompt> prompts) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < prompts.size(); i++) {
      Prompt q = prompts.get(i);
      sb.append("P\t").append(q.project()).append('\t').append(q.answerable()).append('\t');
      sb.append(q.relevantCount()).append('\n');
      for (Pair p : q.pairs()) {
        sb.append(p.relevant() ? "1" : "0");
        for (double v : p.x()) {
          sb.append('\t').append(v);
        }
        sb.append('\n');
      }
    }
    Files.createDirectories(f.toAbsolutePath().getParent());
    Files.writeString(f, sb);
    // Beside it, each pair's memory (the lane's id), to join runs of two models by pair.
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < prompts.size(); i++) {
      for (Pair p : prompts.get(i).pairs()) {
        ids.append(prompts.get(i).project()).append('\t').append(i).append('\t');
        ids.append(p.memory()).append('\n');
      }
    }
    Files.writeString(Path.of(f + ".ids"), ids);
  }

  static List<Prompt> readCachePublic(Path f) throws IOException {
    return readCache(f);
  }

  static List<String> featureNamesPublic() {
    return featureNames();
  }

  private static List<Prompt> readCache(Path f) throws IOException {
    List<Prompt> out = new ArrayList<>();
    String project = null;
    boolean answerable = false;
    int count = 0;
    List<Pair> pairs = null;
    for (String line : Files.readAllLines(f)) {
      String[] t = line.split("\t");
      if (t[0].equals("P")) {
        if (pairs != null) {
          out.add(new Prompt(project, answerable, count, pairs));
        }
        project = t[1];
        answerable = Boolean.parseBoolean(t[2]);
        count = Integer.parseInt(t[3]);
        pairs = new ArrayList<>();
      } else {
        double[] x = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
          x[i - 1] = Double.parseDouble(t[i]);
        }
        pairs.add(new Pair(t[0].equals("1"), x));
      }
    }
    if (pairs != null) {
      out.add(new Prompt(project, answerable, count, pairs));
    }
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    }
  }
}
