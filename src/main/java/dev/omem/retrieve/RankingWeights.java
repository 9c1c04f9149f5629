package dev.omem.retrieve;

/**
 * The tuned numbers of the pipeline, in one place, each with where its value came from. "Dev set"
 * means evidence recall@10 over LoCoMo categories 1–4 on {@code shared/bench/locomo-dev.json} (231
 * questions), measured in-process; see BENCHMARKS.md for the harness figures.
 */
final class RankingWeights {
  private RankingWeights() {}

  /**
   * Candidates taken from each retriever. Dev set: 50 gave 0.760, 100 gave 0.770, 200 gave 0.756;
   * 100 keeps a margin for larger stores at ~1 ms of extra search time.
   */
  static final int CANDIDATES = 100;

  /**
   * Fusion is a weighted sum of normalised retriever scores, not reciprocal ranks. Dev set, with
   * everything else equal: RRF k=60 0.679, RRF k=10 0.715 (0.756 with context expansion), score
   * fusion 0.731 (0.770 with it). Score fusion also keeps how relevant a result is, not only its
   * place, which is what an abstention threshold needs.
   *
   * <p>BM25 scores are divided by the best BM25 score of the query; its weight against the vector
   * (1.0): dev set 0.3 0.765, 0.4 0.770, 0.5 0.762, 0.6 0.761, 1.0 0.697.
   */
  static final double BM25_WEIGHT = 0.4;

  static final double VECTOR_WEIGHT = 1.0;

  /**
   * Cosine similarity at which the vector retriever's score starts: bge-small gives unrelated
   * sentences 0.4–0.55, so 0.5 maps "unrelated" to about zero. Dev set: 0.3 0.752, 0.4 0.761, 0.5
   * 0.770, 0.55 0.765.
   */
  static final double COSINE_FLOOR = 0.5;

  /**
   * Context expansion: the memory stored right after one of the best candidates in the same session
   * joins them with this share of its score. Dev set: off 0.731, 0.7 0.763, 0.75 0.770, 0.8 0.761,
   * 0.9 0.761; adding the memory stored right before as well did not help (0.763 at 0.5).
   */
  static final double CONTEXT_SHARE = 0.75;

  /** How many of the best candidates are expanded. Dev set: 10 0.757, 20 0.770, 40 0.761. */
  static final int CONTEXT_TOP = 20;

  /**
   * Fused candidates that are weighed (rows loaded, decay, importance, scope) and diversified: at
   * least this many, or three times the limit. Factors move a score by at most ×0.7..×1.2, so a
   * candidate further down cannot reach the top; loading all ~200 rows cost 4–7 ms a search.
   */
  static final int WEIGH_WINDOW = 50;

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
   * their score; with equal relevance a ×0.9 let a worse project memory beat a clearly better
   * global one ({@code LocalMemoryServiceTest.findsAParaphraseFirst}). Other projects' memories,
   * seen only with scope {@code all}, rank below the caller's project with ×0.8.
   */
  static final double GLOBAL_SCOPE_FACTOR = 1.0;

  static final double OTHER_PROJECT_FACTOR = 0.8;

  /**
   * Cosine at or above which two results count as near-duplicates (the later is pushed to the end).
   * Paraphrases under bge-small score about 0.85–0.93; restatements with a changed word about
   * 0.95+.
   */
  static final double NEAR_DUPLICATE_COSINE = 0.97;

  /**
   * Score factor of a candidate, an extracted fact not confirmed yet (issue 14): it ranks below a
   * confirmed memory of about the same relevance, and a clearly better candidate still wins. A
   * policy, not a tuned number: no labelled data says how much less an unconfirmed fact should
   * count; the hooks' separate candidate threshold ({@code Limits.candidateInjectionThreshold()})
   * is what keeps marginal candidates out of injections.
   */
  static final double UNCONFIRMED_FACTOR = 0.85;
}
