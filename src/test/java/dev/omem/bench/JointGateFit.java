package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Fold;
import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Choice;
import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import dev.omem.bench.TwoThresholdFit.LeftOut;
import dev.omem.retrieve.QueryStyle;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
import dev.omem.retrieve.SearchGateJoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13, session 22 (docs/relevance/threshold-rule.md, "Session 22: a joint answer/abstain
 * model"): one logistic regression over the query's style and its candidates' evidence ({@link
 * SearchGateJoint#ALL}) decides whether a default search answers, in the place of the query-style
 * gate. Per outer leave-one-project-out fold: the shipped procedure ({@link RelevanceFit#fold},
 * {@link TwoThresholdFit#choose}) for the baseline; the joint model's set and λ by inner
 * leave-one-project-out log loss over the training prompts' inner left-out features, its (t_j, t_p)
 * by the same search rule on its inner left-out probabilities. Reads {@code RelevanceFit}'s pair
 * cache ({@code --cache}); {@code --write <file>} fits on all twelve projects instead, {@code
 * --write-folds <dir>} writes each fold's files for {@code scripts/bench-relevance --weights-dir}.
 */
final class JointGateFit {
  private static final double[] LAMBDAS = {1, 10, 100};

  /** The joint feature sets the inner log loss chooses among: with and without the query style. */
  static final Map<String, List<String>> SETS =
      Map.of(
          "joint+style",
          SearchGateJoint.ALL,
          "joint",
          SearchGateJoint.ALL.stream().filter(n -> !n.equals(RelevanceGate.QUERY_STYLE)).toList());

  private JointGateFit() {}

  /** A fold's joint model and its training prompts' inner left-out probabilities. */
  record Fitted(SearchGateJoint model, List<Gated> inner, String set, double lambda) {}

  static double[][] rows(Prompt q) {
    return q.pairs().stream().map(Pair::x).toArray(double[][]::new);
  }

  /**
   * The joint model of a fold: {@code inner} the training prompts' inner left-out pair
   * probabilities, {@code styleOf} their inner left-out query-style log-odds, {@code style} the
   * fold's query-style regression (which scores the left-out project).
   */
  static Fitted fit(List<Scored> inner, Map<Prompt, Double> styleOf, QueryStyle style) {
    Map<Prompt, double[]> feats = new IdentityHashMap<>();
    for (Scored s : inner) {
      feats.put(
          s.prompt(),
          SearchGateJoint.features(s.p(), rows(s.prompt()), styleOf.getOrDefault(s.prompt(), 0.0)));
    }
    List<String> projects = inner.stream().map(s -> s.prompt().project()).distinct().toList();
    double bestLoss = Double.POSITIVE_INFINITY;
    String bestSet = null;
    double bestLambda = 0;
    double[] bestProb = null;
    for (String set : SETS.keySet().stream().sorted().toList()) {
      List<String> names = SETS.get(set);
      if (names.contains(RelevanceGate.QUERY_STYLE) && style.none()) {
        continue;
      }
      for (double l : LAMBDAS) {
        Map<String, SearchGateJoint> by = new HashMap<>();
        for (String p : projects) {
          by.put(
              p,
              logistic(
                  inner.stream().filter(s -> !s.prompt().project().equals(p)).toList(),
                  feats,
                  names,
                  l,
                  style));
        }
        double[] prob = new double[inner.size()];
        double loss = 0;
        for (int i = 0; i < prob.length; i++) {
          Scored s = inner.get(i);
          prob[i] = by.get(s.prompt().project()).probability(feats.get(s.prompt()));
          double v = Math.min(1 - 1e-9, Math.max(1e-9, prob[i]));
          loss -= label(s) ? Math.log(v) : Math.log(1 - v);
        }
        if (loss < bestLoss) {
          bestLoss = loss;
          bestSet = set;
          bestLambda = l;
          bestProb = prob;
        }
      }
    }
    List<Gated> gs = new ArrayList<>();
    for (int i = 0; i < inner.size(); i++) {
      Scored s = inner.get(i);
      gs.add(Gated.of(s, s.p().length == 0 ? 0 : bestProb[i]));
    }
    return new Fitted(
        logistic(inner, feats, SETS.get(bestSet), bestLambda, style), gs, bestSet, bestLambda);
  }

  /** A logistic regression over prompts: answerable or not, from their joint features. */
  private static SearchGateJoint logistic(
      List<Scored> scored,
      Map<Prompt, double[]> feats,
      List<String> names,
      double lambda,
      QueryStyle style) {
    int[] cols = names.stream().mapToInt(SearchGateJoint.ALL::indexOf).toArray();
    double[][] x = new double[scored.size()][];
    boolean[] y = new boolean[scored.size()];
    for (int i = 0; i < x.length; i++) {
      double[] all = feats.get(scored.get(i).prompt());
      x[i] = java.util.Arrays.stream(cols).mapToDouble(c -> all[c]).toArray();
      y[i] = label(scored.get(i));
    }
    double[][] ms = LogisticRegression.standardisation(x);
    return new SearchGateJoint(
        names,
        ms[0],
        ms[1],
        LogisticRegression.fit(x, y, ms[0], ms[1], lambda),
        names.contains(RelevanceGate.QUERY_STYLE) ? style : QueryStyle.NONE);
  }

  /**
   * Session 22's second candidate ({@code --label served}): the model learns whether answering
   * serves recall@5 (an answerable prompt with a relevant memory among its five best by pair
   * probability) instead of whether the prompt is answerable at all.
   */
  static boolean served = false;

  /** A training prompt's label: answerable, or with {@link #served} answerable within the top 5. */
  static boolean label(Scored s) {
    if (!s.prompt().answerable()) {
      return false;
    }
    if (!served) {
      return true;
    }
    List<Integer> order = s.order();
    for (int k = 0; k < Math.min(5, order.size()); k++) {
      if (s.prompt().pairs().get(order.get(k)).relevant()) {
        return true;
      }
    }
    return false;
  }

  /** The last {@link RelevanceFit#fold}'s training prompts' inner left-out style log-odds. */
  private static Map<Prompt, Double> innerStyles(List<Scored> inner) {
    Map<Prompt, Double> m = new IdentityHashMap<>();
    inner.forEach(s -> m.put(s.prompt(), RelevanceFit.innerStyle(s.prompt())));
    return m;
  }

  /**
   * The left-out project's prompts under the fold's joint model, as {@link LeftOut#plain} orders.
   */
  static List<Gated> leftOut(LeftOut left, SearchGateJoint joint) {
    List<Gated> out = new ArrayList<>();
    for (Scored pl : left.plain()) {
      Prompt q = pl.prompt();
      double g =
          pl.p().length == 0
              ? 0
              : joint.probability(pl.p(), rows(q), RelevanceFit.queryVectorOf(q));
      out.add(Gated.of(pl, g));
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of(o.getOrDefault("set", "base+local").split(","));
    RelevanceFit.GATE_SET_NAMES = List.of(o.getOrDefault("gate-set", "s11,s11+style").split(","));
    served = o.getOrDefault("label", "answerable").equals("served");
    boolean strongCut = o.getOrDefault("strong-cut", "0").equals("1");
    // Diagnostic only (chooses nothing): fixed cuts "s:r,s:r" at every fold's (t_j, t_p).
    List<StrongTopCut.Cut> fixed = new ArrayList<>();
    for (String sr : o.getOrDefault("fixed-cuts", "").split(",")) {
      if (!sr.isBlank()) {
        String[] v = sr.split(":");
        fixed.add(new StrongTopCut.Cut(Double.parseDouble(v[0]), Double.parseDouble(v[1])));
      }
    }
    List<List<Counts>> fixedC = new ArrayList<>();
    List<int[]> fixedListed = new ArrayList<>();
    fixed.forEach(
        c -> {
          fixedC.add(new ArrayList<>());
          fixedListed.add(new int[2]);
        });
    List<Prompt> prompts = TwoThresholdFit.readPrompts(o);
    if (o.containsKey("write")) {
      Fold f = RelevanceFit.fold(prompts);
      Fitted j = fit(RelevanceFit.lastInner, innerStyles(RelevanceFit.lastInner), lastStyle());
      Choice c = TwoThresholdFit.choose(j.inner(), 0);
      Choice shipped =
          TwoThresholdFit.choose(
              TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated), 0);
      System.err.printf(
          Locale.ROOT,
          "all twelve: shipped t_g %.2f t_p %.2f; joint %s λ %s t_j %.2f t_p %.2f%n",
          shipped.floorGate(),
          shipped.floorPair(),
          j.set(),
          j.lambda(),
          c.floorGate(),
          c.floorPair());
      StrongTopCut.Cut cut =
          strongCut
              ? StrongTopCut.choose(j.inner(), c.floorGate(), c.floorPair())
              : StrongTopCut.Cut.NONE;
      if (strongCut) {
        System.err.printf(
            Locale.ROOT, "all twelve: strong top s %.2f, cut r %.2f%n", cut.strong(), cut.ratio());
      }
      Files.writeString(
          Path.of(o.get("write")),
          j.model().format()
              + thresholds(c, o.getOrDefault("min-candidates", "4"))
              + cutLines(cut));
      return;
    }
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Counts> shippedC = new ArrayList<>(), jointC = new ArrayList<>(), cutC = new ArrayList<>();
    int[] shippedListed = new int[2], jointListed = new int[2], cutListed = new int[2];
    List<String> cutRows = new ArrayList<>();
    // [shipped, joint][answerable closed, unrelated opened]
    int[][] moved = new int[2][2];
    System.out.println(
        "| project | shipped t_g / t_p | R@5 / MRR / abst. | joint set, λ | t_j / t_p |"
            + " R@5 / MRR / abst. |");
    System.out.println("|---|---|---|---|---|---|");
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = RelevanceFit.fold(train);
      List<Gated> innerShipped =
          TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
      Choice c = TwoThresholdFit.choose(innerShipped, 0);
      Fitted j = fit(RelevanceFit.lastInner, innerStyles(RelevanceFit.lastInner), lastStyle());
      Choice cj = TwoThresholdFit.choose(j.inner(), 0);
      StrongTopCut.Cut cut =
          strongCut
              ? StrongTopCut.choose(j.inner(), cj.floorGate(), cj.floorPair())
              : StrongTopCut.Cut.NONE;
      if (o.containsKey("write-folds")) {
        writeFold(Path.of(o.get("write-folds")), p, f, j.model(), cj, cut);
      }
      LeftOut left = LeftOut.of(prompts, p, f.model());
      List<Gated> mine = left.gated();
      List<Gated> mineJ = leftOut(left, j.model());
      Counts a = TwoThresholdFit.counts(mine, c.floorGate(), c.floorPair());
      Counts b = TwoThresholdFit.counts(mineJ, cj.floorGate(), cj.floorPair());
      shippedC.add(a);
      jointC.add(b);
      for (int i = 0; i < fixed.size(); i++) {
        fixedC.get(i).add(StrongTopCut.counts(mineJ, cj.floorGate(), cj.floorPair(), fixed.get(i)));
        TwoThresholdFit.add(
            fixedListed.get(i),
            StrongTopCut.listed(mineJ, cj.floorGate(), cj.floorPair(), fixed.get(i)));
      }
      if (strongCut) {
        Counts k = StrongTopCut.counts(mineJ, cj.floorGate(), cj.floorPair(), cut);
        cutC.add(k);
        int[] l = StrongTopCut.listed(mineJ, cj.floorGate(), cj.floorPair(), cut);
        TwoThresholdFit.add(cutListed, l);
        cutRows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s / %.2f | %s | %d/%d |",
                p,
                row(b),
                cut.none() ? "none" : String.format(Locale.ROOT, "%.2f", cut.strong()),
                cut.ratio(),
                row(k),
                l[1],
                l[0]));
      }
      TwoThresholdFit.add(
          shippedListed, TwoThresholdFit.listedCounts(mine, c.floorGate(), c.floorPair()));
      TwoThresholdFit.add(
          jointListed, TwoThresholdFit.listedCounts(mineJ, cj.floorGate(), cj.floorPair()));
      for (int i = 0; i < mine.size(); i++) {
        boolean ans = mine.get(i).prompt().answerable();
        boolean openS = mine.get(i).gate() >= c.floorGate() && mine.get(i).order().length > 0;
        boolean openJ = mineJ.get(i).gate() >= cj.floorGate() && mineJ.get(i).order().length > 0;
        if (ans) {
          moved[0][0] += openS ? 0 : 1;
          moved[1][0] += openJ ? 0 : 1;
        } else {
          moved[0][1] += openS ? 1 : 0;
          moved[1][1] += openJ ? 1 : 0;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f / %.2f | %s | %s, %s | %.2f / %.2f | %s |%n",
          p,
          c.floorGate(),
          c.floorPair(),
          row(a),
          j.set(),
          j.lambda(),
          cj.floorGate(),
          cj.floorPair(),
          row(b));
    }
    System.out.println();
    System.out.println(
        "| rule, left out (pooled) | recall@5 | MRR | abstention | search precision |"
            + " answerable closed | unrelated answered |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    pooled("shipped: query-style gate (t_g, t_p)", shippedC, shippedListed, moved[0]);
    pooled("joint answer/abstain model (t_j, t_p)", jointC, jointListed, moved[1]);
    if (strongCut) {
      pooled("joint + cut under a strong first (s, r)", cutC, cutListed, moved[1]);
      System.out.println();
      System.out.println(
          "| project | joint R@5 / MRR / abst. | s / r | with the cut | relevant/listed |");
      System.out.println("|---|---|---|---|---|");
      cutRows.forEach(System.out::println);
    }
    for (int i = 0; i < fixed.size(); i++) {
      pooled(
          String.format(
              Locale.ROOT,
              "diagnostic: fixed s %.2f, r %.2f",
              fixed.get(i).strong(),
              fixed.get(i).ratio()),
          fixedC.get(i),
          fixedListed.get(i),
          moved[1]);
    }
  }

  /** Session 24's lines of a search gate file (none: no lines, the shipped depth). */
  static String cutLines(StrongTopCut.Cut cut) {
    return cut.none()
        ? ""
        : String.format(
            Locale.ROOT,
            "search_strong_top %.2f%nsearch_relative_cut %.2f%n",
            cut.strong(),
            cut.ratio());
  }

  private static QueryStyle lastStyle() {
    return RelevanceFit.lastStyle();
  }

  private static String row(Counts c) {
    return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", c.recall5(), c.mrr(), c.abstention());
  }

  private static void pooled(String name, List<Counts> cs, int[] listed, int[] moved) {
    Counts c = Counts.sum(cs);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.3f | %.3f | %.3f | %.3f (%d/%d) | %d | %d |%n",
        name,
        c.recall5(),
        c.mrr(),
        c.abstention(),
        TwoThresholdFit.share(listed),
        listed[1],
        listed[0],
        moved[0],
        moved[1]);
    // The ship rule compares these: exact sums, so a tie at three decimals is not mistaken.
    System.out.printf(
        Locale.ROOT,
        "  (%s: recall@5 sum %.6f, reciprocal ranks %.6f over %d answerable; abstained %d of %d)%n",
        name,
        c.recall(),
        c.rr(),
        c.answerable(),
        c.abstained(),
        c.unrelated());
  }

  /** The search gate file's threshold lines ({@code t_j} in {@code search_gate_threshold}). */
  static String thresholds(Choice c, String minCandidates) {
    return String.format(
        Locale.ROOT,
        "search_gate_threshold %.2f%nsearch_pair_threshold %.2f%nsearch_gate_min_candidates %s%n",
        c.floorGate(),
        c.floorPair(),
        minCandidates);
  }

  /**
   * The fold's files for {@code scripts/bench-relevance --weights-dir}: {@code without-<p>.txt} as
   * {@code TwoThresholdFit --write-folds} writes it, and {@code search-gate-without-<p>.txt} with
   * the joint model and its thresholds. Called right after the fold's {@link RelevanceFit#fold}.
   */
  private static void writeFold(
      Path dir, String p, Fold f, SearchGateJoint joint, Choice c, StrongTopCut.Cut cut)
      throws IOException {
    Files.createDirectories(dir);
    List<Scored> s11 = RelevanceFit.lastS11Gated;
    RelevanceGate g11 =
        RelevanceFit.fitGate(
            RelevanceFit.lastInner, RelevanceGate.NAMES, RelevanceFit.lastS11Lambda);
    RelevanceModel pair = TwoThresholdFit.withoutGate(f.model());
    String header = "# left-out fold: fitted without " + p + " (JointGateFit --write-folds)\n";
    Files.writeString(
        dir.resolve("without-" + p + ".txt"),
        header
            + pair.withGate(g11, RelevanceFit.searchFloor(s11), RelevanceFit.hookThreshold(s11))
                .format(List.of()));
    Files.writeString(
        dir.resolve("search-gate-without-" + p + ".txt"),
        header + joint.format() + thresholds(c, "4") + cutLines(cut));
  }
}
