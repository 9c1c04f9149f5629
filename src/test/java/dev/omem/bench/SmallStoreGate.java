package dev.omem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omem.bench.RelevanceFit.Pair;
import dev.omem.bench.RelevanceFit.Prompt;
import dev.omem.bench.RelevanceFit.Scored;
import dev.omem.domain.Memory;
import dev.omem.domain.MemoryFilter;
import dev.omem.domain.Scope;
import dev.omem.embed.ModelCatalog;
import dev.omem.embed.OnnxEmbedder;
import dev.omem.retrieve.RelevanceGate;
import dev.omem.retrieve.RelevanceModel;
import dev.omem.retrieve.RetrievalPipeline.RelevanceRow;
import dev.omem.retrieve.SearchQuery;
import dev.omem.service.Caller;
import dev.omem.service.LocalMemoryService;
import dev.omem.service.StoreRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Issue 13, session 19 (docs/relevance/threshold-rule.md, "Session 19"): {@code memory_search}'s
 * decision without {@code min_score} on small stores of the dev projects (3, 5, 10 memories, built
 * through the real store), outer leave-one-project-out: (a) the shipped floor, (b) session 18's
 * gate, (c1) the gate or else the shipped floor, (c2) the shipped floor below c candidates.
 */
final class SmallStoreGate {
  private static final int[] SIZES = {3, 5, 10};
  private static final int[] SEEDS = {1, 2};
  private static final int[] CUTS = {4, 6, 11, 21};

  private SmallStoreGate() {}

  /** A prompt scored in a small store of {@code size} (0: the project's full store). */
  record Small(Prompt prompt, int size) {}

  /** Counts of one decision over prompts, as {@link TwoThresholdFit.Counts} keeps them. */
  record Tally(int answerable, int unrelated, double recall, double rr, int abstained) {
    double recall5() {
      return answerable == 0 ? 0 : recall / answerable;
    }

    double mrr() {
      return answerable == 0 ? 0 : rr / answerable;
    }

    double abstention() {
      return unrelated == 0 ? 0 : (double) abstained / unrelated;
    }

    Tally plus(Tally o) {
      return new Tally(
          answerable + o.answerable,
          unrelated + o.unrelated,
          recall + o.recall,
          rr + o.rr,
          abstained + o.abstained);
    }

    static final Tally ZERO = new Tally(0, 0, 0, 0, 0);
  }

  /** One prompt's left-out scores under a fold: pair probabilities, both gates' factors. */
  record Read(Prompt prompt, double[] p, double styleGate, double s11Gate) {}

  /** The decisions compared; each says, for one read, which candidates a search lists. */
  enum Rule {
    FLOOR,
    GATE,
    GATE_OR_FLOOR,
    SIZE
  }

  /** The fold's thresholds: the shipped floor's, the gate's (t_g, t_p), and the size cut. */
  record Thresholds(double floor11, double tg, double tp, int cut) {}

  /** The search's listed candidates (best first by pair probability, up to 10) under a rule. */
  static List<Integer> listed(Read r, Rule rule, Thresholds t) {
    Rule use =
        switch (rule) {
          case GATE_OR_FLOOR -> r.styleGate() >= t.tg() ? Rule.GATE : Rule.FLOOR;
          case SIZE -> r.p().length < t.cut() ? Rule.FLOOR : Rule.GATE;
          default -> rule;
        };
    List<Integer> order = new Scored(r.prompt(), r.p()).order();
    List<Integer> out = new ArrayList<>();
    for (int i : order) {
      if (out.size() == 10) {
        break;
      }
      boolean pass =
          use == Rule.FLOOR
              ? r.s11Gate() * r.p()[i] >= t.floor11()
              : r.styleGate() >= t.tg() && r.p()[i] >= t.tp();
      if (!pass) {
        break; // best first, and a rule's test only falls down the order
      }
      out.add(i);
    }
    return out;
  }

  static Tally tally(List<Read> reads, Rule rule, Thresholds t) {
    int a = 0, u = 0, abst = 0;
    double rec = 0, rr = 0;
    for (Read r : reads) {
      List<Integer> l = listed(r, rule, t);
      if (r.prompt().answerable()) {
        a++;
        int found = 0;
        double first = 0;
        for (int j = 0; j < l.size(); j++) {
          boolean rel = r.prompt().pairs().get(l.get(j)).relevant();
          if (rel && j < 5) {
            found++;
          }
          if (rel && first == 0) {
            first = 1.0 / (j + 1);
          }
        }
        rec += (double) found / r.prompt().relevantCount();
        rr += first;
      } else {
        u++;
        abst += l.isEmpty() ? 1 : 0;
      }
    }
    return new Tally(a, u, rec, rr, abst);
  }

  /** The protocol's small stores of one project, collected through the real store. */
  static List<Small> collect(JsonNode project, OnnxEmbedder e) throws Exception {
    String pid = project.get("id").asText();
    List<String> ids = new ArrayList<>();
    Map<String, String> text = new HashMap<>();
    project.get("memories").forEach(m -> ids.add(m.get("id").asText()));
    project.get("memories").forEach(m -> text.put(m.get("id").asText(), m.get("text").asText()));
    List<JsonNode> answerable = new ArrayList<>();
    List<JsonNode> unrelated = new ArrayList<>();
    for (JsonNode q : project.get("prompts")) {
      (q.get("relevant").isEmpty() ? unrelated : answerable).add(q);
    }
    // Every store of every (k, seed): its key, its memories, and its answerable prompts.
    record Plan(String key, int size, int seed, List<String> memories, List<JsonNode> prompts) {}
    List<Plan> plans = new ArrayList<>();
    for (int k : SIZES)
      for (int seed : SEEDS) {
        Random rnd = new Random(pid.hashCode() * 31L + k * 1000L + seed);
        List<JsonNode> order = new ArrayList<>(answerable);
        Collections.shuffle(order, rnd);
        List<JsonNode> left = new ArrayList<>(order);
        int n = 0;
        while (!left.isEmpty()) {
          JsonNode first = left.remove(0);
          Set<String> mem = new LinkedHashSet<>(relevant(first));
          List<JsonNode> in = new ArrayList<>(List.of(first));
          for (JsonNode q : new ArrayList<>(left)) {
            Set<String> with = new LinkedHashSet<>(mem);
            with.addAll(relevant(q));
            if (with.size() <= k) {
              mem = with;
              in.add(q);
              left.remove(q);
            }
          }
          List<String> others = new ArrayList<>(ids);
          others.removeAll(mem);
          Collections.shuffle(others, rnd);
          for (int i = 0; mem.size() < k && i < others.size(); i++) {
            mem.add(others.get(i));
          }
          // Prompts opened earlier whose memories all landed here by chance are scored here too.
          plans.add(new Plan("s" + seed + "k" + k + "n" + n++, k, seed, new ArrayList<>(mem), in));
        }
      }
    List<Small> out = new ArrayList<>();
    long t0 = System.nanoTime();
    try (BenchStore store = BenchStore.open("omem-small-gate-")) {
      LocalMemoryService svc = store.service();
      String tenant = null;
      Map<String, Map<String, String>> benchIds = new HashMap<>();
      for (Plan pl : plans) {
        Map<String, String> byStored = new HashMap<>();
        for (String m : pl.memories()) {
          Memory stored =
              svc.store(
                  Caller.local(pl.key()),
                  new StoreRequest(text.get(m), null, null, null, Scope.project(pl.key()), null));
          byStored.put(stored.id(), m);
          tenant = stored.tenantId();
        }
        benchIds.put(pl.key(), byStored);
      }
      Map<String, float[]> vectors = new HashMap<>();
      for (Plan pl : plans) {
        MemoryFilter f =
            MemoryFilter.builder(tenant).scopes(Set.of(Scope.project(pl.key()))).build();
        store.awaitCandidates(f, pl.memories().size(), pl.key());
        Map<String, String> bench = benchIds.get(pl.key());
        List<JsonNode> scored = new ArrayList<>();
        for (JsonNode q : answerable) {
          if (pl.memories().containsAll(relevant(q))) {
            scored.add(q);
          }
        }
        scored.addAll(unrelated);
        for (JsonNode q : scored) {
          Set<String> rel = relevant(q);
          List<Pair> pairs = new ArrayList<>();
          for (RelevanceRow r : rows(svc, q.get("text").asText(), f)) {
            String m = bench.get(r.id());
            pairs.add(new Pair(rel.contains(m), r.features(), m));
          }
          Prompt p = new Prompt(pid, !rel.isEmpty(), rel.size(), pairs);
          RelevanceFit.queryVector(
              p, vectors.computeIfAbsent(q.get("text").asText(), t -> e.embedQuery(t)));
          out.add(new Small(p, pl.size()));
        }
      }
    }
    System.err.printf(
        Locale.ROOT,
        "small-gate: %s, %d stores, %d scored in %.1f s%n",
        pid,
        plans.size(),
        out.size(),
        (System.nanoTime() - t0) / 1e9);
    return out;
  }

  private static List<RelevanceRow> rows(LocalMemoryService svc, String q, MemoryFilter f) {
    return svc.retrievalPipeline().relevanceRows(new SearchQuery(q, f, 10, 0, null));
  }

  private static Set<String> relevant(JsonNode q) {
    Set<String> s = new LinkedHashSet<>();
    q.get("relevant").forEach(r -> s.add(r.asText()));
    return s;
  }

  /** Left-out reads of {@code prompts} under one fold's models. */
  static List<Read> read(
      List<Prompt> prompts, RelevanceModel plain, RelevanceModel styled, RelevanceModel s11) {
    List<Read> out = new ArrayList<>();
    for (Prompt q : prompts) {
      double[] p = RelevanceFit.predict(plain, q);
      Scored pl = new Scored(q, p);
      double g =
          p.length == 0
              ? 0
              : RelevanceFit.gateOf(new Scored(q, RelevanceFit.predict(styled, q)), pl);
      double g11 =
          p.length == 0 ? 0 : RelevanceFit.gateOf(new Scored(q, RelevanceFit.predict(s11, q)), pl);
      out.add(new Read(q, p, g, g11));
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = RelevanceFit.options(args);
    RelevanceFit.SETS = List.of("base+local");
    RelevanceFit.GATE_SET_NAMES = List.of("s11", "s11+style");
    Path data = Path.of(o.getOrDefault("data", "../shared/bench/coding-recall-dev.json"));
    List<Prompt> full = RelevanceFit.readCachePublic(Path.of(o.get("cache")));
    RelevanceFit.embedPromptsPublic(full, data);
    JsonNode root = new ObjectMapper().readTree(data.toFile());
    List<Small> small = new ArrayList<>();
    try (OnnxEmbedder e = OnnxEmbedder.load(ModelCatalog.DEFAULT)) {
      for (JsonNode project : root.get("projects")) {
        small.addAll(collect(project, e));
      }
    }
    List<String> projects = full.stream().map(Prompt::project).distinct().sorted().toList();
    if (o.containsKey("all")) {
      // The shipped cut: the same choice on all twelve projects' stores, by all twelve's models.
      projects = List.of("(none left out)");
    }
    Map<Rule, Map<Integer, Tally>> sums = new HashMap<>();
    for (Rule r : Rule.values()) {
      sums.put(r, new HashMap<>());
    }
    System.out.println("| fold | t_g / t_p | floor | cut |");
    System.out.println("|---|---|---|---:|");
    for (String pid : projects) {
      List<Prompt> train = full.stream().filter(q -> !q.project().equals(pid)).toList();
      RelevanceFit.Fold f = RelevanceFit.fold(train);
      TwoThresholdFit.Choice c =
          TwoThresholdFit.choose(
              TwoThresholdFit.gated(RelevanceFit.lastInner, RelevanceFit.lastGated), 0);
      double floor11 = RelevanceFit.searchFloor(RelevanceFit.lastS11Gated);
      RelevanceGate g11 =
          RelevanceFit.fitGate(
              RelevanceFit.lastInner,
              RelevanceFit.GATE_SETS.get("s11"),
              RelevanceFit.lastS11Lambda);
      RelevanceModel styled = f.model();
      RelevanceModel plain =
          styled.withGate(RelevanceGate.NONE, styled.searchFloor(), styled.hookThreshold());
      RelevanceModel s11 = styled.withGate(g11, floor11, styled.hookThreshold());
      // The size cut: on the training projects' stores, scored by this fold's models.
      Map<Integer, List<Prompt>> trainBySize = new HashMap<>();
      for (Small s : small) {
        if (!s.prompt().project().equals(pid)) {
          trainBySize.computeIfAbsent(s.size(), k -> new ArrayList<>()).add(s.prompt());
        }
      }
      Map<Integer, List<Read>> trainReads = new HashMap<>();
      for (var en : trainBySize.entrySet()) {
        trainReads.put(en.getKey(), read(en.getValue(), plain, styled, s11));
      }
      int cut = CUTS[CUTS.length - 1];
      for (int cc : CUTS) {
        Thresholds t = new Thresholds(floor11, c.floorGate(), c.floorPair(), cc);
        boolean ok = true;
        for (List<Read> rs : trainReads.values()) {
          Tally a = tally(rs, Rule.FLOOR, t);
          Tally z = tally(rs, Rule.SIZE, t);
          ok &= z.recall5() >= a.recall5() && z.mrr() >= a.mrr();
        }
        if (ok) {
          cut = cc;
          break;
        }
      }
      Thresholds t = new Thresholds(floor11, c.floorGate(), c.floorPair(), cut);
      System.out.printf(
          Locale.ROOT, "| %s | %.2f / %.2f | %.2f | %d |%n", pid, t.tg(), t.tp(), floor11, cut);
      Map<Integer, List<Prompt>> mine = new HashMap<>();
      mine.put(0, full.stream().filter(q -> q.project().equals(pid)).toList());
      for (Small s : small) {
        if (s.prompt().project().equals(pid)) {
          mine.computeIfAbsent(s.size(), k -> new ArrayList<>()).add(s.prompt());
        }
      }
      for (var en : mine.entrySet()) {
        List<Read> rs = read(en.getValue(), plain, styled, s11);
        for (Rule r : Rule.values()) {
          sums.get(r).merge(en.getKey(), tally(rs, r, t), Tally::plus);
        }
      }
    }
    System.out.println();
    System.out.println("| rule | store | answerable | unrelated | recall@5 | MRR | abstention |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    for (int size : new int[] {0, 3, 5, 10}) {
      for (Rule r : Rule.values()) {
        Tally x = sums.get(r).getOrDefault(size, Tally.ZERO);
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %d | %d | %.3f | %.3f | %.3f |%n",
            r,
            size == 0 ? "full" : size + " memories",
            x.answerable(),
            x.unrelated(),
            x.recall5(),
            x.mrr(),
            x.abstention());
      }
    }
  }
}
