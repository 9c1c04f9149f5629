package dev.omem.service;

import dev.omem.retrieve.SearchSpace;
import java.util.List;
import java.util.function.Function;

/**
 * One query over several spaces: the readable spaces become one search (one embedding of the query,
 * one ranking), each space's scores multiplied by its type's weight (personal 1.0, team 0.8,
 * organization 0.6, ourmem's).
 */
final class CrossSpaceSearch {
  private CrossSpaceSearch() {}

  static <T> T run(List<SpaceAccess.Grant> grants, Function<List<SearchSpace>, T> search) {
    return search.apply(
        grants.stream().map(g -> new SearchSpace(g.partition(), g.type().searchWeight())).toList());
  }
}
