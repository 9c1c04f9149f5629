package dev.omem.ingest;

import dev.omem.config.OmemConfig;
import dev.omem.domain.Category;
import dev.omem.domain.OmemException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an extracted fact is worth storing: a score in [0, 1], admitted at or above a
 * threshold. The score is a weighted sum of five parts, each in [0, 1]:
 *
 * <ul>
 *   <li><b>utility</b>: half content words (grammar and chat words do not count; {@value
 *       #FULL_CONTENT_WORDS} or more is full marks), half named specifics ({@link Specificity}:
 *       versions, paths, identifiers, names, tools; {@value #FULL_SPECIFICS} or more is full
 *       marks);
 *   <li><b>confidence</b>: the extractor's own, that the text is a real, durable fact;
 *   <li><b>novelty</b>: {@code 1 − similarity} of the closest stored memory, rescaled so that
 *       unrelated texts count as fully new (see {@link #UNRELATED_COSINE});
 *   <li><b>recency</b>: the turn's position in its conversation, 0 for the first, 1 for the last: a
 *       later statement corrects an earlier one ("actually, it's app.toml");
 *   <li><b>category prior</b>: how long facts of the category stay true (see {@link #prior}).
 * </ul>
 *
 * <p>The weights are priors, not fitted (33 expected facts are too few to fit five weights):
 * confidence and utility weigh most because they say whether the text is a fact at all and whether
 * it can be acted on; category and novelty next; recency least, since it only breaks ties between a
 * statement and its correction (reconciliation, not admission, supersedes the earlier one): a
 * strong first statement must never fail on recency alone. Only the threshold was measured, on
 * {@code src/test/resources/extraction/corpus.json} (see {@link #DEFAULT_THRESHOLD}).
 */
public final class AdmissionScorer {
  static final double W_UTILITY = 0.30;
  static final double W_CONFIDENCE = 0.30;
  static final double W_CATEGORY = 0.15;
  static final double W_NOVELTY = 0.15;
  static final double W_RECENCY = 0.10;

  /**
   * The default threshold: the highest that keeps every expected fact of the tuning corpus ({@code
   * src/test/resources/extraction/corpus.json}, {@code scripts/bench-extraction --sweep}) behind
   * both the local rules and an extractor of every user sentence (confidence 0.5). There, 0.50 and
   * 0.55 keep all 33 (precision 0.914 → 0.941 behind every sentence); 0.60 loses 6 of them and 0.65
   * one behind the local rules too.
   */
  public static final double DEFAULT_THRESHOLD = 0.55;

  /** The environment variable and config.json key that override the default threshold. */
  public static final String THRESHOLD_VARIABLE = "OMEM_ADMISSION_THRESHOLD";

  public static final String THRESHOLD_KEY = "admission_threshold";

  /**
   * The sentences of the tuning corpus's expected facts have 3 to 10 content words, median 6; at 5
   * most facts get full marks and a two-word remark ("We migrated last month." has 3) gets less.
   */
  static final int FULL_CONTENT_WORDS = 5;

  /** Two named things ("pnpm over npm", "port 5433 on staging") make a fact concrete. */
  static final int FULL_SPECIFICS = 2;

  /**
   * The bge-small cosine of unrelated sentences: 0.4–0.55 (measured for the retrieval pipeline's
   * cosine floor, {@code RankingWeights.COSINE_FLOOR} = 0.5). At or below it a fact is fully new;
   * from there novelty falls linearly to 0 at an identical text.
   */
  static final double UNRELATED_COSINE = 0.5;

  /** Pass as the similarity when nothing is stored (or nothing similar was found). */
  public static final double NOTHING_STORED = -1.0;

  private final double threshold;

  /** The default threshold. */
  public AdmissionScorer() {
    this(DEFAULT_THRESHOLD);
  }

  /**
   * @param threshold the score in [0, 1] a fact needs to be admitted
   */
  public AdmissionScorer(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
    }
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  /**
   * The threshold of a data dir: {@value #THRESHOLD_VARIABLE}, else {@value #THRESHOLD_KEY} in
   * {@code <home>/config.json}, else {@link #DEFAULT_THRESHOLD}.
   *
   * @throws OmemException (validation) naming the setting when it is not a number in [0, 1]
   */
  public static double threshold(Path home, Map<String, String> env) {
    Optional<String> v = OmemConfig.setting(home, env, THRESHOLD_VARIABLE, THRESHOLD_KEY);
    if (v.isEmpty()) {
      return DEFAULT_THRESHOLD;
    }
    try {
      double t = Double.parseDouble(v.get().trim());
      if (t >= 0 && t <= 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw OmemException.invalid(
        THRESHOLD_VARIABLE
            + " (or "
            + THRESHOLD_KEY
            + " in config.json) must be a number from 0 to 1, got '"
            + v.get()
            + "'");
  }

  /**
   * Scores {@code fact}.
   *
   * @param closestSimilarity embedding cosine (bge-small, as the store's vectors) between the fact
   *     and the most similar stored memory, in [-1, 1]; {@link #NOTHING_STORED} when there is none
   * @param turnIndex the 0-based position of the turn the fact came from
   * @param turnCount how many turns the conversation has (at least 1)
   */
  public Admission score(
      FactExtractor.Fact fact, double closestSimilarity, int turnIndex, int turnCount) {
    if (turnCount < 1 || turnIndex < 0 || turnIndex >= turnCount) {
      throw new IllegalArgumentException(
          "turn " + turnIndex + " is not within a conversation of " + turnCount + " turns");
    }
    if (Double.isNaN(closestSimilarity) || closestSimilarity < -1 || closestSimilarity > 1) {
      throw new IllegalArgumentException("similarity must be in [-1, 1], got " + closestSimilarity);
    }
    double utility = utility(fact.text());
    double confidence = clamp(fact.confidence());
    double novelty = clamp((1 - closestSimilarity) / (1 - UNRELATED_COSINE));
    double recency = turnCount == 1 ? 1.0 : (double) turnIndex / (turnCount - 1);
    double prior = prior(fact.category());
    double score =
        W_UTILITY * utility
            + W_CONFIDENCE * confidence
            + W_NOVELTY * novelty
            + W_RECENCY * recency
            + W_CATEGORY * prior;
    // Rounded so that a score printed as 0.55 is not rejected at 0.55 by a floating-point hair.
    score = Math.round(score * 1e9) / 1e9;
    return new Admission(
        score >= threshold, score, threshold, utility, confidence, novelty, recency, prior);
  }

  /** Half content words, half named specifics. */
  static double utility(String text) {
    double words = Math.min(1.0, ContentWords.count(text) / (double) FULL_CONTENT_WORDS);
    double specifics = Math.min(1.0, Specificity.count(text) / (double) FULL_SPECIFICS);
    return 0.5 * words + 0.5 * specifics;
  }

  /**
   * How long facts of a category stay true, and so how much a wrong admission costs against a wrong
   * rejection. Profile and preferences: true for months and in every project (they default to the
   * global scope and make up the profile), and the user's word about themselves cannot be read back
   * from the code. Patterns (conventions, decisions): true for the life of a project. Entities
   * (paths, ports, versions): useful, but the repository holds them too and they go stale with it.
   * Cases (a bug and its fix): help when the bug comes back, narrow otherwise. Events: bound to a
   * date, they expire ({@code lifecycle.Expiry}) and decay first.
   */
  static double prior(Category c) {
    return switch (c) {
      case PROFILE, PREFERENCES -> 1.0;
      case PATTERNS -> 0.9;
      case ENTITIES -> 0.7;
      case CASES -> 0.6;
      case EVENTS -> 0.5;
    };
  }

  private static double clamp(double x) {
    return Math.max(0, Math.min(1, x));
  }
}
