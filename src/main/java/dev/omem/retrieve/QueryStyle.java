package dev.omem.retrieve;

import java.util.Arrays;

/**
 * How much a query reads like one a project's memory can answer (a task or question about this
 * code) rather than a generic question or chit-chat, from the query's own embedding alone: a
 * logistic regression over the shipped model's query vector, fitted by {@code
 * scripts/fit-relevance} on the coding lane's prompts (answerable or not) and read by the gate
 * ({@link RelevanceGate}, feature {@code query_style}) as log-odds. It costs one dot product per
 * search: the vector is the one the search embedded already. Session 12, issue 13: left out by
 * project it separated the lane's prompts with AUC 0.91 where the session 11 gate reached 0.80
 * (BENCHMARKS.md "Session 12").
 *
 * @param weights the intercept, then one weight per dimension of the (unit) query vector
 */
public record QueryStyle(double[] weights) {

  /** No style model (a gate that does not read {@code query_style}). */
  public static final QueryStyle NONE = new QueryStyle(new double[0]);

  public QueryStyle {
    weights = weights.clone();
    for (double w : weights) {
      if (!Double.isFinite(w)) {
        throw new IllegalArgumentException("query style weights must be finite: " + w);
      }
    }
    if (weights.length == 1) {
      throw new IllegalArgumentException("query style weights need an intercept and dimensions");
    }
  }

  /** Whether this is {@link #NONE}. */
  public boolean none() {
    return weights.length == 0;
  }

  /** The log-odds that a query with this vector is answerable; 0 for {@link #NONE} or no vector. */
  public double logit(float[] queryVector) {
    if (none() || queryVector == null) {
      return 0;
    }
    if (queryVector.length != weights.length - 1) {
      throw new IllegalArgumentException(
          "query style of "
              + (weights.length - 1)
              + " dimensions, vector of "
              + queryVector.length
              + " (another embedding model?)");
    }
    double z = weights[0];
    for (int i = 0; i < queryVector.length; i++) {
      z += weights[i + 1] * queryVector[i];
    }
    return z;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryStyle s && Arrays.equals(weights, s.weights);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "QueryStyle(" + Math.max(0, weights.length - 1) + " dimensions)";
  }
}
