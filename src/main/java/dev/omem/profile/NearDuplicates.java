package dev.omem.profile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two memory texts say the same thing in (nearly) the same words: equal once normalised
 * (case, punctuation, spacing), or sharing at least {@value #JACCARD} of their words (Jaccard of
 * the word sets) in the same order (the longest common word sequence covers that share of the
 * longer text, so that "tabs over spaces" is not "spaces over tabs"). The profile shows each
 * statement once; retrieval has its own, embedding-based test.
 */
final class NearDuplicates {
  /**
   * The suggested value, checked on examples ({@code NearDuplicatesTest}): a word more or
   * less in a statement of 6–8 words ("The user prefers tabs over spaces" / "User prefers tabs over
   * spaces.": 0.83; "Always squash (the) commits before merging to main": 0.88) is the same
   * statement; a qualifier added ("I prefer pnpm over npm" + "for this repo": 0.63) or one word
   * changed ("we deploy on fridays only" / "… mondays …": 0.67) is another, and so is the order
   * turned round ("spaces over tabs": word sets equal, in order 0.67). Statements of ten words or
   * more that differ in one (often a number: "Postgres 15 on port 5433" / "Postgres 16 …") count as
   * one; the newer stays on equal importance, which is what an updated fact wants.
   */
  static final double JACCARD = 0.8;

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  /** A text prepared for comparison: normalised, its words in order and as a set. */
  record Text(String normalised, List<String> words, Set<String> wordSet) {}

  private NearDuplicates() {}

  static Text of(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      words.add(m.group());
    }
    return new Text(String.join(" ", words), words, new HashSet<>(words));
  }

  /** Lower case, words only, single spaces. */
  static String normalise(String text) {
    return of(text).normalised();
  }

  static boolean same(Text a, Text b) {
    if (a.normalised().equals(b.normalised())) {
      return true;
    }
    if (a.words().isEmpty() || b.words().isEmpty()) {
      return false;
    }
    int shared = 0;
    for (String w : a.wordSet()) {
      if (b.wordSet().contains(w)) {
        shared++;
      }
    }
    int union = a.wordSet().size() + b.wordSet().size() - shared;
    if (shared < JACCARD * union) {
      return false;
    }
    int longer = Math.max(a.words().size(), b.words().size());
    return commonSequence(a.words(), b.words()) >= JACCARD * longer;
  }

  /** Whether two raw texts are near-duplicates. */
  static boolean same(String a, String b) {
    return same(of(a), of(b));
  }

  /** The length of the longest common subsequence of two word lists. */
  private static int commonSequence(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (String x : a) {
      for (int j = 1; j <= b.size(); j++) {
        cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }
}
