package dev.omem.service;

import dev.omem.domain.ScoredMemory;
import dev.omem.domain.SearchOutcome;
import dev.omem.domain.SearchTrace;
import dev.omem.domain.TraceStage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One query over several spaces: each space searched on its own, its scores multiplied by its
 * type's weight (personal 1.0, team 0.8, organization 0.6, ourmem's), then merged by score.
 */
final class CrossSpaceSearch {
  private CrossSpaceSearch() {}

  static SearchOutcome run(
      List<SpaceAccess.Grant> grants,
      Function<SpaceAccess.Grant, SearchOutcome> searchOne,
      int limit,
      double minScore) {
    if (grants.size() == 1 && grants.get(0).type().searchWeight() == 1.0) {
      return searchOne.apply(grants.get(0)); // the common case: one personal space, as before
    }
    long t0 = System.nanoTime();
    List<ScoredMemory> all = new ArrayList<>();
    SearchTrace first = null;
    int input = 0;
    for (SpaceAccess.Grant g : grants) {
      SearchOutcome o = searchOne.apply(g);
      first = first == null ? o.trace() : first;
      input += o.results().size();
      double w = g.type().searchWeight();
      for (ScoredMemory s : o.results()) {
        double score = s.score() * w;
        if (score >= minScore) {
          all.add(new ScoredMemory(s.memory(), score));
        }
      }
    }
    all.sort(Comparator.comparingDouble(ScoredMemory::score).reversed());
    List<ScoredMemory> top = all.subList(0, Math.min(limit, all.size()));
    double ms = (System.nanoTime() - t0) / 1e6;
    List<TraceStage> stages = new ArrayList<>(first == null ? List.of() : first.stages());
    stages.add(
        new TraceStage(
            "spaces",
            input,
            top.size(),
            ms,
            top.isEmpty()
                ? new double[] {0, 0}
                : new double[] {top.get(top.size() - 1).score(), top.get(0).score()},
            grants.size() + " spaces, weighted personal 1.0, team 0.8, organization 0.6"));
    SearchTrace trace =
        new SearchTrace(stages, ms, top.size(), first == null ? null : first.mode());
    return new SearchOutcome(List.copyOf(top), trace);
  }
}
