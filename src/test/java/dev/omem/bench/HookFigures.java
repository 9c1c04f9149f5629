package dev.omem.bench;

/**
 * The hook's figures from its counts over prompts, defined once for every fit that keeps such
 * counts ({@link TwoThresholdFit.Counts}, {@link HookTopFit.Counts}).
 */
interface HookFigures {
  int answerable();

  int unrelated();

  /** Answerable prompts with at least one relevant memory injected. */
  int hits();

  int injected();

  int injectedRelevant();

  /** Unrelated prompts with nothing injected. */
  int quiet();

  default double hit() {
    return (double) hits() / answerable();
  }

  /** The share of injected memories that are relevant; 0 when nothing was injected. */
  default double precision() {
    return injected() == 0 ? 0 : (double) injectedRelevant() / injected();
  }

  default double quietRate() {
    return (double) quiet() / unrelated();
  }
}
