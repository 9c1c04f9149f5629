package dev.omem.ingest;

/**
 * Whether a piece reads as pasted output rather than the user's own words (issue 14, session 16): a
 * compiler or console error, a path or a shell line pasted into a turn is dense in symbols, digits
 * and punctuation, where a stated fact is mostly words. Read from the text's form only, no word
 * list.
 */
final class PastedForm {
  /**
   * Below this share of letters and spaces a kept piece is dropped. Chosen leave-one-repository-out
   * on the dev corpus ({@code ../shared/bench/extraction-dev.json}, session 15's nested left-out
   * kept pieces), from {off, 0.70, 0.72 … 0.90}, by the three-way objective of sessions 9–15 on the
   * other eight repositories: 0.86 in eight folds, 0.84 in one; 0.86 on all nine (BENCHMARKS.md,
   * "Session 16").
   */
  static final double MIN_LETTER_SHARE = 0.86;

  private PastedForm() {}

  /** The share of {@code text}'s characters that are letters or spaces; 1 for an empty text. */
  static double letterShare(String text) {
    if (text.isEmpty()) {
      return 1;
    }
    long words = text.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
    return (double) words / text.length();
  }

  /** Whether {@code text} reads as pasted output: its letter share is under the bound. */
  static boolean pasted(String text) {
    return letterShare(text) < MIN_LETTER_SHARE;
  }
}
