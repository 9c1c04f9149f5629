package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Fold;
import dev.omem.bench.RelevanceFit.Metrics;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.bench.TwoThresholdFit.Gated;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13, session 20 (docs/relevance/threshold-rule.md, "Session 20"): the hook decides per
 * prompt with the query-style gate (t_g), then injects the pair model's best candidate (variant B:
 * if its pair probability is at least t_1) and further ones, up to k_max, while their pair
 * probability is at least t_2. Thresholds chosen per outer fold on the training projects' inner
 * left-out scores; figures outer leave-one-project-out. Reads {@code RelevanceFit}'s pair cache
 * ({@code --cache}).
 */
final class HookTopFit {
  static final double QUIET_GOAL = 0.90;
  static final double MIN_PRECISION = 0.60;

  /** The candidates a hook's search returns (PromptInjection's PROMPT_CANDIDATES). */
  private static final int CANDIDATES = 10;

  private HookTopFit() {}

  /** A hook decision: gate threshold, first-memory floor (0 in candidate A), t_2, k_max. */
  record Rule(double tg, double t1, double t2, int k) {}

  /** The hook's counts under a rule. */
  record Counts(
      int answerable, int unrelated, int hits, int injected, int injectedRelevant, int quiet)
      implements HookFigures {
    Counts plus(Counts o) {
      return new Counts(
          answerable + o.answerable,
          unrelated + o.unrelated,
          hits + o.hits,
          injected + o.injected,
          injectedRelevant + o.injectedRelevant,
          quiet + o.quiet);
    }
  }

  /** How many of a prompt's candidates the rule injects when its gate is open (best first). */
  static int shown(Gated g, double t1, double t2, int k) {
    int n = Math.min(Math.min(k, CANDIDATES), g.order().length);
    if (n == 0 || g.p()[g.order()[0]] < t1) {
      return 0;
    }
    int s = 1;
    while (s < n && g.p()[g.order()[s]] >= t2) {
      s++;
    }
    return s;
  }

  /** Variant C: the first memory needs product g·p ≥ t_a, further ones g·p ≥ t_b. */
  static int shownC(Gated g, double ta, double tb, int k) {
    int n = Math.min(Math.min(k, CANDIDATES), g.order().length);
    if (n == 0 || g.gate() * g.p()[g.order()[0]] < ta) {
      return 0;
    }
    int s = 1;
    while (s < n && g.gate() * g.p()[g.order()[s]] >= tb) {
      s++;
    }
    return s;
  }

  static Counts counts(List<Gated> gs, Rule r) {
    return counts(gs, r, false);
  }

  /** {@code c}: variant C's rule (t_g is t_a, t_2 is t_b). */
  static Counts counts(List<Gated> gs, Rule r, boolean c) {
    int a = 0, u = 0, hits = 0, inj = 0, injRel = 0, quiet = 0;
    for (Gated g : gs) {
      int s =
          c
              ? shownC(g, r.tg(), r.t2(), r.k())
              : g.gate() >= r.tg() ? shown(g, r.t1(), r.t2(), r.k()) : 0;
      int rel = 0;
      for (int i = 0; i < s; i++) {
        rel += g.prompt().pairs().get(g.order()[i]).relevant() ? 1 : 0;
      }
      inj += s;
      injRel += rel;
      if (g.prompt().answerable()) {
        a++;
        hits += rel > 0 ? 1 : 0;
      } else {
        u++;
        quiet += s == 0 ? 1 : 0;
      }
    }
    return new Counts(a, u, hits, inj, injRel, quiet);
  }

  /**
   * The rule of "Session 20": among rules with quiet ≥ 0.90 and precision ≥ 0.60 the most hits;
   * ties: higher precision, higher t_g, higher t_2, smaller k, higher t_1. Null when none meets
   * both. {@code t1s}: {0} for candidate A. Prefix sums over the prompts sorted by gate make each
   * t_g one look-up.
   */
  static Rule choose(List<Gated> gs, double[] t1s) {
    return choose(gs, t1s, MIN_PRECISION);
  }

  static Rule choose(List<Gated> gs, double[] t1s, double minPrecision) {
    List<Gated> sorted = new ArrayList<>(gs);
    sorted.sort(Comparator.comparingDouble(g -> -g.gate()));
    int n = sorted.size();
    int[] open = new int[100]; // open[a]: prompts with gate ≥ a/100 (a prefix of sorted)
    for (int a = 1; a < 100; a++) {
      int c = 0;
      while (c < n && sorted.get(c).gate() >= a / 100.0) {
        c++;
      }
      open[a] = c;
    }
    int answerable = (int) gs.stream().filter(g -> g.prompt().answerable()).count();
    int unrelated = gs.size() - answerable;
    Rule best = null;
    Counts bc = null;
    int[] hitP = new int[n + 1],
        injP = new int[n + 1],
        relP = new int[n + 1],
        loudP = new int[n + 1];
    for (double t1 : t1s)
      for (int k = 1; k <= 3; k++)
        for (int b = 1; b < 100; b++) {
          double t2 = b / 100.0;
          if (k == 1 && b > 1) {
            break; // t_2 is idle with one memory
          }
          for (int i = 0; i < n; i++) {
            Gated g = sorted.get(i);
            int s = shown(g, t1, t2, k);
            int rel = 0;
            for (int j = 0; j < s; j++) {
              rel += g.prompt().pairs().get(g.order()[j]).relevant() ? 1 : 0;
            }
            boolean ans = g.prompt().answerable();
            hitP[i + 1] = hitP[i] + (ans && rel > 0 ? 1 : 0);
            injP[i + 1] = injP[i] + s;
            relP[i + 1] = relP[i] + rel;
            loudP[i + 1] = loudP[i] + (!ans && s > 0 ? 1 : 0);
          }
          for (int a = 1; a < 100; a++) {
            int o = open[a];
            Counts c =
                new Counts(answerable, unrelated, hitP[o], injP[o], relP[o], unrelated - loudP[o]);
            if (c.quietRate() < QUIET_GOAL || c.precision() < minPrecision) {
              continue;
            }
            Rule r = new Rule(a / 100.0, t1, k == 1 ? 0 : t2, k);
            if (bc == null || better(c, r, bc, best)) {
              best = r;
              bc = c;
            }
          }
        }
    return best;
  }

  /** Variant C's choice, by the same rule (t_b ≥ t_a); null when none meets both. */
  static Rule chooseC(List<Gated> gs) {
    return chooseC(gs, MIN_PRECISION);
  }

  static Rule chooseC(List<Gated> gs, double minPrecision) {
    Rule best = null;
    Counts bc = null;
    for (int k = 1; k <= 3; k++)
      for (int a = 1; a < 100; a++)
        for (int b = a; b < 100; b++) {
          if (k == 1 && b > a) {
            break; // t_b is idle with one memory
          }
          Rule r = new Rule(a / 100.0, -1, b / 100.0, k);
          Counts c = counts(gs, r, true);
          if (c.quietRate() < QUIET_GOAL || c.precision() < minPrecision) {
            continue;
          }
          if (bc == null || better(c, r, bc, best)) {
            best = r;
            bc = c;
          }
        }
    return best;
  }

  private static boolean better(Counts c, Rule r, Counts bc, Rule br) {
    if (c.hits() != bc.hits()) {
      return c.hits() > bc.hits();
    }
    if (c.precision() != bc.precision()) {
      return c.precision() > bc.precision();
    }
    if (r.tg() != br.tg()) {
      return r.tg() > br.tg();
    }
    if (r.t2() != br.t2()) {
      return r.t2() > br.t2();
    }
    if (r.k() != br.k()) {
      return r.k() < br.k();
    }
    return r.t1() > br.t1();
  }

  static final double[] A = {0};
  static final double[] B = t1Grid();

  private static double[] t1Grid() {
    double[] t = new double[16];
    for (int i = 0; i < t.length; i++) {
      t[i] = i * 0.02;
    }
    return t;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of(o.getOrDefault("set", "base+local").split(","));
    RelevanceFit.GATE_SET_NAMES = List.of(o.getOrDefault("gate-set", "s11,s11+style").split(","));
    List<Prompt> prompts = TwoThresholdFit.readPrompts(o);
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    if (o.containsKey("write")) {
      // The shipped values: the same procedure on all twelve projects.
      Fold f = RelevanceFit.fold(prompts);
      Rule r = choose(TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated), A);
      Files.writeString(
          Path.of(o.get("write")),
          f.model().format(List.of())
              + String.format(
                  Locale.ROOT,
                  "hook_gate_threshold %.2f%nhook_second_threshold %.2f%nhook_max_memories %d%n",
                  r.tg(),
                  r.t2(),
                  r.k()));
      System.err.println("hook-top: all twelve: " + r);
      return;
    }
    List<Gated> allMine = new ArrayList<>();
    Counts sumA = null, sumB = null, sumC = null;
    int fallC = 0;
    List<Scored> leftOutPlain = new ArrayList<>();
    List<Scored> leftOutBase = new ArrayList<>();
    List<Metrics> basePer = new ArrayList<>();
    int fallA = 0, fallB = 0;
    System.out.println(
        "| project | gate set | A: t_g / t_2 / k | A: hit | precision (n) | quiet |"
            + " B: t_g / t_1 / t_2 / k | B: hit | precision (n) | quiet |"
            + " shipped (s11 product): hit / precision (n) / quiet |");
    System.out.println("|---|---|---|---:|---:|---:|---|---:|---:|---:|---|");
    for (String p : projects) {
      List<Prompt> train = prompts.stream().filter(q -> !q.project().equals(p)).toList();
      Fold f = RelevanceFit.fold(train);
      List<Gated> inner = TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated);
      String gateSet =
          RelevanceFit.lastGated == RelevanceFit.lastS11Gated ? "s11" : "s11+style (or other)";
      Rule ra = choose(inner, A);
      Rule rb = choose(inner, B);
      Rule rc = chooseC(inner);
      // The shipped baseline in the same fold: session 11's gate (its λ by the same inner log
      // loss) times the pair probability, threshold by the session 9 rule on its inner scores.
      RelevanceModel plainModel = TwoThresholdFit.withoutGate(f.model());
      double t11 = RelevanceFit.hookThreshold(RelevanceFit.lastS11Gated);
      RelevanceGate g11 =
          RelevanceFit.fitGate(
              RelevanceFit.lastInner, RelevanceGate.NAMES, RelevanceFit.lastS11Lambda);
      RelevanceModel baseModel = plainModel.withGate(g11, t11, t11);
      TwoThresholdFit.LeftOut left = TwoThresholdFit.LeftOut.of(prompts, p, f.model());
      List<Gated> mine = left.gated();
      leftOutPlain.addAll(left.plain());
      allMine.addAll(mine);
      List<Scored> mineBase = new ArrayList<>();
      for (Prompt q : prompts) {
        if (q.project().equals(p)) {
          mineBase.add(new Scored(q, RelevanceFit.predict(baseModel, q)));
        }
      }
      leftOutBase.addAll(mineBase);
      Metrics base = Metrics.of(mineBase, t11, t11);
      basePer.add(base);
      Counts ca, cb;
      if (ra == null) {
        fallA++;
        ca = fromMetrics(base);
      } else {
        ca = counts(mine, ra);
      }
      if (rb == null) {
        fallB++;
        cb = fromMetrics(base);
      } else {
        cb = counts(mine, rb);
      }
      Counts cc;
      if (rc == null) {
        fallC++;
        cc = fromMetrics(base);
      } else {
        cc = counts(mine, rc, true);
      }
      sumC = sumC == null ? cc : sumC.plus(cc);
      System.err.printf(
          Locale.ROOT,
          "hook-top: %s C %s: hit %.3f, precision %.3f (%d), quiet %.3f%n",
          p,
          rc,
          cc.hit(),
          cc.precision(),
          cc.injected(),
          cc.quietRate());
      sumA = sumA == null ? ca : sumA.plus(ca);
      sumB = sumB == null ? cb : sumB.plus(cb);
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.3f | %.3f (%d) | %.3f | %s | %.3f | %.3f (%d) | %.3f |"
              + " %.3f / %.3f (%d) / %.3f |%n",
          p,
          gateSet,
          ra == null
              ? "fallback"
              : String.format(Locale.ROOT, "%.2f / %.2f / %d", ra.tg(), ra.t2(), ra.k()),
          ca.hit(),
          ca.precision(),
          ca.injected(),
          ca.quietRate(),
          rb == null
              ? "fallback"
              : String.format(
                  Locale.ROOT, "%.2f / %.2f / %.2f / %d", rb.tg(), rb.t1(), rb.t2(), rb.k()),
          cb.hit(),
          cb.precision(),
          cb.injected(),
          cb.quietRate(),
          base.hit(),
          base.precision(),
          base.injected(),
          base.quiet());
    }
    Metrics base = Metrics.pooled(basePer);
    Metrics cal = Metrics.of(leftOutPlain, 1.01, 1.01);
    Metrics calBase = Metrics.of(leftOutBase, 1.01, 1.01);
    System.out.printf(
        Locale.ROOT,
        "%n**A, all** (fallbacks %d): hook hit %.3f, precision %.3f (%d), quiet %.3f%n"
            + "**B, all** (fallbacks %d): hook hit %.3f, precision %.3f (%d), quiet %.3f%n"
            + "pair probability (A and B inject by it): ECE %.3f, Brier %.3f%n"
            + "**shipped s11 product, all**: hook hit %.3f, precision %.3f (%d), quiet %.3f;"
            + " ECE %.3f, Brier %.3f%n",
        fallA,
        sumA.hit(),
        sumA.precision(),
        sumA.injected(),
        sumA.quietRate(),
        fallB,
        sumB.hit(),
        sumB.precision(),
        sumB.injected(),
        sumB.quietRate(),
        cal.ece(),
        cal.brier(),
        base.hit(),
        base.precision(),
        base.injected(),
        base.quiet(),
        calBase.ece(),
        calBase.brier());
    System.out.printf(
        Locale.ROOT,
        "**C, all** (fallbacks %d): hook hit %.3f, precision %.3f (%d), quiet %.3f%n",
        fallC,
        sumC.hit(),
        sumC.precision(),
        sumC.injected(),
        sumC.quietRate());
    System.out.println(Arrays.toString(new int[] {sumA.answerable(), sumA.unrelated()}));
    if (o.containsKey("frontier")) {
      frontier(allMine);
    }
  }

  /**
   * A diagnostic, post hoc and never a choice: on the pooled outer left-out scores, the most hits
   * any one rule of each family reaches at quiet ≥ 0.90 and precision ≥ a floor (thresholds chosen
   * on the very scores they are read on, so an upper bound of what a threshold can do).
   */
  private static void frontier(List<Gated> gs) {
    System.out.println(
        "\n| precision floor | A (t_g, t_2, k) | B (t_g, t_1, t_2, k) | C (t_a, t_b, k) |");
    System.out.println("|---:|---|---|---|");
    for (double mp : new double[] {0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8}) {
      Rule a = choose(gs, A, mp), b = choose(gs, B, mp), c = chooseC(gs, mp);
      System.out.printf(
          Locale.ROOT,
          "| %.2f | %s | %s | %s |%n",
          mp,
          a == null ? "none" : show(counts(gs, a), a),
          b == null ? "none" : show(counts(gs, b), b),
          c == null ? "none" : show(counts(gs, c, true), c));
    }
    // With a perfect gate (open exactly on answerable prompts), top-k injected, no pair floor.
    for (int k = 1; k <= 3; k++) {
      int hits = 0, inj = 0, rel = 0, ans = 0;
      for (Gated g : gs) {
        if (!g.prompt().answerable()) {
          continue;
        }
        ans++;
        int s = Math.min(k, g.order().length), r = 0;
        for (int i = 0; i < s; i++) {
          r += g.prompt().pairs().get(g.order()[i]).relevant() ? 1 : 0;
        }
        hits += r > 0 ? 1 : 0;
        inj += s;
        rel += r;
      }
      System.out.printf(
          Locale.ROOT,
          "perfect gate, top %d: hit %.3f, precision %.3f (%d), quiet 1.000%n",
          k,
          (double) hits / ans,
          (double) rel / inj,
          inj);
    }
  }

  private static String show(Counts c, Rule r) {
    return String.format(
        Locale.ROOT,
        "hit %.3f, prec %.3f (%d), quiet %.3f at %.2f/%.2f/%.2f/%d",
        c.hit(),
        c.precision(),
        c.injected(),
        c.quietRate(),
        r.tg(),
        r.t1(),
        r.t2(),
        r.k());
  }

  private static Counts fromMetrics(Metrics m) {
    return new Counts(
        m.answerable(),
        m.unrelated(),
        m.hits(),
        m.injected(),
        m.injectedRelevant(),
        m.quietCount());
  }
}
