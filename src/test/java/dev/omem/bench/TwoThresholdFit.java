package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Fold;
import dev.omem.bench.RelevanceFit.Metrics;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.retrieve.RelevanceGate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13, session 18's fourth candidate (docs/relevance/threshold-rule.md): a threshold on the
 * prompt-level gate and one on the pair probability, in place of one threshold on their product;
 * both chosen per outer fold on the training projects' inner left-out scores, figures outer
 * leave-one-project-out. Reads {@code RelevanceFit}'s pair cache ({@code --cache}).
 *
 * <p>One file of ~900 lines because every variant measured on the search floor (session 20's {@code
 * --pad-free}, {@code --harmonic}, {@code --relative}, {@code --write-folds}) reads the same folds
 * and counts and must print beside the shipped row in one run; splitting the variants into their
 * own classes is the next clean-up (session 20 closing note).
 */
final class TwoThresholdFit {
  private static final double GOAL = 0.90;

  private TwoThresholdFit() {}

  /** A prompt's gate probability and its candidates' pair probabilities, best first. */
  record Gated(Prompt prompt, double gate, double[] p, int[] order) {
    static Gated of(Scored plain, double gate) {
      return new Gated(
          plain.prompt(),
          gate,
          plain.p(),
          plain.order().stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** The hook's and the search's figures at (t_g, t_p): counts, as {@link Metrics} keeps them. */
  record Counts(
      int answerable,
      int unrelated,
      int hits,
      int injected,
      int injectedRelevant,
      int quiet,
      double recall,
      double rr,
      int abstained) {
    double hit() {
      return (double) hits / answerable;
    }

    double precision() {
      return injected == 0 ? 0 : (double) injectedRelevant / injected;
    }

    double quietRate() {
      return (double) quiet / unrelated;
    }

    double recall5() {
      return recall / answerable;
    }

    double mrr() {
      return rr / answerable;
    }

    double abstention() {
      return (double) abstained / unrelated;
    }
  }

  /**
   * The hook (up to {@code RelevanceFit.hookCap} of the 10 best at or above t_p) and the default
   * search (the 10 best at or above t_p), for prompts whose gate is at or above t_g.
   */
  static Counts counts(List<Gated> gs, double tg, double tp) {
    return counts(gs, tg, tp, 0);
  }

  /** {@link #counts} with session 20's relative cut: a result also needs p >= r x the top p. */
  static Counts counts(List<Gated> gs, double tg, double tp, double r) {
    return counts(gs, tg, tp, r, 0);
  }

  /** {@link #counts} with variant D's floor on the first result: nothing when p_top < tTop. */
  static Counts counts(List<Gated> gs, double tg, double tp, double r, double tTop) {
    int a = 0, u = 0, hits = 0, inj = 0, injRel = 0, quiet = 0, abst = 0;
    double rec = 0, rr = 0;
    for (Gated g : gs) {
      Prompt q = g.prompt();
      boolean open =
          g.gate() >= tg && (tTop <= 0 || (g.order().length > 0 && g.p()[g.order()[0]] >= tTop));
      int shown = 0, shownRel = 0, found = 0, listed = 0;
      double first = 0;
      if (open) {
        double cut = g.order().length == 0 ? 0 : r * g.p()[g.order()[0]];
        for (int k = 0; k < Math.min(10, g.order().length); k++) {
          int i = g.order()[k];
          if (g.p()[i] < tp || g.p()[i] < cut) {
            break; // best first: nothing further passes either
          }
          boolean rel = q.pairs().get(i).relevant();
          if (shown < RelevanceFit.hookCap) {
            shown++;
            shownRel += rel ? 1 : 0;
          }
          if (listed < 5 && rel) {
            found++;
          }
          if (rel && first == 0) {
            first = 1.0 / (listed + 1);
          }
          listed++;
        }
      }
      inj += shown;
      injRel += shownRel;
      if (q.answerable()) {
        a++;
        hits += shownRel > 0 ? 1 : 0;
        rec += (double) found / q.relevantCount();
        rr += first;
      } else {
        u++;
        quiet += shown == 0 ? 1 : 0;
        abst += listed == 0 ? 1 : 0;
      }
    }
    return new Counts(a, u, hits, inj, injRel, quiet, rec, rr, abst);
  }

  /** The chosen pairs of thresholds; {@code fallback} when no hook pair met the rule. */
  record Choice(
      double hookGate, double hookPair, double floorGate, double floorPair, boolean fallback) {}

  /** The rule of docs/relevance/threshold-rule.md ("Session 18, fourth candidate"). */
  static Choice choose(List<Gated> gs, double minPrecision) {
    double hg = -1, hp = -1;
    Counts hb = null;
    double fg = -1, fp = -1;
    Counts fb = null;
    double harmonic = -1, hfg = 0.99, hfp = 0.99;
    for (int a = 1; a < 100; a++)
      for (int b = 1; b < 100; b++) {
        double tg = a / 100.0, tp = b / 100.0;
        Counts c = counts(gs, tg, tp);
        if (c.quietRate() >= GOAL && c.precision() >= minPrecision) {
          if (hb == null
              || c.hits() > hb.hits()
              || (c.hits() == hb.hits() && c.precision() > hb.precision())) {
            hg = tg;
            hp = tp;
            hb = c;
          }
        }
        if (c.abstention() >= GOAL) {
          if (fb == null
              || c.recall5() > fb.recall5()
              || (c.recall5() == fb.recall5() && c.mrr() > fb.mrr())) {
            fg = tg;
            fp = tp;
            fb = c;
          }
        }
        double h = 2 * c.recall5() * c.abstention() / (c.recall5() + c.abstention() + 1e-12);
        if (h > harmonic) {
          harmonic = h;
          hfg = tg;
          hfp = tp;
        }
      }
    // Ties: the loops run t_g upward, and ">" keeps the first, so equal figures keep the lower
    // t_g; the rule asks for the higher, so a second pass settles that.
    if (hb != null) {
      for (int a = 99; a >= 1; a--) {
        double tg = a / 100.0;
        for (int b = 1; b < 100; b++) {
          Counts c = counts(gs, tg, b / 100.0);
          if (c.quietRate() >= GOAL
              && c.precision() >= minPrecision
              && c.hits() == hb.hits()
              && c.precision() == hb.precision()) {
            hg = tg;
            hp = b / 100.0;
            a = 0;
            break;
          }
        }
      }
    }
    if (fb != null) {
      for (int a = 99; a >= 1; a--) {
        double tg = a / 100.0;
        for (int b = 1; b < 100; b++) {
          Counts c = counts(gs, tg, b / 100.0);
          if (c.abstention() >= GOAL && c.recall5() == fb.recall5() && c.mrr() == fb.mrr()) {
            fg = tg;
            fp = b / 100.0;
            a = 0;
            break;
          }
        }
      }
    } else {
      fg = hfg;
      fp = hfp;
    }
    return new Choice(hg, hp, fg, fp, hb == null);
  }

  /**
   * Session 20: the default search's precision at (t_g, t_p): the share of all listed memories (the
   * 10 best at or above t_p of the prompts the gate opens) that are relevant; {@code [listed,
   * relevant]}.
   */
  /** Session 20's third candidate: {@link #padFree} by the harmonic mean (--harmonic). */
  static boolean harmonic;

  static int[] listedCounts(List<Gated> gs, double tg, double tp) {
    return listedCounts(gs, tg, tp, 0);
  }

  static int[] listedCounts(List<Gated> gs, double tg, double tp, double r) {
    return listedCounts(gs, tg, tp, r, 0);
  }

  static int[] listedCounts(List<Gated> gs, double tg, double tp, double r, double tTop) {
    int listed = 0, rel = 0;
    for (Gated g : gs) {
      if (g.gate() < tg || (tTop > 0 && (g.order().length == 0 || g.p()[g.order()[0]] < tTop))) {
        continue;
      }
      double cut = g.order().length == 0 ? 0 : r * g.p()[g.order()[0]];
      for (int k = 0; k < Math.min(10, g.order().length); k++) {
        int i = g.order()[k];
        if (g.p()[i] < tp || g.p()[i] < cut) {
          break;
        }
        listed++;
        rel += g.prompt().pairs().get(i).relevant() ? 1 : 0;
      }
    }
    return new int[] {listed, rel};
  }

  /** The shipped floor's {@code [listed, relevant]}: the 10 best with product at or above it. */
  static int[] floorListed(List<Scored> product, double floor) {
    int listed = 0, rel = 0;
    for (Scored s : product) {
      List<Integer> order = s.order();
      for (int r = 0; r < Math.min(10, order.size()); r++) {
        int i = order.get(r);
        if (s.p()[i] < floor) {
          break;
        }
        listed++;
        rel += s.prompt().pairs().get(i).relevant() ? 1 : 0;
      }
    }
    return new int[] {listed, rel};
  }

  static double share(int[] c) {
    return c[0] == 0 ? 0 : (double) c[1] / c[0];
  }

  /**
   * Session 20's t_p (docs/relevance/threshold-rule.md, "second step"): at the fold's t_g, the most
   * inner recall@5 (ties: MRR, then the higher t_p) with abstention >= 0.90 and search precision >=
   * {@code minPrecision}; NaN when no t_p meets both.
   */
  static double padFree(List<Gated> gs, double tg, double minPrecision) {
    double best = Double.NaN;
    double bestH = -1;
    Counts bc = null;
    for (int b = 1; b < 100; b++) {
      double tp = b / 100.0;
      Counts c = counts(gs, tg, tp);
      double prec = share(listedCounts(gs, tg, tp));
      if (harmonic) {
        // Session 20's third candidate: the harmonic mean of recall@5 and search precision.
        double h = 2 * c.recall5() * prec / (c.recall5() + prec + 1e-12);
        if (c.abstention() >= GOAL && h >= bestH) {
          bestH = h;
          best = tp;
        }
        continue;
      }
      if (c.abstention() < GOAL || prec < minPrecision) {
        continue;
      }
      if (bc == null
          || c.recall5() > bc.recall5()
          || (c.recall5() == bc.recall5() && c.mrr() >= bc.mrr())) {
        best = tp;
        bc = c;
      }
    }
    return best;
  }

  /**
   * Session 20's relative cut (docs/relevance/threshold-rule.md, "a cut relative to the top
   * result"): r on 0.00..0.99 at the fold's (t_g, t_p). Variant A ({@code harmonicMean} false): the
   * most inner recall@5 (ties: MRR, then the higher r) with abstention >= 0.90 and search precision
   * >= {@code minPrecision}, NaN when none; variant B: the highest harmonic mean of recall@5 and
   * search precision with abstention >= 0.90 (ties: the higher r).
   */
  static double relative(
      List<Gated> gs, double tg, double tp, double minPrecision, boolean harmonicMean) {
    double best = Double.NaN, bestH = -1;
    Counts bc = null;
    for (int b = 0; b < 100; b++) {
      double r = b / 100.0;
      Counts c = counts(gs, tg, tp, r);
      if (c.abstention() < GOAL) {
        continue;
      }
      double prec = share(listedCounts(gs, tg, tp, r));
      if (harmonicMean) {
        double h = 2 * c.recall5() * prec / (c.recall5() + prec + 1e-12);
        if (h >= bestH) {
          bestH = h;
          best = r;
        }
        continue;
      }
      if (prec < minPrecision) {
        continue;
      }
      if (bc == null
          || c.recall5() > bc.recall5()
          || (c.recall5() == bc.recall5() && c.mrr() >= bc.mrr())) {
        best = r;
        bc = c;
      }
    }
    return best;
  }

  /**
   * Session 20's relative cut, variant C: (t_g, r) together at the fold's t_p, the most inner
   * recall@5 (ties: MRR, then the higher r, then the higher t_g) with abstention >= 0.90 and search
   * precision >= {@code minPrecision}; null when no pair meets both.
   */
  static double[] relativeJoint(List<Gated> gs, double tp, double minPrecision) {
    double[] best = null;
    Counts bc = null;
    for (int b = 0; b < 100; b++) {
      for (int a = 1; a < 100; a++) {
        double tg = a / 100.0, r = b / 100.0;
        Counts c = counts(gs, tg, tp, r);
        if (c.abstention() < GOAL
            || (bc != null && c.recall5() < bc.recall5())
            || share(listedCounts(gs, tg, tp, r)) < minPrecision) {
          continue;
        }
        if (bc == null
            || c.recall5() > bc.recall5()
            || (c.recall5() == bc.recall5() && c.mrr() >= bc.mrr())) {
          best = new double[] {tg, r};
          bc = c;
        }
      }
    }
    return best;
  }

  /**
   * Session 20's relative cut, variant D: (t_top, r) at the fold's (t_g, t_p); D1 ({@code
   * harmonicMean} false) the most inner recall@5 (ties: MRR, higher r, higher t_top) with
   * abstention >= 0.90 and search precision >= {@code minPrecision}, null when none; D2 the highest
   * harmonic mean of recall@5 and search precision with abstention >= 0.90 (ties: higher r, higher
   * t_top).
   */
  static double[] relativeTop(
      List<Gated> gs, double tg, double tp, double minPrecision, boolean harmonicMean) {
    double[] best = null;
    Counts bc = null;
    double bestH = -1;
    for (int b = 0; b < 100; b++) {
      for (int a = 1; a < 100; a++) {
        double tTop = a / 100.0, r = b / 100.0;
        Counts c = counts(gs, tg, tp, r, tTop);
        if (c.abstention() < GOAL) {
          continue;
        }
        double prec = share(listedCounts(gs, tg, tp, r, tTop));
        if (harmonicMean) {
          double h = 2 * c.recall5() * prec / (c.recall5() + prec + 1e-12);
          if (h >= bestH) {
            bestH = h;
            best = new double[] {tTop, r};
          }
          continue;
        }
        if (prec < minPrecision) {
          continue;
        }
        if (bc == null
            || c.recall5() > bc.recall5()
            || (c.recall5() == bc.recall5() && c.mrr() >= bc.mrr())) {
          best = new double[] {tTop, r};
          bc = c;
        }
      }
    }
    return best;
  }

  /** Each scored prompt with its gate probability: {@code gated}'s factor over {@code plain}. */
  static List<Gated> gated(List<Scored> plain, List<Scored> gated) {
    List<Gated> out = new ArrayList<>();
    for (int i = 0; i < plain.size(); i++) {
      Scored pl = plain.get(i);
      double g = pl.p().length == 0 ? 0 : RelevanceFit.gateOf(gated.get(i), pl);
      out.add(Gated.of(pl, g));
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of(o.getOrDefault("set", "base+local").split(","));
    if (o.containsKey("gate-set")) {
      RelevanceFit.GATE_SET_NAMES = List.of(o.get("gate-set").split(","));
    }
    harmonic = o.containsKey("harmonic");
    Path cache = Path.of(o.get("cache"));
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    List<Prompt> prompts = RelevanceFit.readCachePublic(cache);
    RelevanceFit.embedPromptsPublic(prompts, data);
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    if (o.containsKey("write")) {
      // Session 18's sixth candidate: the same procedure on all twelve projects, shipped.
      Fold f = RelevanceFit.fold(prompts);
      Choice c = choose(gated(RelevanceFit.lastInner, RelevanceFit.lastGated), 0);
      if (o.containsKey("relative")) {
        // Session 20: the relative cut's r on all twelve projects, at the same (t_g, t_p).
        List<Scored> s11 = RelevanceFit.lastS11Gated;
        double minSearch = share(floorListed(s11, RelevanceFit.searchFloor(s11)));
        List<Gated> all = gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
        System.err.printf(
            Locale.ROOT,
            "relative (all twelve): t_g %.2f, t_p %.2f, r(A) %.2f, r(B) %.2f%n",
            c.floorGate(),
            c.floorPair(),
            relative(all, c.floorGate(), c.floorPair(), minSearch, false),
            relative(all, c.floorGate(), c.floorPair(), minSearch, true));
      }
      if (o.containsKey("pad-free")) {
        // Session 20: the pad-free t_p on all twelve projects, at the same t_g.
        List<Scored> s11 = RelevanceFit.lastS11Gated;
        double minSearch = share(floorListed(s11, RelevanceFit.searchFloor(s11)));
        double tp2 =
            padFree(
                gated(RelevanceFit.lastInner, RelevanceFit.lastGated), c.floorGate(), minSearch);
        System.err.printf(
            Locale.ROOT,
            "pad-free (all twelve): t_g %.2f, shipped-procedure t_p %.2f, pad-free t_p %.2f"
                + " (inner min precision %.3f)%n",
            c.floorGate(),
            c.floorPair(),
            tp2,
            minSearch);
      }
      java.nio.file.Files.writeString(
          Path.of(o.get("write")),
          f.model().format(List.of())
              + String.format(
                  Locale.ROOT,
                  "search_gate_threshold %.2f%nsearch_pair_threshold %.2f%n"
                      + "search_gate_min_candidates %s%n",
                  c.floorGate(),
                  c.floorPair(),
                  // Session 19: chosen by SmallStoreGate on the dev projects' small stores.
                  o.getOrDefault("min-candidates", "0")));
      return;
    }
    List<Gated> leftOutTwo = new ArrayList<>();
    boolean padFreeRun = o.containsKey("pad-free");
    boolean relRun = o.containsKey("relative");
    List<Double> relA = new ArrayList<>(), relB = new ArrayList<>();
    List<String> relC = new ArrayList<>();
    List<Counts> relCCounts = new ArrayList<>();
    int[] relCListed = new int[2];
    int relCFallback = 0;
    double[] jc = null, d1 = null, d2 = null;
    List<String> relD1 = new ArrayList<>(), relD2 = new ArrayList<>();
    List<Counts> relD1Counts = new ArrayList<>(), relD2Counts = new ArrayList<>();
    int[] relD1Listed = new int[2], relD2Listed = new int[2];
    int relD1Fallback = 0;
    int relFallback = 0;
    List<Counts> relACounts = new ArrayList<>(), relBCounts = new ArrayList<>();
    int[] relAListed = new int[2], relBListed = new int[2];
    List<List<Counts>> sweep = new ArrayList<>();
    int[][] sweepListed = new int[10][2];
    for (int k = 0; k < 10; k++) {
      sweep.add(new ArrayList<>());
    }
    int padFallback = 0;
    List<Double> padTp = new ArrayList<>(), padTg = new ArrayList<>(), padMin = new ArrayList<>();
    List<Counts> padCounts = new ArrayList<>();
    int[] padListed = new int[2], twoListed = new int[2], prodListed = new int[2];
    List<Scored> leftOutProduct = new ArrayList<>();
    List<Scored> leftOutPlain = new ArrayList<>();
    List<Counts> hookCounts = new ArrayList<>();
    List<Counts> floorCounts = new ArrayList<>();
    Metrics productSum = null;
    List<Metrics> productPer = new ArrayList<>();
    System.out.println(
        "| project | gate t_g / pair t_p (hook) | (floor) | hook hit | precision (n) | quiet |"
            + " recall@5 | MRR | abstention | product: hit / precision / quiet / R@5 |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = RelevanceFit.fold(train);
      List<Gated> inner = gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
      List<Scored> s11 = RelevanceFit.lastS11Gated;
      double t11 = RelevanceFit.hookThreshold(s11);
      double minPrecision = Metrics.of(s11, t11, t11).precision();
      Choice c = choose(inner, minPrecision);
      if (relRun) {
        double minSearch = share(floorListed(s11, RelevanceFit.searchFloor(s11)));
        double ra = relative(inner, c.floorGate(), c.floorPair(), minSearch, false);
        relFallback += Double.isNaN(ra) ? 1 : 0;
        relA.add(Double.isNaN(ra) ? 0 : ra);
        relB.add(relative(inner, c.floorGate(), c.floorPair(), minSearch, true));
        jc = relativeJoint(inner, c.floorPair(), minSearch);
        relCFallback += jc == null ? 1 : 0;
        if (jc == null) {
          jc = new double[] {c.floorGate(), 0};
        }
        relC.add(String.format(Locale.ROOT, "%.2f/%.2f", jc[0], jc[1]));
        d1 = relativeTop(inner, c.floorGate(), c.floorPair(), minSearch, false);
        relD1Fallback += d1 == null ? 1 : 0;
        if (d1 == null) {
          d1 = new double[] {c.floorPair(), 0};
        }
        d2 = relativeTop(inner, c.floorGate(), c.floorPair(), minSearch, true);
        relD1.add(String.format(Locale.ROOT, "%.2f/%.2f", d1[0], d1[1]));
        relD2.add(String.format(Locale.ROOT, "%.2f/%.2f", d2[0], d2[1]));
        System.err.printf(
            Locale.ROOT,
            "relative: fold %s t_g %.2f t_p %.2f inner min precision %.3f r(A) %s r(B) %.2f%n",
            p,
            c.floorGate(),
            c.floorPair(),
            minSearch,
            Double.isNaN(ra) ? "fallback" : String.format(Locale.ROOT, "%.2f", ra),
            relB.get(relB.size() - 1));
      }
      if (padFreeRun) {
        double floorS11 = RelevanceFit.searchFloor(s11);
        double minSearch = share(floorListed(s11, floorS11));
        double tp2 = padFree(inner, c.floorGate(), minSearch);
        padFallback += Double.isNaN(tp2) ? 1 : 0;
        padTp.add(Double.isNaN(tp2) ? c.floorPair() : tp2);
        padTg.add(c.floorGate());
        padMin.add(minSearch);
      }
      var plainModel =
          f.model()
              .withGate(RelevanceGate.NONE, f.model().searchFloor(), f.model().hookThreshold());
      List<Gated> mine = new ArrayList<>();
      List<Scored> mineProduct = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          Scored pl = new Scored(q, RelevanceFit.predict(plainModel, q));
          Scored gd = new Scored(q, RelevanceFit.predict(f.model(), q));
          mine.add(Gated.of(pl, pl.p().length == 0 ? 0 : RelevanceFit.gateOf(gd, pl)));
          mineProduct.add(gd);
          leftOutPlain.add(pl);
        }
      }
      Metrics prod = Metrics.of(mineProduct, f.model().hookThreshold(), f.model().searchFloor());
      productPer.add(prod);
      leftOutProduct.addAll(mineProduct);
      leftOutTwo.addAll(mine);
      Counts h = counts(mine, c.hookGate(), c.hookPair());
      Counts s = counts(mine, c.floorGate(), c.floorPair());
      if (c.fallback()) {
        System.err.println("two-threshold: fold " + p + " fell back to the shipped product");
      }
      if (o.containsKey("dump")) {
        dump(Path.of(o.get("dump")), p, mine, c.floorGate(), c.floorPair());
      }
      if (o.containsKey("write-folds")) {
        writeFold(Path.of(o.get("write-folds")), p, f, plainModel, s11, c);
      }
      hookCounts.add(h);
      floorCounts.add(s);
      add(twoListed, listedCounts(mine, c.floorGate(), c.floorPair()));
      add(prodListed, floorListed(mineProduct, f.model().searchFloor()));
      if (relRun) {
        double ra = relA.get(relA.size() - 1), rb = relB.get(relB.size() - 1);
        relACounts.add(counts(mine, c.floorGate(), c.floorPair(), ra));
        relBCounts.add(counts(mine, c.floorGate(), c.floorPair(), rb));
        relCCounts.add(counts(mine, jc[0], c.floorPair(), jc[1]));
        relD1Counts.add(counts(mine, c.floorGate(), c.floorPair(), d1[1], d1[0]));
        add(relD1Listed, listedCounts(mine, c.floorGate(), c.floorPair(), d1[1], d1[0]));
        relD2Counts.add(counts(mine, c.floorGate(), c.floorPair(), d2[1], d2[0]));
        add(relD2Listed, listedCounts(mine, c.floorGate(), c.floorPair(), d2[1], d2[0]));
        add(relCListed, listedCounts(mine, jc[0], c.floorPair(), jc[1]));
        add(relAListed, listedCounts(mine, c.floorGate(), c.floorPair(), ra));
        add(relBListed, listedCounts(mine, c.floorGate(), c.floorPair(), rb));
        for (int k = 0; k < 10; k++) {
          sweep.get(k).add(counts(mine, c.floorGate(), c.floorPair(), k / 10.0));
          add(sweepListed[k], listedCounts(mine, c.floorGate(), c.floorPair(), k / 10.0));
        }
      }
      if (padFreeRun) {
        double tp2 = padTp.get(padTp.size() - 1);
        Counts pc = counts(mine, c.floorGate(), tp2);
        padCounts.add(pc);
        add(padListed, listedCounts(mine, c.floorGate(), tp2));
        System.out.printf(
            Locale.ROOT,
            "| %s (pad-free) | | %.2f / %.2f%s (inner min precision %.3f) | | | | %.3f | %.3f |"
                + " %.3f | |%n",
            p,
            c.floorGate(),
            tp2,
            Double.isNaN(padfreeRaw(inner, c.floorGate(), padMin.get(padMin.size() - 1)))
                ? " (fallback)"
                : "",
            padMin.get(padMin.size() - 1),
            pc.recall5(),
            pc.mrr(),
            pc.abstention());
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f / %.2f%s | %.2f / %.2f | %.3f | %.3f (%d) | %.3f | %.3f | %.3f | %.3f |"
              + " %.3f / %.3f / %.3f / %.3f |%n",
          p,
          c.hookGate(),
          c.hookPair(),
          c.fallback() ? " (fallback)" : "",
          c.floorGate(),
          c.floorPair(),
          h.hit(),
          h.precision(),
          h.injected(),
          h.quietRate(),
          s.recall5(),
          s.mrr(),
          s.abstention(),
          prod.hit(),
          prod.precision(),
          prod.quiet(),
          prod.recall5());
    }
    Counts h = sum(hookCounts);
    Counts s = sum(floorCounts);
    Metrics prod = Metrics.pooled(productPer);
    System.out.printf(
        Locale.ROOT,
        "%n**search precision, left out** (listed memories relevant / listed): two thresholds"
            + " %.3f (%d/%d); shipped floor (product) %.3f (%d/%d)%n",
        share(twoListed),
        twoListed[1],
        twoListed[0],
        share(prodListed),
        prodListed[1],
        prodListed[0]);
    if (relRun) {
      Counts ac = sum(relACounts), bc = sum(relBCounts);
      System.out.printf(
          Locale.ROOT,
          "%n**relative cut A (bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search"
              + " precision %.3f (%d/%d); r per fold %s; fallbacks %d%n",
          ac.recall5(),
          ac.mrr(),
          ac.abstention(),
          share(relAListed),
          relAListed[1],
          relAListed[0],
          relA,
          relFallback);
      System.out.printf(
          Locale.ROOT,
          "**relative cut B (harmonic), all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search"
              + " precision %.3f (%d/%d); r per fold %s%n",
          bc.recall5(),
          bc.mrr(),
          bc.abstention(),
          share(relBListed),
          relBListed[1],
          relBListed[0],
          relB);
      Counts cc = sum(relCCounts);
      System.out.printf(
          Locale.ROOT,
          "**relative cut C (t_g and r, bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f,"
              + " search precision %.3f (%d/%d); t_g/r per fold %s; fallbacks %d%n",
          cc.recall5(),
          cc.mrr(),
          cc.abstention(),
          share(relCListed),
          relCListed[1],
          relCListed[0],
          relC,
          relCFallback);
      Counts e1 = sum(relD1Counts), e2 = sum(relD2Counts);
      System.out.printf(
          Locale.ROOT,
          "**relative cut D1 (t_top and r, bound), all**: recall@5 %.3f, MRR %.3f, abstention %.3f,"
              + " search precision %.3f (%d/%d); t_top/r per fold %s; fallbacks %d%n",
          e1.recall5(),
          e1.mrr(),
          e1.abstention(),
          share(relD1Listed),
          relD1Listed[1],
          relD1Listed[0],
          relD1,
          relD1Fallback);
      System.out.printf(
          Locale.ROOT,
          "**relative cut D2 (t_top and r, harmonic), all**: recall@5 %.3f, MRR %.3f, abstention"
              + " %.3f, search precision %.3f (%d/%d); t_top/r per fold %s%n",
          e2.recall5(),
          e2.mrr(),
          e2.abstention(),
          share(relD2Listed),
          relD2Listed[1],
          relD2Listed[0],
          relD2);
      System.out.println();
      System.out.println(
          "| fixed r (diagnostic) | recall@5 | MRR | abstention | search precision |");
      System.out.println("|---:|---:|---:|---:|---:|");
      for (int k = 0; k < 10; k++) {
        Counts w = sum(sweep.get(k));
        System.out.printf(
            Locale.ROOT,
            "| %.1f | %.3f | %.3f | %.3f | %.3f (%d/%d) |%n",
            k / 10.0,
            w.recall5(),
            w.mrr(),
            w.abstention(),
            share(sweepListed[k]),
            sweepListed[k][1],
            sweepListed[k][0]);
      }
    }
    if (padFreeRun) {
      Counts pc = sum(padCounts);
      System.out.printf(
          Locale.ROOT,
          "**pad-free t_p, all**: recall@5 %.3f, MRR %.3f, abstention %.3f, search precision %.3f"
              + " (%d/%d); t_p per fold %s; fallbacks %d%n",
          pc.recall5(),
          pc.mrr(),
          pc.abstention(),
          share(padListed),
          padListed[1],
          padListed[0],
          padTp,
          padFallback);
    }
    Metrics cal = Metrics.of(leftOutPlain, 1.01, 1.01);
    System.out.printf(
        Locale.ROOT,
        "%n**two thresholds, all**: hook hit %.3f, precision %.3f (%d), quiet %.3f; search recall@5"
            + " %.3f, MRR %.3f, abstention %.3f; pair probability ECE %.3f, Brier %.3f%n",
        h.hit(),
        h.precision(),
        h.injected(),
        h.quietRate(),
        s.recall5(),
        s.mrr(),
        s.abstention(),
        cal.ece(),
        cal.brier());
    System.out.printf(
        Locale.ROOT,
        "**product with the nested gate, all**: hook hit %.3f, precision %.3f (%d), quiet %.3f;"
            + " recall@5 %.3f, MRR %.3f, abstention %.3f; ECE %.3f, Brier %.3f%n",
        prod.hit(),
        prod.precision(),
        prod.injected(),
        prod.quiet(),
        prod.recall5(),
        prod.mrr(),
        prod.abstention(),
        prod.ece(),
        prod.brier());
  }

  /**
   * Session 20: the left-out fold's files for {@code scripts/bench-relevance --weights-dir}, so a
   * project's default {@code memory_search} runs through the real path with everything fitted
   * without it: {@code without-<p>.txt} the fold's pair model times its session 11 gate (λ by the
   * same inner log loss) with that product's floor and hook threshold (what the shipped
   * relevance-weights.txt holds), and {@code search-gate-without-<p>.txt} the fold's chosen gate
   * with its two thresholds ({@code search_gate_min_candidates} 4, SmallStoreGate's choice in 12 of
   * 12 folds).
   */
  private static void writeFold(
      Path dir, String p, Fold f, dev.omem.retrieve.RelevanceModel pair, List<Scored> s11, Choice c)
      throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    RelevanceGate g11 =
        RelevanceFit.fitGate(
            RelevanceFit.lastInner, RelevanceGate.NAMES, RelevanceFit.lastS11Lambda);
    String header = "# left-out fold: fitted without " + p + " (TwoThresholdFit --write-folds)\n";
    java.nio.file.Files.writeString(
        dir.resolve("without-" + p + ".txt"),
        header
            + pair.withGate(g11, RelevanceFit.searchFloor(s11), RelevanceFit.hookThreshold(s11))
                .format(List.of()));
    java.nio.file.Files.writeString(
        dir.resolve("search-gate-without-" + p + ".txt"),
        header
            + f.model().format(List.of())
            + String.format(
                Locale.ROOT,
                "search_gate_threshold %.2f%nsearch_pair_threshold %.2f%n"
                    + "search_gate_min_candidates 4%n",
                c.floorGate(),
                c.floorPair()));
  }

  /**
   * Session 20: the left-out search decision per prompt (JSON lines appended: project, prompt index
   * within it, gate probability, and the memories returned, best first), to set beside {@code
   * scripts/bench-relevance}'s per-prompt rows.
   */
  private static void dump(Path f, String project, List<Gated> mine, double tg, double tp)
      throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < mine.size(); k++) {
      Gated g = mine.get(k);
      List<String> listed = new ArrayList<>();
      for (int r = 0; g.gate() >= tg && r < Math.min(10, g.order().length); r++) {
        int i = g.order()[r];
        if (g.p()[i] < tp) {
          break;
        }
        listed.add(String.format(Locale.ROOT, "[%d,%.4f]", i, g.p()[i]));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "{\"project\":\"%s\",\"prompt_index\":%d,\"gate\":%.4f,\"t_g\":%.2f,\"list\":[%s]}%n",
              project,
              k,
              g.gate(),
              tg,
              String.join(",", listed)));
    }
    java.nio.file.Files.writeString(
        f,
        sb.toString(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private static double padfreeRaw(List<Gated> gs, double tg, double min) {
    return padFree(gs, tg, min);
  }

  private static void add(int[] to, int[] c) {
    to[0] += c[0];
    to[1] += c[1];
  }

  private static Counts sum(List<Counts> cs) {
    int a = 0, u = 0, hi = 0, inj = 0, ir = 0, qu = 0, ab = 0;
    double rec = 0, rr = 0;
    for (Counts c : cs) {
      a += c.answerable();
      u += c.unrelated();
      hi += c.hits();
      inj += c.injected();
      ir += c.injectedRelevant();
      qu += c.quiet();
      ab += c.abstained();
      rec += c.recall();
      rr += c.rr();
    }
    return new Counts(a, u, hi, inj, ir, qu, rec, rr, ab);
  }
}
