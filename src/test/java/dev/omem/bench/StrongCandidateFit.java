package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Fold;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Choice;
import dev.omem.bench.TwoThresholdFit.Counts;
import dev.omem.bench.TwoThresholdFit.Gated;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13, session 21 (docs/relevance/threshold-rule.md, "a strong candidate opens the gate"): a
 * default search answers if the query-style gate's probability >= t_g OR its best candidate's pair
 * probability >= t_hi. t_p stays the fold's shipped choice ({@link TwoThresholdFit#choose}); (t_g,
 * t_hi) is chosen per outer leave-one-project-out fold on the training projects' inner left-out
 * scores. Reads {@code RelevanceFit}'s pair cache ({@code --cache}); {@code --write <file>} fits on
 * all twelve projects instead, {@code --write-folds <dir>} writes each fold's files for {@code
 * scripts/bench-relevance --weights-dir}.
 */
final class StrongCandidateFit {
  private static final double GOAL = 0.90;

  /** t_hi "off": no pair probability reaches it, so only the gate opens (the shipped rule). */
  static final double OFF = 2;

  private StrongCandidateFit() {}

  /**
   * The prompts as {@link TwoThresholdFit#counts} reads them with the strong candidate folded in: a
   * prompt whose best pair probability reaches {@code tHi} gets gate 1, so it opens at any t_g.
   */
  static List<Gated> opened(List<Gated> gs, double tHi) {
    List<Gated> out = new ArrayList<>(gs.size());
    for (Gated g : gs) {
      boolean strong = g.order().length > 0 && g.p()[g.order()[0]] >= tHi;
      out.add(strong ? new Gated(g.prompt(), 1, g.p(), g.order()) : g);
    }
    return out;
  }

  /**
   * (t_g, t_hi) with the most inner recall@5 at inner abstention >= 0.90, t_p fixed (ties: higher
   * MRR, then the higher t_hi, off highest, then the higher t_g); {@code fixedGate} >= 0 holds t_g
   * there (the diagnostic). Scanned from the top down so that ">" keeps the higher on ties.
   */
  static double[] choose(List<Gated> gs, double tp, double fixedGate) {
    double bg = -1, bh = -1;
    Counts best = null;
    for (int h = 100; h >= 1; h--) {
      double tHi = h == 100 ? OFF : h / 100.0;
      List<Gated> o = opened(gs, tHi);
      for (int a = 99; a >= 1; a--) {
        double tg = fixedGate >= 0 ? fixedGate : a / 100.0;
        Counts c = TwoThresholdFit.counts(o, tg, tp);
        if (c.abstention() >= GOAL
            && (best == null
                || c.recall5() > best.recall5()
                || (c.recall5() == best.recall5() && c.mrr() > best.mrr()))) {
          bg = tg;
          bh = tHi;
          best = c;
        }
        if (fixedGate >= 0) {
          break;
        }
      }
    }
    return best == null ? null : new double[] {bg, bh};
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of(o.getOrDefault("set", "base+local").split(","));
    RelevanceFit.GATE_SET_NAMES = List.of(o.getOrDefault("gate-set", "s11,s11+style").split(","));
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    List<Prompt> prompts = RelevanceFit.readCachePublic(Path.of(o.get("cache")));
    RelevanceFit.embedPromptsPublic(prompts, data);
    if (o.containsKey("write")) {
      Fold f = RelevanceFit.fold(prompts);
      List<Gated> inner = TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
      Choice c = TwoThresholdFit.choose(inner, 0);
      double[] s = choose(inner, c.floorPair(), -1);
      System.err.printf(
          Locale.ROOT,
          "all twelve: shipped procedure t_g %.2f t_p %.2f; strong candidate t_g %.2f t_hi %s%n",
          c.floorGate(),
          c.floorPair(),
          s[0],
          hi(s[1]));
      Files.writeString(
          Path.of(o.get("write")),
          f.model().format(List.of())
              + thresholds(s[0], c.floorPair(), s[1], o.getOrDefault("min-candidates", "4")));
      return;
    }
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    List<Counts> shipped = new ArrayList<>(), strong = new ArrayList<>(), diag = new ArrayList<>();
    int[] shippedListed = new int[2], strongListed = new int[2], diagListed = new int[2];
    // Diagnostic: the prompts the fold's shipped gate closes, by their best pair probability:
    // [bin][answerable with a relevant first, answerable otherwise, unrelated].
    int[][] closed = new int[BINS.length][3];
    System.out.println(
        "| project | shipped t_g / t_p | R@5 / MRR / abst. | strong t_g / t_hi | R@5 / MRR / abst. |"
            + " diagnostic t_hi at shipped t_g | R@5 / MRR / abst. |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = RelevanceFit.fold(train);
      List<Gated> inner = TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
      List<Scored> s11 = RelevanceFit.lastS11Gated;
      double t11 = RelevanceFit.hookThreshold(s11);
      Choice c = TwoThresholdFit.choose(inner, RelevanceFit.Metrics.of(s11, t11, t11).precision());
      double tp = c.floorPair();
      double[] s = choose(inner, tp, -1);
      double[] d = choose(inner, tp, c.floorGate());
      if (s == null) {
        s = new double[] {c.floorGate(), OFF};
      }
      if (d == null) {
        d = new double[] {c.floorGate(), OFF};
      }
      RelevanceModel plainModel =
          f.model()
              .withGate(RelevanceGate.NONE, f.model().searchFloor(), f.model().hookThreshold());
      if (o.containsKey("write-folds")) {
        writeFold(Path.of(o.get("write-folds")), p, f, plainModel, s11, s[0], tp, s[1]);
      }
      List<Gated> mine = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          Scored pl = new Scored(q, RelevanceFit.predict(plainModel, q));
          Scored gd = new Scored(q, RelevanceFit.predict(f.model(), q));
          mine.add(Gated.of(pl, pl.p().length == 0 ? 0 : RelevanceFit.gateOf(gd, pl)));
        }
      }
      for (Gated g : mine) {
        if (g.gate() < c.floorGate() && g.order().length > 0) {
          double top = g.p()[g.order()[0]];
          int bin = 0;
          while (bin + 1 < BINS.length && top >= BINS[bin + 1]) {
            bin++;
          }
          boolean relFirst = g.prompt().pairs().get(g.order()[0]).relevant();
          closed[bin][g.prompt().answerable() ? (relFirst ? 0 : 1) : 2]++;
        }
      }
      Counts a = TwoThresholdFit.counts(mine, c.floorGate(), tp);
      Counts b = TwoThresholdFit.counts(opened(mine, s[1]), s[0], tp);
      Counts e = TwoThresholdFit.counts(opened(mine, d[1]), d[0], tp);
      shipped.add(a);
      strong.add(b);
      diag.add(e);
      add(shippedListed, TwoThresholdFit.listedCounts(mine, c.floorGate(), tp));
      add(strongListed, TwoThresholdFit.listedCounts(opened(mine, s[1]), s[0], tp));
      add(diagListed, TwoThresholdFit.listedCounts(opened(mine, d[1]), d[0], tp));
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f / %.2f | %s | %.2f / %s | %s | %s | %s |%n",
          p,
          c.floorGate(),
          tp,
          row(a),
          s[0],
          hi(s[1]),
          row(b),
          hi(d[1]),
          row(e));
    }
    System.out.println();
    System.out.println(
        "| rule, left out (pooled) | recall@5 | MRR | abstention | search precision |");
    System.out.println("|---|---:|---:|---:|---:|");
    pooled("shipped (t_g, t_p)", shipped, shippedListed);
    pooled("strong candidate (t_g, t_hi), t_p the fold's", strong, strongListed);
    pooled("diagnostic: t_hi alone at the shipped t_g", diag, diagListed);
    System.out.println();
    System.out.println(
        "| prompts the shipped gate closes, left out, by best pair probability | answerable,"
            + " relevant first | answerable, other first | unrelated |");
    System.out.println("|---|---:|---:|---:|");
    for (int b = 0; b < BINS.length; b++) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %d | %d |%n",
          b + 1 < BINS.length
              ? String.format(Locale.ROOT, "[%.2f, %.2f)", BINS[b], BINS[b + 1])
              : String.format(Locale.ROOT, ">= %.2f", BINS[b]),
          closed[b][0],
          closed[b][1],
          closed[b][2]);
    }
  }

  private static final double[] BINS = {0, 0.3, 0.5, 0.7, 0.8, 0.9};

  private static String hi(double tHi) {
    return tHi > 1 ? "off" : String.format(Locale.ROOT, "%.2f", tHi);
  }

  private static String row(Counts c) {
    return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", c.recall5(), c.mrr(), c.abstention());
  }

  private static void pooled(String name, List<Counts> cs, int[] listed) {
    Counts c = Counts.sum(cs);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.3f | %.3f | %.3f | %.3f (%d/%d) |%n",
        name,
        c.recall5(),
        c.mrr(),
        c.abstention(),
        TwoThresholdFit.share(listed),
        listed[1],
        listed[0]);
  }

  /** The search gate file's threshold lines; {@code search_strong_threshold} only when chosen. */
  static String thresholds(double tg, double tp, double tHi, String minCandidates) {
    return String.format(
        Locale.ROOT,
        "search_gate_threshold %.2f%nsearch_pair_threshold %.2f%n%s"
            + "search_gate_min_candidates %s%n",
        tg,
        tp,
        tHi > 1 ? "" : String.format(Locale.ROOT, "search_strong_threshold %.2f%n", tHi),
        minCandidates);
  }

  /**
   * The fold's files for {@code scripts/bench-relevance --weights-dir}: {@code without-<p>.txt} as
   * {@code TwoThresholdFit --write-folds} writes it (the pair model times its session 11 gate), and
   * {@code search-gate-without-<p>.txt} with this rule's thresholds. Called right after the fold's
   * {@link RelevanceFit#fold}, whose inner scores it reads.
   */
  private static void writeFold(
      Path dir,
      String p,
      Fold f,
      RelevanceModel pair,
      List<Scored> s11,
      double tg,
      double tp,
      double tHi)
      throws IOException {
    Files.createDirectories(dir);
    RelevanceGate g11 =
        RelevanceFit.fitGate(
            RelevanceFit.lastInner, RelevanceGate.NAMES, RelevanceFit.lastS11Lambda);
    String header =
        "# left-out fold: fitted without " + p + " (StrongCandidateFit --write-folds)\n";
    Files.writeString(
        dir.resolve("without-" + p + ".txt"),
        header
            + pair.withGate(g11, RelevanceFit.searchFloor(s11), RelevanceFit.hookThreshold(s11))
                .format(List.of()));
    Files.writeString(
        dir.resolve("search-gate-without-" + p + ".txt"),
        header + f.model().format(List.of()) + thresholds(tg, tp, tHi, "4"));
  }

  private static void add(int[] to, int[] c) {
    to[0] += c[0];
    to[1] += c[1];
  }
}
