package dev.omem.service;

import dev.omem.retrieve.RelevanceModel;

/** Input limits every face enforces the same way (they are named in the tool schemas). */
public final class Limits {
  private Limits() {}

  /** 32 KiB of UTF-8: room for a long design note, not for a pasted log file. */
  public static final int MAX_CONTENT_BYTES = 32 * 1024;

  public static final int MAX_TAGS = 20;
  public static final int MAX_TAG_LENGTH = 64;

  /** A file path, a URL or a tool name: 200 characters, as omem has always allowed. */
  public static final int MAX_SOURCE_CHARS = 200;

  public static final int DEFAULT_SEARCH_LIMIT = 10;

  /**
   * An explicit search counts an access for this many of its best results: as many as a hook
   * injects into one prompt at most ({@code PromptInjection.MAX_PROMPT_MEMORIES}), so a search and
   * an injection weigh alike; results further down are rarely what the agent uses.
   */
  public static final int ACCESS_COUNTED_RESULTS = 3;

  public static final int MAX_SEARCH_LIMIT = 100;
  public static final int DEFAULT_LIST_LIMIT = 20;
  public static final int MAX_LIST_LIMIT = 200;
  public static final int MAX_QUERY_CHARS = 4_000;
  public static final int MAX_INGEST_MESSAGES = 500;

  /**
   * Facts one ingest may bring already extracted (the {@code facts} extension): as many as its
   * messages at most; a model states a fact or two per conversation part, far fewer.
   */
  public static final int MAX_INGEST_FACTS = MAX_INGEST_MESSAGES;

  /** Ids one batch delete may name (a request body of that many ids is ~40 KiB). */
  public static final int MAX_BATCH_IDS = 1000;

  /**
   * The relevance a memory needs before a hook injects it unasked (the abstention threshold): a
   * probability that the memory matters, chosen with the relevance model by leave-one-project-out
   * cross-validation for quiet ≥ 0.90 on unrelated prompts (the header of {@code
   * retrieve/relevance-weights.txt} has the figures).
   */
  public static double injectionThreshold() {
    return RelevanceModel.shipped().hookThreshold();
  }

  /**
   * {@code min_score} when a search names none and has no vectors (BM25 mode, the model loading or
   * failed), on every face (MCP, REST, CLI, the daemon): the relevance floor, chosen like {@link
   * #injectionThreshold} for abstention ≥ 0.90. With vectors such a search is decided by {@code
   * retrieve/SearchGate} instead (session 18), unless it has fewer candidates than the gate reads
   * (session 19: then this floor decides, as without the gate). The gate sets only the floor: the
   * returned score is always the pair probability times session 11's gate (session 20), and an
   * explicit {@code min_score} is a plain floor on it; 0 turns it off.
   */
  public static double defaultMinScore() {
    return RelevanceModel.shipped().searchFloor();
  }

  /**
   * The higher score a candidate (an extracted fact not confirmed yet, issue 14) needs before a
   * hook injects it on a prompt: the hook's threshold plus {@link #CANDIDATE_MARGIN}, compared with
   * the search score, which already carries {@code RankingWeights.UNCONFIRMED_FACTOR} (×0.85). A
   * policy on top of the calibrated threshold, not a tuned number: the coding lane has no
   * candidates to calibrate it on.
   */
  public static double candidateInjectionThreshold() {
    return Math.min(1.0, injectionThreshold() + CANDIDATE_MARGIN);
  }

  /** How much more relevant than a confirmed memory a candidate must be to be injected (policy). */
  public static final double CANDIDATE_MARGIN = 0.10;

  /**
   * How long a deleted memory stays restorable before the upkeep pass purges it: the issue's
   * default, 30 days. {@code OMEM_RETENTION_DAYS} or {@code retention_days} in config.json change
   * it ({@link Upkeep#retention}).
   */
  public static final java.time.Duration DELETED_RETENTION = java.time.Duration.ofDays(30);

  /** Backups the daemon keeps in {@code <home>/backups/}: a week of daily ones (the 7). */
  public static final int BACKUPS_KEPT = 7;

  /** The daemon takes a backup when the newest is older than this: daily (the 24 h). */
  public static final java.time.Duration BACKUP_INTERVAL = java.time.Duration.ofHours(24);
}
