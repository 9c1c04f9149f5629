package dev.omem.bench;

import dev.omem.bench.RelevanceFit.Fold;
import dev.omem.bench.RelevanceFit.Metrics;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
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
 * <p>Session 20's variants of the search floor ({@code --pad-free}, {@code --harmonic}, {@code
 * --relative}) live in {@link SearchFloorVariants}, which this run drives so that their rows print
 * beside the shipped one; {@code --write-folds} and {@code --dump} write the left-out folds' files.
 */
final class TwoThresholdFit {
  /** The quiet and abstention goal of issue 13 (>= 0.90 of the unrelated prompts). */
  static final double GOAL = 0.90;

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
      int abstained)
      implements HookFigures {
    double recall5() {
      return recall / answerable;
    }

    double mrr() {
      return rr / answerable;
    }

    double abstention() {
      return (double) abstained / unrelated;
    }

    /** The counts of several folds together (pooled: each prompt counted once). */
    static Counts sum(List<Counts> cs) {
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

  /**
   * The rule of docs/relevance/threshold-rule.md ("Session 18, fourth candidate"): the hook's pair
   * the most hits (ties: precision) with quiet >= 0.90 and precision >= {@code minPrecision}; the
   * search's the most recall@5 (ties: MRR) with abstention >= 0.90, else the highest harmonic mean
   * of recall@5 and abstention. Ties between pairs: the higher t_g, then the lower t_p (the
   * fallback's: the lower t_g). t_g runs downward and t_p upward, so ">" keeps the rule's pair.
   */
  static Choice choose(List<Gated> gs, double minPrecision) {
    double hg = -1, hp = -1;
    Counts hb = null;
    double fg = -1, fp = -1;
    Counts fb = null;
    double bestH = -1, hfg = 0.99, hfp = 0.99;
    for (int a = 99; a >= 1; a--)
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
        double h = harmonic(c.recall5(), c.abstention());
        if (h > bestH || (h == bestH && tg < hfg)) {
          bestH = h;
          hfg = tg;
          hfp = tp;
        }
      }
    if (fb == null) {
      fg = hfg;
      fp = hfp;
    }
    return new Choice(hg, hp, fg, fp, hb == null);
  }

  /** The harmonic mean of two figures (0 when both are 0). */
  static double harmonic(double x, double y) {
    return 2 * x * y / (x + y + 1e-12);
  }

  /**
   * Session 20: the default search's precision at (t_g, t_p): the share of all listed memories (the
   * 10 best at or above t_p of the prompts the gate opens) that are relevant; {@code [listed,
   * relevant]}. {@code r}: session 20's relative cut (p >= r x the top p); {@code tTop}: its floor
   * on the first result.
   */
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

  /** The fold's pair model with no gate: the pair probability alone. */
  static RelevanceModel withoutGate(RelevanceModel m) {
    return m.withGate(RelevanceGate.NONE, m.searchFloor(), m.hookThreshold());
  }

  /**
   * A left-out project's prompts under an outer fold's model, in the cache's order: scored by the
   * pair model alone ({@code plain}), by the model with its gate ({@code product}), and the two
   * read as a gate probability over pair probabilities ({@code gated}).
   */
  record LeftOut(List<Gated> gated, List<Scored> plain, List<Scored> product) {
    static LeftOut of(List<Prompt> prompts, String project, RelevanceModel model) {
      RelevanceModel plainModel = withoutGate(model);
      LeftOut out = new LeftOut(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (Prompt q : prompts) {
        if (q.project().equals(project)) {
          Scored pl = new Scored(q, RelevanceFit.predict(plainModel, q));
          Scored gd = new Scored(q, RelevanceFit.predict(model, q));
          out.gated().add(Gated.of(pl, pl.p().length == 0 ? 0 : RelevanceFit.gateOf(gd, pl)));
          out.plain().add(pl);
          out.product().add(gd);
        }
      }
      return out;
    }
  }

  /** The pair cache ({@code --cache}), each prompt's query embedded from {@code --data}. */
  static List<Prompt> readPrompts(Map<String, String> o) throws Exception {
    List<Prompt> prompts = RelevanceFit.readCachePublic(Path.of(o.get("cache")));
    RelevanceFit.embedPromptsPublic(
        prompts, Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json")));
    return prompts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of(o.getOrDefault("set", "base+local").split(","));
    if (o.containsKey("gate-set")) {
      RelevanceFit.GATE_SET_NAMES = List.of(o.get("gate-set").split(","));
    }
    SearchFloorVariants variants = SearchFloorVariants.of(o);
    List<Prompt> prompts = readPrompts(o);
    List<String> projects = prompts.stream().map(Prompt::project).distinct().sorted().toList();
    if (o.containsKey("write")) {
      // Session 18's sixth candidate: the same procedure on all twelve projects, shipped.
      Fold f = RelevanceFit.fold(prompts);
      Choice c = choose(gated(RelevanceFit.lastInner, RelevanceFit.lastGated), 0);
      variants.writeAll(
          gated(RelevanceFit.lastInner, RelevanceFit.lastGated), c, RelevanceFit.lastS11Gated);
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
    int[] twoListed = new int[2], prodListed = new int[2];
    List<Scored> leftOutPlain = new ArrayList<>();
    List<Counts> hookCounts = new ArrayList<>();
    List<Counts> floorCounts = new ArrayList<>();
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
      variants.choose(p, inner, c, s11);
      RelevanceModel plainModel = withoutGate(f.model());
      LeftOut left = LeftOut.of(prompts, p, f.model());
      List<Gated> mine = left.gated();
      List<Scored> mineProduct = left.product();
      leftOutPlain.addAll(left.plain());
      Metrics prod = Metrics.of(mineProduct, f.model().hookThreshold(), f.model().searchFloor());
      productPer.add(prod);
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
      variants.measure(p, mine, c);
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
    Counts h = Counts.sum(hookCounts);
    Counts s = Counts.sum(floorCounts);
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
    variants.printPooled();
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
      Path dir, String p, Fold f, RelevanceModel pair, List<Scored> s11, Choice c)
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

  static void add(int[] to, int[] c) {
    to[0] += c[0];
    to[1] += c[1];
  }
}
