package dev.omem.retrieve;

/**
 * The tuned numbers of the pipeline, in one place. Each says where its value came from; the
 * benchmark issue re-tunes them on the development data only.
 */
final class RankingWeights {
  private RankingWeights() {}

  /** Candidates taken from each retriever; deep enough for fusion, cheap at 100k memories. */
  static final int CANDIDATES = 100;

  /**
   * Fused candidates that are weighed (rows loaded, decay, importance, scope) and diversified: at
   * least this many, or three times the limit. Factors move a score by at most ×0.7..×1.2, so a
   * candidate further down cannot reach the top; loading all ~200 rows cost 4–7 ms a search.
   */
  static final int WEIGH_WINDOW = 50;

  /** RRF constant k = 60, the default of Cormack, Clarke and Buettcher (SIGIR 2009). */
  static final double RRF_K = 60;

  /** Fusion weights: equal, as plain RRF, until the benchmark says otherwise. */
  static final double BM25_WEIGHT = 1.0;

  static final double VECTOR_WEIGHT = 1.0;

  /**
   * Largest share of a score that age can take away: a long-unused memory keeps 70% of its
   * relevance. A judgment call (ourmem floors its composite at 0.5–0.9 by tier); recency itself is
   * ourmem's Weibull curve.
   */
  static final double DECAY_WEIGHT = 0.3;

  /** Importance 0.5 (the default) scores ×1.0; 1.0 scores ×1.2, 0.0 scores ×0.8. */
  static final double IMPORTANCE_WEIGHT = 0.4;

  /**
   * Score factors by scope (DESIGN decision 6). Global memories are true everywhere, so they keep
   * their score: fused scores are rank-based and compressed (first and second place differ by under
   * 2%), and even ×0.9 let a worse project memory beat a clearly better global one ({@code
   * LocalMemoryServiceTest.findsAParaphraseFirst}). Other projects' memories, seen only with scope
   * {@code all}, rank below the caller's project with ×0.8.
   */
  static final double GLOBAL_SCOPE_FACTOR = 1.0;

  static final double OTHER_PROJECT_FACTOR = 0.8;

  /**
   * Cosine at or above which two results count as near-duplicates (the later is pushed to the end).
   * Paraphrases under bge-small score about 0.85–0.93; restatements with a changed word about
   * 0.95+.
   */
  static final double NEAR_DUPLICATE_COSINE = 0.97;
}
