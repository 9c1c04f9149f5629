package dev.omem.ingest;

/**
 * Whether a piece reads as pasted output rather than the user's own words (issue 14, session 16): a
 * compiler or console error, a path or a shell line pasted into a turn is dense in symbols, digits
 * and punctuation, where a stated fact is mostly words. A short technical fact ("Use Python 3.11,
 * not 3.12.", "The API base URL is http://localhost:8080/api/v1.") is as dense, so a piece is
 * pasted only when it also holds many punctuation marks (paths, line:column, quotes, brackets):
 * digits and a piece's few marks are what such facts have, runs of marks are what output has. Read
 * from the text's form only, no word list.
 */
final class PastedForm {
  /**
   * Below this share of letters and spaces a kept piece may be pasted. Chosen
   * leave-one-repository-out jointly with {@link #MIN_PUNCTUATION} on the dev corpus ({@code
   * ../shared/bench/extraction-dev.json}, session 15's nested left-out kept pieces), from {off,
   * 0.70, 0.72 … 0.90}, by the three-way objective of sessions 9–15 on the other eight
   * repositories: 0.86 in eight folds, 0.84 in one; 0.86 on all nine (BENCHMARKS.md, "Session 16").
   */
  static final double MIN_LETTER_SHARE = 0.86;

  /**
   * At least this many punctuation marks (neither letter, digit nor white space) for a piece to be
   * pasted. Chosen with {@link #MIN_LETTER_SHARE} from {0, 2, 4 … 12} the same way (ties to the
   * larger count): 8 in seven folds, 6 and 2 in one each; 8 on all nine (BENCHMARKS.md, "Session
   * 16").
   */
  static final int MIN_PUNCTUATION = 8;

  private PastedForm() {}

  /** The share of {@code text}'s characters that are letters or spaces; 1 for an empty text. */
  static double letterShare(String text) {
    if (text.isEmpty()) {
      return 1;
    }
    long words = text.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
    return (double) words / text.length();
  }

  /** How many of {@code text}'s characters are neither a letter, a digit nor white space. */
  static int punctuation(String text) {
    return (int)
        text.chars()
            .filter(c -> !Character.isLetterOrDigit(c) && !Character.isWhitespace(c))
            .count();
  }

  /**
   * Whether {@code text} reads as pasted output: its letter share is under the bound and it holds
   * at least {@link #MIN_PUNCTUATION} punctuation marks.
   */
  static boolean pasted(String text) {
    return punctuation(text) >= MIN_PUNCTUATION && letterShare(text) < MIN_LETTER_SHARE;
  }
}
